// Typed reads of JSON that came from outside (API servers, credential plugins, Vault, bundles):
// a missing key, or a value of another type, is "absent", never an exception.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

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

// The deepest nesting of arrays/objects in a JSON text (strings skipped), stopping once past
// `limit`: checked before parsing outside JSON, whose DOM would otherwise recurse that deep.
inline size_t JsonNestingDepth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Parses outside JSON with bounds: nullopt when it is not JSON, deeper than `max_depth` or
// larger than `max_bytes` (the caller says which input it was).
inline std::optional<nlohmann::json> ParseJsonBounded(std::string_view text, size_t max_depth = 256, size_t max_bytes = 64u << 20) {
  if (text.size() > max_bytes || JsonNestingDepth(text, max_depth) > max_depth) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// Serialises outside data: malformed UTF-8 in strings is replaced (U+FFFD), never a throw.
inline std::string JsonDump(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace aegis
