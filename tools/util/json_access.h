// Typed reads of JSON that came from outside (API servers, credential plugins, Vault, bundles):
// a missing key, or a value of another type, is "absent", never an exception.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace aegis {

// The value at `path` (object keys), or nullptr when a step is missing or not an object.
inline const nlohmann::json* JsonAt(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

// The string at `path`; nullopt when absent or not a string.
inline std::optional<std::string> JsonString(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* v = JsonAt(j, path);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

// The string at `path`, or "" (for display and comparisons where absent and empty agree).
inline std::string JsonStringOr(const nlohmann::json& j, std::initializer_list<const char*> path, std::string fallback = {}) {
  auto s = JsonString(j, path);
  return s ? *s : fallback;
}

// Serialises outside data: malformed UTF-8 in strings is replaced (U+FFFD), never a throw.
inline std::string JsonDump(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace aegis
