#include "render/edit.h"

#include <algorithm>

namespace aegis::render {

Expected<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  // By offset; at one offset, pure insertions before the edit that erases from there.
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.erase == 0 && b.erase > 0;
  });
  std::string out;
  out.reserve(text.size() + 4096);
  size_t pos = 0;
  for (const Edit& e : edits) {
    if (e.offset < pos || e.offset + e.erase > text.size()) {
      return Error{ErrorKind::kPolicy, {}, {}, "overlapping edits"};
    }
    out.append(text.substr(pos, e.offset - pos));
    out += e.text;
    pos = e.offset + e.erase;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace aegis::render
