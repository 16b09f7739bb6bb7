// Line-based unified diff (Myers' O(ND) algorithm), as `diff -u` prints it.
#pragma once

#include <string>
#include <string_view>

namespace aegis {

// Empty when the texts are equal.
std::string UnifiedDiff(std::string_view before, std::string_view after, const std::string& before_name,
                        const std::string& after_name, size_t context = 3);

}  // namespace aegis
