// Reading a pod spec the way both policy engines do: a value of the wrong type counts as
// absent (the Rego sees the same object through JSON).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "yaml/node.h"

namespace aegis::pod_fields {

// The sequence at `key` of a mapping, or nullptr.
const yaml::Node* ListAt(const yaml::Node* m, std::string_view key);
// The string at `key` of a mapping, or nullopt.
std::optional<std::string_view> StringAt(const yaml::Node* m, std::string_view key);
// True when `key` holds `true` (a boolean, not the string "true").
bool IsTrue(const yaml::Node* m, std::string_view key);

// The volumes that carry the key secret (directly or projected). A volume without a
// name still satisfies AEGIS002, but no mount can refer to it (AEGIS003).
struct KeyVolumeSet {
  bool any = false;
  std::vector<std::string_view> names;
};
KeyVolumeSet KeyVolumes(const yaml::Node* spec, std::string_view secret);

}  // namespace aegis::pod_fields
