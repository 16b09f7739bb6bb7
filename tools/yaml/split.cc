#include "yaml/split.h"

#include "yaml/line_breaks.h"

#include <algorithm>

namespace aegis::yaml {
namespace {

// Position of the first document marker line at or after `from`, or npos.
size_t NextMarker(std::string_view text, size_t from) {
  for (size_t pos = text.find("\n---", from); pos != std::string_view::npos; pos = text.find("\n---", pos + 1)) {
    size_t after = pos + 4;
    if (after == text.size() || text[after] == ' ' || text[after] == '\t' || text[after] == '\n' ||
        text[after] == '\r') {
      return pos + 1;
    }
  }
  return std::string_view::npos;
}

bool Splittable(std::string_view text) {
  bool utf16 = text.size() >= 2 && ((text[0] == '\xFE' && text[1] == '\xFF') || (text[0] == '\xFF' && text[1] == '\xFE'));
  bool has_nul = text.find('\0') != std::string_view::npos;  // UTF-16/32 without BOM
  bool directives = text.starts_with("%") || text.find("\n%") != std::string_view::npos;
  return !utf16 && !has_nul && !directives;
}

}  // namespace

std::vector<Chunk> SplitAtDocuments(std::string_view text, size_t parts) {
  std::vector<Chunk> chunks;
  if (parts <= 1 || !Splittable(text)) {
    chunks.push_back({text, 0});
    return chunks;
  }
  size_t start = 0;
  uint32_t line = 0;
  for (size_t i = 1; i < parts; ++i) {
    size_t cut = NextMarker(text, std::max(start, text.size() * i / parts));
    if (cut == std::string_view::npos || cut <= start) break;
    std::string_view piece = text.substr(start, cut - start);
    chunks.push_back({piece, line});
    line += static_cast<uint32_t>(CountLineBreaks(piece));
    start = cut;
  }
  chunks.push_back({text.substr(start), line});
  return chunks;
}

}  // namespace aegis::yaml
