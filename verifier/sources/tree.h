// What every model-directory source shares: a listed name checked before it becomes a path,
// and the count of what was placed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace aegis::verifier {

// Why `rel` (a listed name relative to a model directory) cannot be a path inside it: an empty,
// "." or ".." component, a control character, more than `max_bytes`; nullopt when it can.
std::optional<std::string> BadTreePath(const std::string& rel, size_t max_bytes);

struct TreeResult {
  uint64_t files = 0, bytes = 0;
};

}  // namespace aegis::verifier
