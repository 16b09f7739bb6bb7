// An AegisSignedPod Constraint: parameters, match and enforcementAction (docs/POLICY.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/expected.h"
#include "util/trust_pins.h"
#include "yaml/node.h"

namespace re2 {
class RE2;
}

namespace aegis {

enum class EnforcementAction { kDeny, kWarn, kDryrun };
std::string_view ToString(EnforcementAction a);

struct LabelRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};

struct LabelSelector {
  std::vector<std::pair<std::string, std::string>> match_labels;
  std::vector<LabelRequirement> expressions;
};

struct KindSelector {
  std::vector<std::string> api_groups;
  std::vector<std::string> kinds;
};

struct Match {
  std::vector<KindSelector> kinds;             // empty: every kind
  std::vector<std::string> namespaces;         // globs; empty: every namespace
  std::vector<std::string> excluded_namespaces;
  std::optional<LabelSelector> label_selector;
  std::optional<LabelSelector> namespace_selector;
  std::string scope;  // "", "*", "Cluster", "Namespaced"
  std::string name;   // glob, "" = any
};

struct Parameters {
  std::optional<std::vector<std::string>> namespaces;  // absent: every namespace
  std::string init_container_pattern = "verify";
  std::shared_ptr<const re2::RE2> pattern;  // compiled init_container_pattern
  std::string secret_name = "cosign-public-key";
  bool require_mount = true;
  bool allow_vault_verification = false;
  // Keyless: a verifier declaring a Sigstore trusted root and identity policy, and mounting
  // the trusted root from this ConfigMap, needs no key volume.
  bool allow_keyless_verification = false;
  std::string trusted_root_config_map = "sigstore-trusted-root";
  // Version 2 (docs/POLICY.md): absent or false keeps version 1's behaviour.
  std::optional<std::vector<std::string>> verifier_images;  // `repo` or `prefix*` entries
  bool require_digest = false;                               // the verifier image is pinned @sha256:
  bool require_verified_model = false;                       // AEGIS005
  bool require_model_mount = false;                          // AEGIS006
  std::vector<std::string> verified_storage_uri_prefixes;   // KServe-native delivery
  std::string storage_container_name;  // KServe-native: the ClusterStorageContainer every storageUri names ("": none)
  // Version 3: the platform pins trust (AEGIS007), the verifier is locked (AEGIS008), only the
  // verifier writes the model volume (AEGIS009). Absent or false keeps version 2's behaviour.
  std::optional<nlohmann::json> trust;  // parameters.trust as given: what AEGIS_TRUST_POLICY must equal
  TrustPins trust_pins;                 // the same, read
  bool lock_verifier = false;
  bool seal_model_volume = false;
};

struct Constraint {
  std::string name;
  std::string file;
  Mark mark;
  EnforcementAction action = EnforcementAction::kDeny;
  Match match;
  Parameters parameters;
};

// Defaults of every parameter, pattern compiled.
Parameters DefaultParameters();

// Compiles an RE2 pattern the way Gatekeeper's regex.match (Go RE2) accepts it.
Expected<std::shared_ptr<const re2::RE2>> CompilePattern(const std::string& pattern);

struct LoadedConstraints {
  std::vector<Constraint> constraints;
  std::vector<Error> warnings;  // e.g. unknown parameters (Gatekeeper prunes them)
};

struct ObjectRef;

// Parses one AegisSignedPod object; unknown parameters are appended to `warnings`.
Expected<Constraint> ParseConstraint(const std::string& file, const ObjectRef& obj, std::vector<Error>& warnings);

// Every problem of one AegisSignedPod object (policy check reports them all in one run).
std::vector<Error> ConstraintProblems(const std::string& file, const ObjectRef& obj, std::vector<Error>& warnings);

// "trust is chosen by the workload" when the constraint pins no signer (parameters.trust).
std::optional<Error> TrustWarning(const Constraint& c);

// Reads every AegisSignedPod constraint in a YAML stream; other objects are ignored. A
// constraint without parameters.trust adds TrustWarning to the warnings.
Expected<LoadedConstraints> ParseConstraints(const std::string& file, std::string_view text);

// The repository's own constraints (policies/constraint-enforce.yaml), embedded at build time.
Expected<LoadedConstraints> BuiltinConstraints();

// The constraints without their label and namespace selectors: how render and canary judge one
// object — by the rules, as if its namespace and labels put it in scope.
std::vector<Constraint> WithoutSelectors(std::vector<Constraint> constraints);

}  // namespace aegis
