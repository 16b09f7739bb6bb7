#include "yaml/text_index.h"

#include "yaml/line_breaks.h"

namespace aegis::yaml {

TextIndex::TextIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size();) {
    size_t b = LineBreakAt(text, i);
    if (b == 0) {
      ++i;
      continue;
    }
    if (eol_.empty()) eol_ = text[i] == '\r' ? text.substr(i, b) : "\n";  // the first break's style (CR LF, CR)
    ends_.push_back(i);
    i += b;
    starts_.push_back(i);
  }
  ends_.push_back(text.size());
  if (eol_.empty()) eol_ = "\n";
}

size_t TextIndex::LineStart(uint32_t line) const {
  if (line == 0) return 0;
  return line - 1 < starts_.size() ? starts_[line - 1] : text_.size();
}

size_t TextIndex::Offset(const Mark& m) const {
  size_t pos = LineStart(m.line);
  // Skip the BOM libyaml does not count as a column.
  if (pos == 0 && text_.starts_with("\xEF\xBB\xBF")) pos = 3;
  for (uint32_t col = 1; col < m.column && pos < text_.size() && LineBreakAt(text_, pos) == 0; ++col) {
    ++pos;
    while (pos < text_.size() && (static_cast<unsigned char>(text_[pos]) & 0xC0) == 0x80) ++pos;
  }
  return pos;
}

std::string_view TextIndex::Line(uint32_t line) const {
  if (line == 0 || line > ends_.size()) return {};
  size_t start = starts_[line - 1];
  return text_.substr(start, ends_[line - 1] - start);
}

bool TextIndex::EndsWithLineBreak() const { return starts_.size() > 1 && starts_.back() == text_.size(); }

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
