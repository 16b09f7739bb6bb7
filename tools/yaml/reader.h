// Reads a YAML (or JSON) stream one document at a time with libyaml's event parser.
//
// Why libyaml and not yaml-cpp: yaml-cpp needs 3.6 s for a 25 MB stream here, libyaml's
// parser 0.36 s (see ARCHITECTURE.md). Only one document's tree is alive at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/expected.h"
#include "yaml/node.h"

namespace aegis::yaml {

struct ReaderLimits {
  size_t max_depth = 1000;              // nesting of collections
  size_t min_alias_expansion = 100000;  // alias expansions always allowed per document…
  size_t alias_ratio = 10;              // …beyond that, at most ratio × real nodes
};

class StreamReader {
 public:
  // `text` must outlive the reader. `file` is used in error messages only; `first_line`
  // is added to every line number (for chunks of a larger stream).
  StreamReader(std::string file, std::string_view text, ReaderLimits limits = {}, uint32_t first_line = 0);
  ~StreamReader();
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  // Reads the next document into `doc`. Returns true when a document was read, false at
  // the end of the stream, or a syntax/limit error (after which the stream is finished).
  Expected<bool> Next(Document& doc);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience for small inputs (policies, tests): every document of a stream.
Expected<std::vector<Document>> ReadAll(const std::string& file, std::string_view text);

}  // namespace aegis::yaml
