// The injector's care for a verifier that exists already: brought to what the flags and
// annotations say (image, artifact, hardening), and the verifier's storage settings.
#include <fmt/format.h>

#include "render/injector_impl.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace aegis::render::internal {

Expected<std::string> Injector::ImageToWrite(const Node* at) const {
  if (!s_.image_refusal) return s_.image;
  if (auto why = s_.image_refusal(s_.image)) {
    return Fail(at, fmt::format("the verifier image render would write, {} ({}), is {}: pass --image "
                                "REPOSITORY@sha256:DIGEST, or set verifierImage in .aegis.yaml",
                                s_.image, s_.image_source, *why));
  }
  return s_.image;
}

Status Injector::ReconcileImage(const Node* verifier, const std::string& where) {
  const Node* image = verifier->Get("image");
  if (image == nullptr || !image->AsString()) return Ok{};  // a missing image is added by the caller
  std::string have(*image->AsString());
  std::optional<std::string> refused = s_.image_refusal ? s_.image_refusal(have) : std::nullopt;
  if (have == s_.image || (!s_.image_given && !refused)) return Ok{};  // kept: --image not given and allowed
  auto wanted = ImageToWrite(image);
  if (!wanted) return wanted.error();
  std::string why = s_.image_given ? "" : fmt::format(" (the policy refuses {}: {})", have, *refused);
  out_.notes.push_back({image->mark(), fmt::format("{}: verifier image {} → {}{}", where, have, *wanted, why)});
  return editor_.ReplaceScalar(image, EmitFlow(Quoted(*wanted)));
}

Status Injector::ReconcileVerifier(const PodSpecRef& ps, const Node* verifier, const std::string& where) {
  // The artifact: verify-and-fetch's positional <artifact> <dest-dir> are the last two args.
  const Node* args = verifier->Get("args");
  if (args != nullptr && args->IsSequence() && args->size() >= 2) {
    const Node* artifact_node = args->at(args->size() - 2);
    auto current = artifact_node->AsString();
    auto wanted = current && !current->starts_with("-") ? Artifact(ps) : Expected<std::string>(std::string());
    if (wanted && !wanted->empty() && *wanted != *current) {
      out_.notes.push_back(
          {artifact_node->mark(), fmt::format("{}: verifier artifact {} → {}", where, *current, *wanted)});
      if (auto st = editor_.ReplaceScalar(artifact_node, EmitFlow(Quoted(*wanted))); !st) return st;
    }
  }
  // The hardening every injected verifier has (an older render's output lacks seccompProfile).
  const Node* sc = verifier->Get("securityContext");
  if (sc == nullptr || !sc->IsMapping()) return Ok{};
  struct Want {
    const char* key;
    YNode value;
    const char* text;  // the scalar, for a value to correct
  };
  std::vector<Want> wants = {{"runAsNonRoot", Raw("true"), "true"},
                             {"allowPrivilegeEscalation", Raw("false"), "false"},
                             {"readOnlyRootFilesystem", Raw("true"), "true"},
                             {"capabilities", Map({{"drop", Seq({Quoted("ALL")}, true)}}), nullptr},
                             {"seccompProfile", Map({{"type", Str("RuntimeDefault")}}, true), nullptr}};
  if (s_.fixed_uid) wants.push_back({"runAsUser", Raw("65532"), nullptr});
  for (const Want& w : wants) {
    const Node* have = sc->Get(w.key);
    if (have == nullptr) {
      out_.notes.push_back({sc->mark(), fmt::format("{}: verifier securityContext.{} added", where, w.key)});
      if (auto st = editor_.InsertKey(sc, w.key, w.value); !st) return st;
    } else if (w.text != nullptr && have->IsScalar() && have->scalar() != w.text) {
      out_.notes.push_back({have->mark(), fmt::format("{}: verifier securityContext.{} {} → {}", where, w.key,
                                                      have->scalar(), w.text)});
      if (auto st = editor_.ReplaceScalar(have, w.text); !st) return st;
    }
  }
  if (const Node* uid = sc->Get("runAsUser"); !s_.fixed_uid && uid != nullptr) {
    out_.notes.push_back({uid->mark(), fmt::format("{}: verifier securityContext.runAsUser removed (--no-run-as-user)", where)});
    if (auto st = editor_.DeleteKeyLine(sc, "runAsUser"); !st) return st;
  }
  return Ok{};
}

std::optional<StorageEnv> Injector::KServeStorageEnv(const PodSpecRef& ps) const {
  if (ps.shape != SpecShape::kKServeComponent || !s_.kserve_storage) return std::nullopt;
  std::string account = s_.service_account;
  if (account.empty()) account = std::string(StringAt(ps.spec, "serviceAccountName").value_or(""));
  return s_.kserve_storage->For(obj_.namespace_, account);
}

std::vector<EnvVar> Injector::TrustEnv() const {
  const auto& k = s_.keyless;
  std::vector<EnvVar> env;
  if (!s_.trust_policy.empty()) env.push_back({"AEGIS_TRUST_POLICY", s_.trust_policy, "", ""});
  if (k.config_map.empty()) return env;
  env.push_back({"AEGIS_TRUSTED_ROOT", std::string(kTrustedRootFile), "", ""});
  if (!k.identity.empty()) env.push_back({"AEGIS_CERTIFICATE_IDENTITY", k.identity, "", ""});
  if (!k.identity_regexp.empty()) env.push_back({"AEGIS_CERTIFICATE_IDENTITY_REGEXP", k.identity_regexp, "", ""});
  if (!k.issuer.empty()) env.push_back({"AEGIS_CERTIFICATE_OIDC_ISSUER", k.issuer, "", ""});
  if (!k.issuer_regexp.empty()) env.push_back({"AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP", k.issuer_regexp, "", ""});
  return env;
}

