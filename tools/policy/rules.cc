#include "policy/rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "policy/model_rules.h"
#include "policy/pod_fields.h"
#include "policy/sealed_volume.h"
#include "policy/verifier_image.h"
#include "policy/verifier_rules.h"

namespace aegis {

using pod_fields::KeyVolumes;
using pod_fields::ListAt;
using pod_fields::StringAt;

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
      {"AEGIS004", "verifier-image",
       "An initContainer named like the verifier runs an image the constraint allows (verifierImages, "
       "requireDigest).",
       "A name proves nothing: `busybox true` named verify-and-fetch would satisfy a name check. With "
       "verifierImages set, only an initContainer whose image is one of those repositories (any tag or "
       "digest; an entry ending in * is a prefix) counts as the verifier; with requireDigest, its image must "
       "also be pinned by @sha256 digest.",
       "run the verifier image the constraint lists (verifierImages), pinned by @sha256 digest where required"},
      {"AEGIS005", "unverified-source",
       "Nothing but the verifier downloads the model: no KServe storageUri, storageUris, storage spec or "
       "STORAGE_URI env outside KServe-native mode, no other storage-initializer (requireVerifiedModel).",
       "KServe gives a component with storageUri, storageUris, a storage spec or a STORAGE_URI env its own "
       "storage-initializer, which downloads the model without verifying it into the directory the server "
       "reads. Let `aegis render` move the URI into the verifier, or serve it through the Aegis "
       "ClusterStorageContainer (KServe-native mode, verifiedStorageUriPrefixes). An LLMInferenceService "
       "needs spec.storageInitializer.enabled: false; a TrainedModel is loaded by KServe's model agent, "
       "which verifies nothing.",
       "move the model URI into the verifier (aegis render), or use the Aegis ClusterStorageContainer"},
      {"AEGIS006", "model-not-consumed",
       "The server reads what the verifier wrote: a container mounts a volume the verifier writes, "
       "read-only, and no other volume is mounted at or under it (requireModelMount).",
       "A verified copy nobody reads protects nothing: the server must mount, read-only, a volume the "
       "verifier writes (its mounts other than the key), and no container may mount another volume at or "
       "below that path, which would hide the verified files behind unverified ones.",
       "mount the verifier's model volume read-only in the server, and nothing else under that path"},
      {"AEGIS007", "trust-pinned",
       "The verifier trusts exactly the signers the constraint pins: env AEGIS_TRUST_POLICY holds parameters.trust "
       "(keys by fingerprint, keyless identities, trusted roots, CAs, Vault), by value.",
       "Whoever writes a pod in a model namespace can also write its Secrets and ConfigMaps: a key volume proves "
       "nothing about who signed. With parameters.trust set, every allowed verifier must carry the same pins in env "
       "AEGIS_TRUST_POLICY (a literal value), and verify-and-fetch then refuses any key, identity, root, CA or Vault "
       "the pins do not name. `aegis render` writes the env from the policy.",
       "set env AEGIS_TRUST_POLICY on the verifier to the constraint's trust (aegis render writes it)"},
      {"AEGIS008", "verifier-locked",
       "The verifier runs the image's command with the artifact and the model directory as its arguments, and no "
       "flag or env that chooses trust, loosens transport, or ends it early (lockVerifier).",
       "A verifier told `--version`, given another command, a key directory an earlier container filled, or a "
       "destination the server never reads verifies nothing. A locked verifier has no command, no restartPolicy, "
       "args [flags from a short list as --flag=value, artifact, model directory] where the model directory is the "
       "mount of the one volume it writes, keys read only from the key volume, and no AEGIS_* env from valueFrom.",
       "run the verifier as aegis render writes it: the image's command, args [artifact, model directory]"},
      {"AEGIS009", "model-sealed",
       "Only the verifier writes the model volume: an emptyDir or ephemeral volume that every other container "
       "mounts read-only and whole; a known server's model flag points into it; a ServingRuntime neither writes nor "
       "shadows /mnt/models (sealModelVolume).",
       "A verified directory that another initContainer, a sidecar or an ephemeral container can rewrite, or that "
       "the server does not actually read (--model-repository elsewhere), serves whatever that container puts there.",
       "let only the verifier write the model volume (an emptyDir); mount it read-only and whole elsewhere"},
  };
  return kRules;
}

const RuleInfo& Rule(std::string_view id) {
  for (const auto& r : RuleCatalog())
    if (r.id == id) return r;
  return RuleCatalog().front();
}

