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

// Applies edits; insertions at the same offset keep the order they were made in.
// Overlapping erasures are an error (the caller reports the object as not editable).
Expected<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits);

}  // namespace aegis::render
