#include "verifier/sources/tree.h"

#include <fmt/format.h>

namespace aegis::verifier {

std::optional<std::string> BadTreePath(const std::string& rel, size_t max_bytes) {
  if (rel.size() > max_bytes) return fmt::format("longer than {} bytes", max_bytes);
  for (char c : rel) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::string("a control character");
  }
  size_t at = 0;
  for (;;) {
    size_t slash = rel.find('/', at);
    std::string part = rel.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
    if (part.empty() || part == "." || part == "..") return fmt::format("the component {:?}", part);
    if (slash == std::string::npos) return std::nullopt;
    at = slash + 1;
  }
}

}  // namespace aegis::verifier