namespace {

bool DeclaresVaultAddr(const yaml::Node* container) {
  const yaml::Node* env = ListAt(container, "env");
  if (env == nullptr) return false;
  for (const yaml::Node* e : env->items()) {
    if (!e->IsMapping() || StringAt(e, "name") != std::optional<std::string_view>("VAULT_ADDR")) continue;
    if (e->Get("value") != nullptr || e->Get("valueFrom") != nullptr) return true;
  }
  return false;
}

bool DeclaresEnv(const yaml::Node* container, std::initializer_list<std::string_view> names) {
  const yaml::Node* env = ListAt(container, "env");
  if (env == nullptr) return false;
  for (const yaml::Node* e : env->items()) {
    if (!e->IsMapping()) continue;
    auto name = StringAt(e, "name");
    if (!name || std::find(names.begin(), names.end(), *name) == names.end()) continue;
    if (e->Get("value") != nullptr || e->Get("valueFrom") != nullptr) return true;
  }
  return false;
}

// The volumes holding the trusted-root ConfigMap (directly or projected).
std::vector<std::string_view> TrustedRootVolumes(const yaml::Node* spec, const std::string& config_map) {
  std::vector<std::string_view> out;
  const yaml::Node* volumes = ListAt(spec, "volumes");
  if (volumes == nullptr) return out;
  for (const yaml::Node* v : volumes->items()) {
    auto name = StringAt(v, "name");
    if (!name) continue;
    bool holds = StringAt(v->IsMapping() ? v->Get("configMap") : nullptr, "name") == std::optional<std::string_view>(config_map);
    const yaml::Node* sources = v->IsMapping() && v->Get("projected") != nullptr ? ListAt(v->Get("projected"), "sources") : nullptr;
    if (sources != nullptr) {
      for (const yaml::Node* src : sources->items()) {
        if (StringAt(src->IsMapping() ? src->Get("configMap") : nullptr, "name") == std::optional<std::string_view>(config_map)) holds = true;
      }
    }
    if (holds) out.push_back(*name);
  }
  return out;
}

bool MountsAny(const yaml::Node* container, const std::vector<std::string_view>& volumes);

// Keyless: the verifier says what it trusts (root, identity, issuer) and mounts the root.
bool DeclaresKeyless(const yaml::Node* container, const yaml::Node* spec, const Parameters& p) {
  return DeclaresEnv(container, {"AEGIS_TRUSTED_ROOT"}) &&
         DeclaresEnv(container, {"AEGIS_CERTIFICATE_IDENTITY", "AEGIS_CERTIFICATE_IDENTITY_REGEXP"}) &&
         DeclaresEnv(container, {"AEGIS_CERTIFICATE_OIDC_ISSUER", "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP"}) &&
         MountsAny(container, TrustedRootVolumes(spec, p.trusted_root_config_map));
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

// initContainers whose name matches the pattern.
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

// Those of `named` whose image the constraint allows.
std::vector<const yaml::Node*> AllowedVerifiers(const std::vector<const yaml::Node*>& named, const Parameters& p) {
  if (!RestrictsImages(p)) return named;
  std::vector<const yaml::Node*> out;
  for (const yaml::Node* c : named) {
    auto image = StringAt(c, "image");
    if (image && ImageAllowed(*image, p)) out.push_back(c);
  }
  return out;
}

std::string ImageRequirement(const Parameters& p) {
  std::string pinned = p.require_digest ? " pinned by @sha256 digest" : "";
  if (!p.verifier_images) return fmt::format("a verifier image{}", pinned);
  std::string list = p.verifier_images->empty() ? "none" : fmt::format("{}", fmt::join(*p.verifier_images, ", "));
  return fmt::format("an allowed verifier image{} (allowed: {})", pinned, list);
}

// KServe's LocalModelCache: a Pod labelled internal.serving.kserve.io/localmodel is given the
// cached copy from a PVC and no storage initializer (storage_initializer_injector.go,
// InjectStorageInitializer). "KServe's LocalModelCache NAME (PVC P)", or "".
std::string LocalModelCache(const ObjectRef& obj) {
  if (obj.kind != "Pod" || obj.api_version != "v1" || obj.labels == nullptr || !obj.labels->IsMapping()) return {};
  const yaml::Node* name = obj.labels->Get("internal.serving.kserve.io/localmodel");
  if (name == nullptr || !name->AsString()) return {};
  std::string pvc = "<unknown>";
  if (const yaml::Node* meta = obj.root->Get("metadata"); meta != nullptr && meta->IsMapping()) {
    const yaml::Node* annotations = meta->Get("annotations");
    const yaml::Node* claim = annotations != nullptr && annotations->IsMapping()
                                  ? annotations->Get("internal.serving.kserve.io/localmodel-pvc-name")
                                  : nullptr;
    if (claim != nullptr && claim->AsString()) pvc = std::string(*claim->AsString());
  }
  return fmt::format("KServe's LocalModelCache {} (PVC {})", *name->AsString(), pvc);
}

void CheckSpec(const PodSpecRef& ref, const Parameters& p, const std::string& subject, const std::string& cache,
               std::vector<Violation>& out) {
  auto add = [&](std::string_view rule, std::string message, std::string hint) {
    out.push_back({rule, ref.component, ref.mark, std::move(message), std::move(hint)});
  };
  if (ref.spec == nullptr) {
    add("AEGIS001", fmt::format("{}: no pod spec at {}", subject, ref.path),
        fmt::format("give the object a pod spec at {}", ref.path));
    return;
  }
  std::vector<const yaml::Node*> named = NamedVerifiers(ref.spec, p);
  std::vector<const yaml::Node*> verifiers = AllowedVerifiers(named, p);
  bool native = KServeNative(ref, p);
  // Trust that needs no key volume: Vault, or keyless (a trusted root and an identity policy).
  bool keyless_or_vault =
      (p.allow_vault_verification &&
       std::any_of(verifiers.begin(), verifiers.end(), [](const yaml::Node* c) { return DeclaresVaultAddr(c); })) ||
      (p.allow_keyless_verification && !native &&
       std::any_of(verifiers.begin(), verifiers.end(), [&](const yaml::Node* c) { return DeclaresKeyless(c, ref.spec, p); }));
  auto volumes = KeyVolumes(ref.spec, p.secret_name);
  if (!native && named.empty() && !cache.empty()) {
    add("AEGIS001",
        fmt::format("{}: served from {}, a copy no verifier checks: annotate the InferenceService "
                    "serving.kserve.io/disable-localmodel: \"true\"",
                    subject, cache),
        "without the cache KServe injects its storage initializer (the Aegis ClusterStorageContainer) again");
  } else if (!native && named.empty()) {
    add("AEGIS001", fmt::format("{}: no initContainer whose name matches /{}/", subject, p.init_container_pattern),
        fmt::format("add an initContainer whose name matches /{}/ (aegis render injects verify-and-fetch)",
                    p.init_container_pattern));
  }
  if (!native && !named.empty() && verifiers.empty()) {
    add("AEGIS004",
        fmt::format("{}: no initContainer matching /{}/ runs {}", subject, p.init_container_pattern, ImageRequirement(p)),
        fmt::format("set the verifier's image to {}", ImageRequirement(p)));
  }
  if (!volumes.any && !keyless_or_vault && !(native && p.allow_vault_verification)) {
    add("AEGIS002", fmt::format("{}: no volume from secret {}", subject, p.secret_name),
        fmt::format("add a volume with secret.secretName: {}", p.secret_name));
  }
  if (!native && p.require_mount && !verifiers.empty() && volumes.any && !keyless_or_vault) {
    bool mounted = std::any_of(verifiers.begin(), verifiers.end(),
                               [&](const yaml::Node* c) { return MountsAny(c, volumes.names); });
    if (!mounted) {
      add("AEGIS003",
          fmt::format("{}: no initContainer matching /{}/ mounts a volume from secret {}", subject,
                      p.init_container_pattern, p.secret_name),
          fmt::format("mount the volume holding secret {} into the verify initContainer (mountPath: "
                      "/etc/cosign, readOnly: true)",
                      p.secret_name));
    }
  }
  if (p.require_verified_model) CheckModelSources(ref, verifiers, p, subject, out);
  if (p.require_model_mount && !native && !verifiers.empty()) CheckModelMount(ref, verifiers, p, subject, out);
  if (p.trust && !native) CheckPinnedTrust(ref, verifiers, p, subject, out);
  if (p.lock_verifier && !native) CheckLockedVerifier(ref, verifiers, p, subject, out);
  if (p.seal_model_volume) CheckSealedVolume(ref, verifiers, p, subject, out);
}

}  // namespace

std::vector<Violation> CheckObject(const ObjectRef& obj, const PodSpecs& specs, const Parameters& p) {
  std::vector<Violation> out;
  const std::string cache = LocalModelCache(obj);
  for (const PodSpecRef& ref : specs.specs) {
    std::string subject = obj.Display();
    if (!ref.component.empty()) subject += fmt::format(" ({})", ref.component);
    CheckSpec(ref, p, subject, cache, out);
  }
  if (p.require_verified_model) CheckObjectSources(obj, p, out);
  if (p.seal_model_volume && obj.group == "serving.kserve.io" && obj.kind.ends_with("ServingRuntime")) {
    CheckServingRuntime(obj, out);
  }
  // One finding per (component, rule, message), in first-seen order.
  std::set<std::tuple<std::string, std::string_view, std::string>> seen;
  std::vector<Violation> unique;
  for (Violation& v : out) {
    if (seen.emplace(v.component, v.rule_id, v.message).second) unique.push_back(std::move(v));
  }
  return unique;
}

const yaml::Node* VerifierContainer(const yaml::Node* spec, const Parameters& p) {
  if (spec == nullptr || !spec->IsMapping()) return nullptr;
  auto verifiers = AllowedVerifiers(NamedVerifiers(spec, p), p);
  auto volumes = KeyVolumes(spec, p.secret_name);
  for (const yaml::Node* c : verifiers) {
    if (p.allow_vault_verification && DeclaresVaultAddr(c)) return c;
    if (p.allow_keyless_verification && DeclaresKeyless(c, spec, p)) return c;
    if (volumes.any && (!p.require_mount || MountsAny(c, volumes.names))) return c;
  }
  return nullptr;
}

}  // namespace aegis
