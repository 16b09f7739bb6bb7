#include "yaml/text_index.h"

namespace aegis::yaml {

TextIndex::TextIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
  size_t nl = text.find('\n');
  crlf_ = nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r';
}

size_t TextIndex::LineStart(uint32_t line) const {
  if (line == 0) return 0;
  return line - 1 < starts_.size() ? starts_[line - 1] : text_.size();
}

size_t TextIndex::Offset(const Mark& m) const {
  size_t pos = LineStart(m.line);
  // Skip the BOM libyaml does not count as a column.
  if (pos == 0 && text_.starts_with("\xEF\xBB\xBF")) pos = 3;
  for (uint32_t col = 1; col < m.column && pos < text_.size() && text_[pos] != '\n'; ++col) {
    ++pos;
    while (pos < text_.size() && (static_cast<unsigned char>(text_[pos]) & 0xC0) == 0x80) ++pos;
  }
  return pos;
}

std::string_view TextIndex::Line(uint32_t line) const {
  size_t start = LineStart(line);
  size_t end = line < starts_.size() ? starts_[line] - 1 : text_.size();
  if (end < start) end = start;
  std::string_view l = text_.substr(start, end - start);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

size_t TextIndex::Indent(uint32_t line) const {
  std::string_view l = Line(line);
  size_t i = 0;
  while (i < l.size() && l[i] == ' ') ++i;
  return i;
}

bool TextIndex::IsBlankOrComment(uint32_t line) const {
  std::string_view l = Line(line);
  size_t i = l.find_first_not_of(" \t");
  return i == std::string_view::npos || l[i] == '#';
}

}  // namespace aegis::yaml
