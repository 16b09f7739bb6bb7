// Errors as values: what went wrong, where (file:line:col), and of which kind.
#pragma once

#include <cstdint>
#include <string>

namespace aegis {

// Position in a text file; line and column are 1-based, 0 means "unknown".
struct Mark {
  uint32_t line = 0;
  uint32_t column = 0;
};

enum class ErrorKind {
  kUsage,   // bad flags or arguments
  kIo,      // unreadable file, missing path
  kSyntax,  // not valid YAML/JSON
  kPolicy,  // constraint or parameter invalid
  kLimit,   // input exceeds a safety limit (alias bomb, nesting)
  kArchive, // archive rejected: unsafe entry, limits exceeded, corrupt
  kSignature,  // signature invalid, key mismatch, digest or pin mismatch
  kTrust,      // no trust material (no usable key)
  kNotFound,   // artifact or signature not found (404, NoSuchKey)
  kNetwork,    // network or storage error after retries (5xx, timeouts, truncated, 403)
  kForbidden,  // the server refused our identity (401/403 from the Kubernetes API)
  kTimeout,    // waited as long as allowed for a state that did not come
};

struct Error {
  ErrorKind kind = ErrorKind::kIo;
  std::string file;  // may be empty when not about a file
  Mark mark;
  std::string message;

  // "file:line:col" (omits the parts that are unknown; empty when there is no file).
  std::string Location() const;
  // "file:line:col: message".
  std::string Describe() const;
};

}  // namespace aegis
