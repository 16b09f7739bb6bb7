#include "policy/pod_fields.h"

#include <algorithm>

#include <fmt/format.h>

#include "manifest/kserve_model.h"

namespace aegis::pod_fields {

const yaml::Node* ListAt(const yaml::Node* m, std::string_view key) {
  const yaml::Node* n = m != nullptr && m->IsMapping() ? m->Get(key) : nullptr;
  return n != nullptr && n->IsSequence() ? n : nullptr;
}

std::vector<const yaml::Node*> ItemsAt(const yaml::Node* m, std::string_view key) {
  const yaml::Node* list = ListAt(m, key);
  return list != nullptr ? list->items() : std::vector<const yaml::Node*>{};
}

std::optional<std::string_view> StringAt(const yaml::Node* m, std::string_view key) {
  const yaml::Node* n = m != nullptr && m->IsMapping() ? m->Get(key) : nullptr;
  return n != nullptr ? n->AsString() : std::nullopt;
}

bool IsTrue(const yaml::Node* m, std::string_view key) {
  const yaml::Node* n = m != nullptr && m->IsMapping() ? m->Get(key) : nullptr;
  return n != nullptr && n->AsBool() == std::optional<bool>(true);
}

KeyVolumeSet KeyVolumes(const yaml::Node* spec, std::string_view secret) {
  KeyVolumeSet out;
  const yaml::Node* vols = ListAt(spec, "volumes");
  if (vols == nullptr) return out;
  for (const yaml::Node* v : vols->items()) {
    if (!v->IsMapping()) continue;
    bool has = StringAt(v->Get("secret"), "secretName") == std::optional<std::string_view>(secret);
    if (const yaml::Node* sources = ListAt(v->Get("projected"), "sources"); sources != nullptr && !has) {
      for (const yaml::Node* s : sources->items()) {
        if (s->IsMapping() && StringAt(s->Get("secret"), "name") == std::optional<std::string_view>(secret)) has = true;
      }
    }
    if (!has) continue;
    out.any = true;
    if (auto name = StringAt(v, "name")) out.names.push_back(*name);
  }
  return out;
}

std::string_view TrimSlashes(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

bool AtOrUnder(std::string_view path, std::string_view dir) {
  std::string_view p = TrimSlashes(path), d = TrimSlashes(dir);
  return p == d || (p.starts_with(d) && p.size() > d.size() && p[d.size()] == '/');
}

bool Has(const yaml::Node* m, std::string_view key) {
  const yaml::Node* n = m != nullptr && m->IsMapping() ? m->Get(key) : nullptr;
  return n != nullptr && !n->IsNull();
}

std::string ContainerName(const yaml::Node* c) { return std::string(StringAt(c, "name").value_or("<unnamed>")); }

std::vector<Container> ServingContainers(const PodSpecRef& ref) {
  std::vector<Container> out;
  if (ref.shape == SpecShape::kKServeComponent) {
    for (auto& c : KServeServingContainers(ref.spec)) out.push_back({std::move(c.name), c.node});
    return out;
  }
  if (const yaml::Node* list = ListAt(ref.spec, "containers")) {
    for (const yaml::Node* c : list->items()) {
      if (c->IsMapping()) out.push_back({fmt::format("container {}", ContainerName(c)), c});
    }
  }
  return out;
}

std::set<std::string> WrittenVolumes(const std::vector<const yaml::Node*>& verifiers,
                                     const std::vector<std::string_view>& key_names) {
  std::set<std::string> written;
  for (const yaml::Node* v : verifiers) {
    for (const yaml::Node* m : ItemsAt(v, "volumeMounts")) {
      auto name = StringAt(m, "name");
      if (!name || IsTrue(m, "readOnly") || std::find(key_names.begin(), key_names.end(), *name) != key_names.end()) continue;
      written.emplace(*name);
    }
  }
  return written;
}

}  // namespace aegis::pod_fields
