#include "policy/pod_fields.h"

namespace aegis::pod_fields {

const yaml::Node* ListAt(const yaml::Node* m, std::string_view key) {
  const yaml::Node* n = m != nullptr && m->IsMapping() ? m->Get(key) : nullptr;
  return n != nullptr && n->IsSequence() ? n : nullptr;
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

}  // namespace aegis::pod_fields
