// What a line break is, defined once. libyaml implements YAML 1.1, whose line breaks are
// CR LF, CR, LF, NEL (U+0085), LS (U+2028) and PS (U+2029); its marks count lines by these,
// so every index of the text (edit offsets, stream splitting, reader errors) must too.
#pragma once

#include <cstddef>
#include <string_view>

namespace aegis::yaml {

// The length of the line break starting at byte `i` of `text` (UTF-8), or 0 when none does.
inline size_t LineBreakAt(std::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  char c = text[i];
  if (c == '\n') return 1;
  if (c == '\r') return i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
  if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\x85') return 2;  // NEL
  if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
    return 3;  // LS, PS
  }
  return 0;
}

// The number of line breaks in `text`.
inline size_t CountLineBreaks(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    size_t b = LineBreakAt(text, i);
    n += b > 0 ? 1 : 0;
    i += b > 0 ? b : 1;
  }
  return n;
}

}  // namespace aegis::yaml
