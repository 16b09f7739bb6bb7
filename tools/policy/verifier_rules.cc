#include "policy/verifier_rules.h"

#include <algorithm>
#include <array>
#include <set>

#include <re2/re2.h>

#include <fmt/format.h>

#include "policy/pod_fields.h"

namespace aegis {

using pod_fields::AtOrUnder;
using pod_fields::Has;
using pod_fields::ItemsAt;
using pod_fields::StringAt;
using pod_fields::TrimSlashes;

namespace {

// The env entries (mappings) named `name`.
std::vector<const yaml::Node*> EnvNamed(const yaml::Node* c, std::string_view name) {
  std::vector<const yaml::Node*> out;
  for (const yaml::Node* e : ItemsAt(c, "env")) {
    if (StringAt(e, "name") == std::optional<std::string_view>(name)) out.push_back(e);
  }
  return out;
}

// A literal value equal, as JSON, to parameters.trust.
bool DeclaresPins(const yaml::Node* e, const nlohmann::json& trust) {
  auto value = StringAt(e, "value");
  if (!value || Has(e, "valueFrom")) return false;
  nlohmann::json j = nlohmann::json::parse(*value, nullptr, /*allow_exceptions=*/false);
  return !j.is_discarded() && j == trust;
}

bool DeclaresTrust(const yaml::Node* c, const nlohmann::json& trust) {
  auto entries = EnvNamed(c, kTrustPolicyEnv);
  return !entries.empty() &&
         std::all_of(entries.begin(), entries.end(), [&](const yaml::Node* e) { return DeclaresPins(e, trust); });
}

// The pinned values of the identity field an AEGIS_CERTIFICATE_* variable sets; nullopt for
// another variable.
std::optional<std::set<std::string>> PinnedIdentityValues(std::string_view env, const TrustPins& pins) {
  std::string KeylessIdentity::*field = nullptr;
  if (env == "AEGIS_CERTIFICATE_IDENTITY") field = &KeylessIdentity::subject;
  else if (env == "AEGIS_CERTIFICATE_IDENTITY_REGEXP") field = &KeylessIdentity::subject_regexp;
  else if (env == "AEGIS_CERTIFICATE_OIDC_ISSUER") field = &KeylessIdentity::issuer;
  else if (env == "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP") field = &KeylessIdentity::issuer_regexp;
  else return std::nullopt;
  std::set<std::string> out;
  for (const KeylessIdentity& id : pins.keyless) {
    if (!(id.*field).empty()) out.insert(id.*field);
  }
  return out;
}

}  // namespace

void CheckPinnedTrust(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                      const std::string& subject, std::vector<Violation>& out) {
  auto add = [&](std::string message, std::string hint) {
    out.push_back({"AEGIS007", ref.component, ref.mark, std::move(message), std::move(hint)});
  };
  std::set<std::string> vaults;
  for (const VaultPin& v : p.trust_pins.vault) vaults.insert(v.address);
  for (const yaml::Node* c : verifiers) {
    std::string name = pod_fields::ContainerName(c);
    if (!DeclaresTrust(c, *p.trust)) {
      add(fmt::format("{}: initContainer {} does not declare the constraint's trust: env {} must hold parameters.trust "
                      "as JSON, by value",
                      subject, name, kTrustPolicyEnv),
          fmt::format("set env {} on the verifier to the constraint's trust (aegis render writes it)", kTrustPolicyEnv));
    }
    for (const yaml::Node* e : ItemsAt(c, "env")) {
      auto env = StringAt(e, "name");
      if (!env) continue;
      if (auto pinned = PinnedIdentityValues(*env, p.trust_pins)) {
        auto value = StringAt(e, "value");
        if (value && pinned->count(std::string(*value)) > 0) continue;
        add(fmt::format("{}: initContainer {}: env {} is not a keyless identity the constraint pins", subject, name, *env),
            "declare only a keyless identity listed in the constraint's trust.keyless");
        continue;
      }
      if (*env != "VAULT_ADDR" && *env != "AEGIS_VAULT_ADDR") continue;
      auto value = StringAt(e, "value");
      if (value && vaults.count(std::string(*value)) > 0) continue;
      add(fmt::format("{}: initContainer {}: env {} is not a Vault address the constraint pins", subject, name, *env),
          "use a Vault address listed in the constraint's trust.vault");
    }
  }
}

namespace {

constexpr std::string_view kBareFlags[] = {"--anonymous", "--allow-unpinned-revision"};
constexpr std::string_view kValuedFlags[] = {
    "--key", "--signature", "--expected-sha256", "--expected-name", "--ignore-paths", "--artifact-type",
    "--log-format", "--retries", "--parallel", "--connect-timeout", "--stall-timeout", "--timeout",
    "--progress-interval", "--max-total-bytes", "--max-file-bytes", "--max-entries", "--max-ratio",
    "--max-path-bytes", "--max-artifact-bytes", "--ca-bundle", "--termination-log", "--trusted-root",
    "--certificate-chain"};
// Loosen transport, move the work elsewhere, or accept other statements as approval.
constexpr std::string_view kRefusedEnv[] = {"AEGIS_ALLOW_INSECURE_HTTP", "AEGIS_INSECURE_SKIP_TLS_VERIFY",
                                            "AEGIS_ARTIFACT", "AEGIS_DEST", "AEGIS_PREDICATE_TYPES"};
constexpr std::string_view kDefaultKeyPath = "/etc/cosign";
constexpr std::string_view kKeylessInputs[] = {"AEGIS_TRUSTED_ROOT", "AEGIS_CERTIFICATE_IDENTITY",
                                               "AEGIS_CERTIFICATE_IDENTITY_REGEXP", "AEGIS_CERTIFICATE_OIDC_ISSUER",
                                               "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP"};

// A keyless pattern matching the empty string, or both strangers verify-and-fetch tries
// (verifier/trust/trust.cc), admits every signer.
bool AdmitsAnyone(std::string_view env, std::string_view pattern) {
  std::array<std::string_view, 2> strangers;
  if (env == "AEGIS_CERTIFICATE_IDENTITY_REGEXP") {
    strangers = {"https://github.com/someone-else/unrelated/.github/workflows/x.yml@refs/heads/main",
                 "someone-else@unrelated.invalid"};
  } else if (env == "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP") {
    strangers = {"https://issuer.unrelated.invalid", "https://accounts.unrelated.invalid/x"};
  } else {
    return false;
  }
  re2::RE2 re(pattern, re2::RE2::Quiet);
  if (!re.ok()) return false;
  return re2::RE2::PartialMatch("", re) ||
         (re2::RE2::PartialMatch(strangers[0], re) && re2::RE2::PartialMatch(strangers[1], re));
}

template <size_t N>
bool In(std::string_view s, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

bool FlagAllowed(std::string_view a) {
  auto eq = a.find('=');
  return eq == std::string_view::npos ? In(a, kBareFlags) : In(a.substr(0, eq), kValuedFlags);
}

// One verifier's findings (a set: the Rego's is one).
class Lock {
 public:
  Lock(const yaml::Node* c, const std::vector<std::string_view>& key_names)
      : c_(c), name_(pod_fields::ContainerName(c)), keys_(key_names) {
    for (const yaml::Node* m : ItemsAt(c, "volumeMounts")) {
      auto vol = StringAt(m, "name");
      auto path = StringAt(m, "mountPath");
      if (vol && IsKey(*vol) && path) key_mounts_.push_back(*path);
    }
  }

  std::set<std::string> Findings(const Parameters& p) {
    if (Has(c_, "command")) Add("initContainer {} overrides the image's command");
    if (Has(c_, "restartPolicy")) Add("initContainer {} has restartPolicy: a sidecar does not finish before the server starts");
    Arguments();
    Environment();
    KeyPathMounts();
    Destination();
    UnallowedTrust(p);
    return std::move(found_);
  }

 private:
  template <typename... A>
  void Add(fmt::format_string<std::string&, A...> f, A&&... args) {
    found_.insert(fmt::format(f, name_, std::forward<A>(args)...));
  }

  bool IsKey(std::string_view vol) const { return std::find(keys_.begin(), keys_.end(), vol) != keys_.end(); }

  bool UnderKeyMount(std::string_view p) const {
    return std::any_of(key_mounts_.begin(), key_mounts_.end(), [&](std::string_view m) { return AtOrUnder(p, m); });
  }

  void Arguments() {
    for (const yaml::Node* a : ItemsAt(c_, "args")) {
      auto s = a->AsString();
      if (!s) {
        Add("initContainer {} has an argument that is not a string");
        continue;
      }
      if (s->find("$(") != std::string_view::npos) {
        Add("initContainer {}: argument {} expands a variable; a locked verifier's arguments are literal", *s);
      }
      if (s->starts_with("-")) {
        if (!FlagAllowed(*s)) Add("initContainer {}: argument {} is not allowed on a locked verifier", *s);
      } else {
        positionals_.push_back(*s);
      }
      if (s->starts_with("--key=")) {
        std::string_view path = s->substr(6);
        key_paths_.insert(std::string(path));
        if (!UnderKeyMount(path)) Add("initContainer {}: --key {} is not under the key volume's mount", path);
      }
    }
    if (positionals_.size() != 2) {
      Add("initContainer {} takes the artifact and the model directory as its only arguments (it has {})",
          positionals_.size());
    }
  }

  void Environment() {
    for (const yaml::Node* e : ItemsAt(c_, "env")) {
      auto name = StringAt(e, "name");
      if (!name) continue;
      if (In(*name, kRefusedEnv)) Add("initContainer {}: env {} is not allowed on a locked verifier", *name);
      if ((name->starts_with("AEGIS_") || *name == "VAULT_ADDR") && Has(e, "valueFrom")) {
        Add("initContainer {}: env {} comes from valueFrom; what the verifier is told must be written in the pod spec",
            *name);
      }
      if (*name != "AEGIS_KEY") continue;
      if (auto value = StringAt(e, "value")) {
        key_paths_.insert(std::string(*value));
        if (!UnderKeyMount(*value)) Add("initContainer {}: env AEGIS_KEY {} is not under the key volume's mount", *value);
      }
    }
    if (key_paths_.empty()) key_paths_.insert(std::string(kDefaultKeyPath));
  }

  // Another volume at or over where the verifier reads its keys would hand it other keys.
  void KeyPathMounts() {
    for (const yaml::Node* m : ItemsAt(c_, "volumeMounts")) {
      auto vol = StringAt(m, "name");
      auto path = StringAt(m, "mountPath");
      if (!vol || IsKey(*vol) || !path) continue;
      for (const std::string& k : key_paths_) {
        if (AtOrUnder(*path, k) || AtOrUnder(k, *path)) {
          Add("initContainer {} mounts volume {} at {}, where it reads its keys ({})", *vol, *path, k);
        }
      }
    }
  }

  // Keyless or Vault inputs the constraint does not allow, and a keyless pattern that admits
  // every signer: trust the pod would choose for itself.
  void UnallowedTrust(const Parameters& p) {
    if (!p.allow_keyless_verification) {
      for (const yaml::Node* a : ItemsAt(c_, "args")) {
        auto s = a->AsString();
        if (s && s->starts_with("--trusted-root=")) {
          Add("initContainer {}: argument {}, but the constraint does not allow keyless verification", *s);
        }
      }
    }
    for (const yaml::Node* e : ItemsAt(c_, "env")) {
      auto name = StringAt(e, "name");
      if (!name) continue;
      if (!p.allow_keyless_verification && In(*name, kKeylessInputs)) {
        Add("initContainer {}: env {}, but the constraint does not allow keyless verification", *name);
      }
      if (!p.allow_vault_verification && (*name == "VAULT_ADDR" || *name == "AEGIS_VAULT_ADDR")) {
        Add("initContainer {}: env {}, but the constraint does not allow Vault verification", *name);
      }
      auto value = StringAt(e, "value");
      if (value && AdmitsAnyone(*name, *value)) Add("initContainer {}: env {} {} admits every signer", *name, *value);
    }
  }

  void Destination() {
    if (positionals_.size() != 2) return;
    std::string_view dest = positionals_[1];
    bool mounted = false;
    for (const yaml::Node* m : ItemsAt(c_, "volumeMounts")) {
      auto vol = StringAt(m, "name");
      if (!vol || pod_fields::IsTrue(m, "readOnly") || IsKey(*vol)) continue;
      auto path = StringAt(m, "mountPath");
      if (!path) continue;
      if (TrimSlashes(*path) == TrimSlashes(dest)) {
        mounted = true;
      } else {
        Add("initContainer {} mounts volume {} writable at {}, besides its model directory {}", *vol, *path, dest);
      }
    }
    if (!mounted) Add("initContainer {} writes its model to {}, which is not the mount path of a volume it writes", dest);
  }

  const yaml::Node* c_;
  std::string name_;
  const std::vector<std::string_view>& keys_;
  std::vector<std::string_view> key_mounts_;
  std::vector<std::string_view> positionals_;
  std::set<std::string> key_paths_;
  std::set<std::string> found_;
};

}  // namespace

void CheckLockedVerifier(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                         const std::string& subject, std::vector<Violation>& out) {
  auto keys = pod_fields::KeyVolumes(ref.spec, p.secret_name).names;
  for (const yaml::Node* c : verifiers) {
    for (const std::string& f : Lock(c, keys).Findings(p)) {
      out.push_back({"AEGIS008", ref.component, ref.mark, fmt::format("{}: {}", subject, f),
                     "run the verifier as aegis render writes it: the image's command, args [artifact, model "
                     "directory], trust only from the constraint"});
    }
  }
}

}  // namespace aegis
