// Errors as values: what went wrong, where (file:line:col), and of which kind.
//
// Kinds belong to domains, the way std::error_code does it: the generic kinds below are
// shared by every layer; the network (platform/net_error.h), policy (policy/policy_error.h)
// and verification (verifier/common/verify_error.h) domains define their own. A library never
// decides a process's exit code: each program maps kinds to exit codes once, at its edge.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>

namespace aegis {

// Position in a text file; line and column are 1-based, 0 means "unknown".
struct Mark {
  uint32_t line = 0;
  uint32_t column = 0;
};

enum class ErrorKind {
  kUsage = 1,    // bad flags or arguments, unusable configuration
  kIo,           // unreadable file, missing path, disk full
  kSyntax,       // not valid YAML/JSON/base64
  kLimit,        // input exceeds a safety limit (alias bomb, nesting, size)
  kInterrupted,  // stopped by a signal (Ctrl-C)
};

const std::error_category& GenericCategory();
inline std::error_code make_error_code(ErrorKind e) { return {static_cast<int>(e), GenericCategory()}; }

}  // namespace aegis

template <>
struct std::is_error_code_enum<aegis::ErrorKind> : std::true_type {};

namespace aegis {

struct Error {
  std::error_code kind = ErrorKind::kIo;
  std::string file;  // may be empty when not about a file
  Mark mark;
  std::string message;

  // "file:line:col" (omits the parts that are unknown; empty when there is no file).
  std::string Location() const;
  // "file:line:col: message".
  std::string Describe() const;
};

}  // namespace aegis
