// Splits a YAML stream into chunks at document markers so chunks can be parsed in parallel.
//
// Safe because YAML forbids a "---" line at column 0 inside any scalar (it always starts
// a document). Streams with directives (%YAML, %TAG) or UTF-16 input are not split.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace aegis::yaml {

struct Chunk {
  std::string_view text;
  uint32_t first_line = 0;  // lines before the chunk (add to its marks)
};

std::vector<Chunk> SplitAtDocuments(std::string_view text, size_t parts);

}  // namespace aegis::yaml
