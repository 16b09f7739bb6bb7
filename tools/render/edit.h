// Text edits at byte offsets, applied all at once: the rest of the text stays byte-for-byte.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"

namespace aegis::render {

struct Edit {
  size_t offset = 0;
  size_t erase = 0;   // bytes removed at offset
  std::string text;   // inserted at offset (after the erased bytes are gone)
};

// Puts edits in the order they apply: by offset; at one offset, insertions (in the order they
// were made) before the edit that erases from there.
void SortEdits(std::vector<Edit>& edits);

// Applies edits (sorted here); overlapping erasures are an error (the caller reports the
// object as not editable).
Expected<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits);

// The unified diff (`diff -u` format, `patch` applies it) of `text` and the result of the
// `sorted` edits, built from the edits themselves: time and memory linear in the input (a
// general diff is O(D²) memory in the number of changed lines). Empty when nothing changes.
std::string DiffOfEdits(std::string_view text, const std::vector<Edit>& sorted, const std::string& before_name,
                        const std::string& after_name, size_t context = 3);

}  // namespace aegis::render