YNode Injector::EnvEntry(const EnvVar& e) {
  if (e.secret.empty()) return Map({{"name", Str(e.name)}, {"value", Quoted(e.value)}}, true);
  return Map({{"name", Str(e.name)},
              {"valueFrom", Map({{"secretKeyRef", Map({{"name", Str(e.secret)}, {"key", Str(e.key)}}, true)}})}});
}

Status Injector::StorageSettings(const PodSpecRef& ps, const Node* verifier, const std::string& where) {
  if (!s_.service_account.empty()) {
    const Node* sa = ps.spec->Get("serviceAccountName");
    if (sa == nullptr) {
      out_.notes.push_back({ps.spec->mark(), fmt::format("{}: serviceAccountName {}", where, s_.service_account)});
      if (auto st = editor_.InsertKey(ps.spec, "serviceAccountName", Str(s_.service_account)); !st) return st;
    } else if (sa->AsString() != std::optional<std::string_view>(s_.service_account)) {
      out_.notes.push_back({sa->mark(), fmt::format("{}: serviceAccountName {} → {}", where, sa->scalar(), s_.service_account)});
      if (auto st = editor_.ReplaceScalar(sa, EmitFlow(Str(s_.service_account))); !st) return st;
    }
  }
  if (verifier == nullptr) return Ok{};  // a new verifier has it all already
  std::vector<YNode> add_env;  // one insertion: two into a missing `env` would write the key twice
  if (auto keyless = TrustEnv(); !keyless.empty()) {
    // An existing verifier gets the pins, trusted root and identity policy it lacks (by name).
    // One present with another literal value is brought to the flag's (render owns it).
    std::set<std::string> present;
    if (const Node* env = verifier->Get("env"); env != nullptr && env->IsSequence()) {
      for (const Node* e : env->items()) {
        auto n = StringAt(e->IsMapping() ? e : nullptr, "name");
        if (!n) continue;
        present.emplace(*n);
        // An identity or issuer form the flags do not give would stay in force next to theirs.
        bool policy_var = n->starts_with("AEGIS_CERTIFICATE_") && !s_.keyless.config_map.empty();
        bool wanted = std::any_of(keyless.begin(), keyless.end(), [&](const EnvVar& w) { return w.name == *n; });
        if (policy_var && !wanted) {
          return Fail(e, fmt::format("the verifier sets {}, which the keyless flags replace: remove it (left in place it "
                                     "would still decide who may sign)",
                                     *n));
        }
        for (const EnvVar& want : keyless) {
          const Node* value = e->Get("value");
          if (want.name != *n || value == nullptr || value->AsString() == std::optional<std::string_view>(want.value)) continue;
          out_.notes.push_back({value->mark(), fmt::format("{}: verifier env {}: {} → {}", where, want.name, value->scalar(), want.value)});
          if (auto st = editor_.ReplaceScalar(value, EmitFlow(Quoted(want.value))); !st) return st;
        }
      }
    }
    std::vector<YNode> missing;
    std::vector<std::string> names;
    for (const EnvVar& e : keyless) {
      if (present.count(e.name)) continue;
      missing.push_back(EnvEntry(e));
      names.push_back(e.name == "AEGIS_TRUST_POLICY" ? "the policy's pinned trust" : "keyless trust (trusted root, identity, issuer)");
    }
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (!missing.empty()) {
      out_.notes.push_back({verifier->mark(), fmt::format("{}: verifier env: {}", where, fmt::join(names, ", "))});
      for (auto& m : missing) add_env.push_back(std::move(m));
    }
  }
  if (auto kserve = KServeStorageEnv(ps)) {
    // Brought to an existing verifier unless it sets storage variables of its own (those are
    // the user's: half of KServe's settings next to half of theirs would mix two endpoints).
    std::vector<std::string> own;
    if (const Node* env = verifier->Get("env"); env != nullptr && env->IsSequence()) {
      for (const Node* e : env->items()) {
        auto n = StringAt(e->IsMapping() ? e : nullptr, "name");
        if (!n) continue;
        for (const EnvVar& k : kserve->env) {
          if (k.name == *n) own.emplace_back(*n);
        }
      }
    }
    if (!own.empty()) {
      out_.notes.push_back({verifier->mark(), fmt::format("{}: the verifier sets {} itself: the S3 settings of secret {} "
                                                          "(service account {}) are not added",
                                                          where, fmt::join(own, ", "), fmt::join(kserve->secrets, ", "),
                                                          kserve->service_account)});
    } else {
      for (const EnvVar& e : kserve->env) add_env.push_back(EnvEntry(e));
      out_.notes.push_back({verifier->mark(), fmt::format("{}: verifier env: the S3 settings of secret {} (service account "
                                                          "{}), as KServe gives them to its storage-initializer",
                                                          where, fmt::join(kserve->secrets, ", "), kserve->service_account)});
    }
  }
  if (!add_env.empty()) {
    if (auto st = editor_.AddToList(verifier, "env", std::move(add_env)); !st) return st;
  }
  if (s_.env_from_secret.empty()) return Ok{};
  const Node* env_from = verifier->Get("envFrom");
  if (env_from != nullptr && env_from->IsSequence()) {
    for (const Node* e : env_from->items()) {
      if (StringAt(e->IsMapping() ? e->Get("secretRef") : nullptr, "name") == std::optional<std::string_view>(s_.env_from_secret)) {
        return Ok{};
      }
    }
  }
  out_.notes.push_back({verifier->mark(), fmt::format("{}: verifier envFrom secret {}", where, s_.env_from_secret)});
  return editor_.AddToList(verifier, "envFrom", {Map({{"secretRef", Map({{"name", Str(s_.env_from_secret)}}, true)}})});
}

}  // namespace aegis::render::internal
