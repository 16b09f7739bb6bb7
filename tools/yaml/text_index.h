// Maps (line, column) marks to byte offsets in a text: libyaml counts columns (and its
// own index) in characters, edits need bytes; lines end at every line break libyaml
// counts (yaml/line_breaks.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace aegis::yaml {

class TextIndex {
 public:
  explicit TextIndex(std::string_view text);

  size_t LineStart(uint32_t line) const;  // 1-based line; past the end: text size
  size_t Offset(const Mark& m) const;     // byte offset of a 1-based (line, column)
  std::string_view Line(uint32_t line) const;  // without its line break
  // Column (0-based, bytes) of the first non-blank character of a line.
  size_t Indent(uint32_t line) const;
  // Whether the line holds only blanks or a comment.
  bool IsBlankOrComment(uint32_t line) const;
  // The line break to write: the text's first one if it is CR LF or CR, else LF.
  std::string_view Eol() const { return eol_; }
  // Whether the text ends with a line break (of any kind, yaml/line_breaks.h).
  bool EndsWithLineBreak() const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;  // byte offset of each line
  std::vector<size_t> ends_;    // byte offset of each line's break (or the text's end)
  std::string_view eol_;
};

}  // namespace aegis::yaml
