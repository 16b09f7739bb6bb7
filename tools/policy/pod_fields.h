// Reading a pod spec the way both policy engines do: a value of the wrong type counts as
// absent (the Rego sees the same object through JSON).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/pod_spec.h"
#include "yaml/node.h"

namespace aegis::pod_fields {

// The sequence at `key` of a mapping, or nullptr.
const yaml::Node* ListAt(const yaml::Node* m, std::string_view key);
// The items of the sequence at `key` of a mapping; none when it is absent or not a sequence.
std::vector<const yaml::Node*> ItemsAt(const yaml::Node* m, std::string_view key);
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

// At or under: "/models" covers "/models", "/models/", "/models/a"; "/" covers every path.
bool AtOrUnder(std::string_view path, std::string_view dir);
// Trailing slashes removed ("/" becomes "").
std::string_view TrimSlashes(std::string_view path);

// A present, non-null value at `key` (Rego: object.get(m, key, null) != null).
bool Has(const yaml::Node* m, std::string_view key);

// A container (or KServe model place) and how messages name it ("container server", "model").
struct Container {
  std::string name;
  const yaml::Node* node;
};
// containers[] of a pod spec; for a KServe component also `model` and the framework keys.
std::vector<Container> ServingContainers(const PodSpecRef& ref);
// "<unnamed>" when the container has no string name.
std::string ContainerName(const yaml::Node* c);

// The volumes the verifiers write: their mounts that are not read-only and not a key volume.
std::set<std::string> WrittenVolumes(const std::vector<const yaml::Node*>& verifiers,
                                     const std::vector<std::string_view>& key_names);

}  // namespace aegis::pod_fields
