#include "policy/rules.h"

#include <re2/re2.h>

#include <fmt/format.h>

namespace aegis {
namespace {

const yaml::Node* ListAt(const yaml::Node* m, std::string_view key) {
  const yaml::Node* n = m != nullptr ? m->Get(key) : nullptr;
  return n != nullptr && n->IsSequence() ? n : nullptr;
}

std::optional<std::string_view> StringAt(const yaml::Node* m, std::string_view key) {
  const yaml::Node* n = m != nullptr && m->IsMapping() ? m->Get(key) : nullptr;
  return n != nullptr ? n->AsString() : std::nullopt;
}

// The volumes that carry the key secret (directly or projected). A volume without a
// name still satisfies AEGIS002, but no mount can refer to it (AEGIS003).
struct KeyVolumeSet {
  bool any = false;
  std::vector<std::string_view> names;
};

KeyVolumeSet KeyVolumes(const yaml::Node* spec, const std::string& secret) {
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

bool DeclaresVaultAddr(const yaml::Node* container) {
  const yaml::Node* env = ListAt(container, "env");
  if (env == nullptr) return false;
  for (const yaml::Node* e : env->items()) {
    if (!e->IsMapping() || StringAt(e, "name") != std::optional<std::string_view>("VAULT_ADDR")) continue;
    if (e->Get("value") != nullptr || e->Get("valueFrom") != nullptr) return true;
  }
  return false;
}

bool MountsAny(const yaml::Node* container, const std::vector<std::string_view>& volumes) {
  const yaml::Node* mounts = ListAt(container, "volumeMounts");
  if (mounts == nullptr) return false;
  for (const yaml::Node* m : mounts->items()) {
    auto name = StringAt(m, "name");
    if (name && std::find(volumes.begin(), volumes.end(), *name) != volumes.end()) return true;
  }
  return false;
}

}  // namespace

const std::vector<RuleInfo>& RuleCatalog() {
  static const std::vector<RuleInfo> kRules = {
      {"AEGIS001", "verify-init",
       "The pod spec has an initContainer whose name matches the policy pattern (default /verify/).",
       "Every model-serving pod must fetch its model through the verify-and-fetch initContainer, which "
       "checks the artifact's signature before the server starts. Add an initContainer whose name matches "
       "the constraint's initContainerPattern (`aegis render` injects one).",
       "add an initContainer named verify-and-fetch (aegis render injects it)"},
      {"AEGIS002", "key-volume",
       "The pod spec has a volume sourcing the public-key secret (default cosign-public-key).",
       "The verifier needs the trusted public key. Add a volume whose secret.secretName (or a projected "
       "secret source's name) is the constraint's secretName, or, where the constraint allows it, verify "
       "through Vault by setting VAULT_ADDR on the verify initContainer.",
       "add a volume with secret.secretName set to the key secret"},
      {"AEGIS003", "key-mounted",
       "The verify initContainer mounts the key volume (when requireMount is true).",
       "A key in a volume the verifier does not mount verifies nothing. Add a volumeMount of the key volume "
       "to the verify initContainer, e.g. at /etc/cosign, read-only.",
       "mount the key volume into the verify initContainer (mountPath: /etc/cosign, readOnly: true)"},
  };
  return kRules;
}

const RuleInfo& Rule(std::string_view id) {
  for (const auto& r : RuleCatalog())
    if (r.id == id) return r;
  return RuleCatalog().front();
}

namespace {

std::vector<const yaml::Node*> NamedVerifiers(const yaml::Node* spec, const Parameters& p) {
  std::vector<const yaml::Node*> out;
  if (const yaml::Node* inits = ListAt(spec, "initContainers")) {
    for (const yaml::Node* c : inits->items()) {
      auto name = StringAt(c, "name");
      if (name && re2::RE2::PartialMatch(*name, *p.pattern)) out.push_back(c);
    }
  }
  return out;
}

}  // namespace

const yaml::Node* VerifierContainer(const yaml::Node* spec, const Parameters& p) {
  if (spec == nullptr || !spec->IsMapping()) return nullptr;
  auto verifiers = NamedVerifiers(spec, p);
  auto volumes = KeyVolumes(spec, p.secret_name);
  for (const yaml::Node* c : verifiers) {
    if (p.allow_vault_verification && DeclaresVaultAddr(c)) return c;
    if (volumes.any && (!p.require_mount || MountsAny(c, volumes.names))) return c;
  }
  return nullptr;
}

std::vector<Violation> CheckPodSpec(const yaml::Node* spec, std::string_view spec_path, const Parameters& p,
                                    const std::string& subject) {
  std::vector<Violation> out;
  if (spec == nullptr) {
    out.push_back({"AEGIS001", fmt::format("{}: no pod spec at {}", subject, spec_path),
                   fmt::format("give the object a pod spec at {}", spec_path)});
    return out;
  }
  std::vector<const yaml::Node*> verifiers = NamedVerifiers(spec, p);
  bool vault = p.allow_vault_verification &&
               std::any_of(verifiers.begin(), verifiers.end(), [](const yaml::Node* c) { return DeclaresVaultAddr(c); });
  auto volumes = KeyVolumes(spec, p.secret_name);
  bool has_init = !verifiers.empty();
  bool has_volume = volumes.any || vault;
  if (!has_init) {
    out.push_back({"AEGIS001",
                   fmt::format("{}: no initContainer whose name matches /{}/", subject, p.init_container_pattern),
                   fmt::format("add an initContainer whose name matches /{}/ (aegis render injects verify-and-fetch)",
                               p.init_container_pattern)});
  }
  if (!has_volume) {
    out.push_back({"AEGIS002", fmt::format("{}: no volume from secret {}", subject, p.secret_name),
                   fmt::format("add a volume with secret.secretName: {}", p.secret_name)});
  }
  if (p.require_mount && has_init && has_volume && !vault) {
    bool mounted = std::any_of(verifiers.begin(), verifiers.end(),
                               [&](const yaml::Node* c) { return MountsAny(c, volumes.names); });
    if (!mounted) {
      out.push_back({"AEGIS003",
                     fmt::format("{}: no initContainer matching /{}/ mounts a volume from secret {}", subject,
                                 p.init_container_pattern, p.secret_name),
                     fmt::format("mount the volume holding secret {} into the verify initContainer (mountPath: "
                                 "/etc/cosign, readOnly: true)",
                                 p.secret_name)});
    }
  }
  return out;
}

}  // namespace aegis
