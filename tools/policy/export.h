// Generates the deployable Gatekeeper objects: the ConstraintTemplate (with the Rego from
// rego/aegis_signed.rego, embedded at build time) and an AegisSignedPod Constraint.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/constraint.h"

namespace aegis {

// The repository ci/image/build.sh builds (and `aegis render` uses by default), any tag.
inline constexpr std::string_view kShippedVerifierImage = "localhost/aegis/verify-and-fetch";

// Which objects the policy applies to. KServe's kinds (InferenceService, LLMInferenceService,
// TrainedModel) serve models by definition and are checked in every namespace; other
// workloads only where the scope says (docs/POLICY.md, "Scope").
struct Scope {
  enum class Kind {
    kNamespaceLabel,  // workloads in namespaces carrying label (namespaceSelector); the default
    kWorkloadLabel,   // workloads carrying label themselves (labelSelector)
    kNamespaces,      // every kind, only in `namespaces` (spec.match.namespaces)
    kEverywhere,      // every kind in every namespace but the system ones (version 1's shipped scope)
  };
  Kind kind = Kind::kNamespaceLabel;
  std::string label_key = "aegis.dev/model-serving";
  std::string label_value = "true";
  std::vector<std::string> namespaces;
};

// "KEY=VALUE" or "KEY" (value "true") into the scope's label; an error message when malformed.
std::optional<std::string> SetScopeLabel(Scope& scope, std::string_view spec);

struct ExportOptions {
  Scope scope;
  std::string pattern = "verify";
  std::string secret_name = "cosign-public-key";
  bool require_mount = true;
  bool allow_vault = false;
  bool allow_keyless = false;  // Sigstore keyless verifiers (trusted root + identity policy)
  std::string trusted_root_config_map = "sigstore-trusted-root";
  // Version 2; the shipped constraints enable AEGIS004–006 for the image the project builds.
  std::optional<std::vector<std::string>> verifier_images = std::vector<std::string>{std::string(kShippedVerifierImage)};
  bool require_digest = false;
  bool require_verified_model = true;
  bool require_model_mount = true;
  std::vector<std::string> verified_storage_uri_prefixes;  // KServe-native mode
  std::string storage_container_name;  // KServe-native mode: required next to each storageUri ("": not)
  // Version 3; the shipped constraints lock the verifier and seal the model volume. Trust is
  // pinned when the platform says by what (aegis init, policy export --key/--certificate-*).
  std::optional<TrustPins> trust;
  bool lock_verifier = true;
  bool seal_model_volume = true;
  EnforcementAction action = EnforcementAction::kDeny;
};

// The name of the Aegis ClusterStorageContainer (`aegis render --template clusterstoragecontainer`).
inline constexpr const char* kStorageContainerName = "aegis-verify-and-fetch";

// --kserve-native: `^storage-initializer$` joins the pattern (KServe names the container it
// injects so; the image rule is what makes the name safe) and, unless given, the prefixes
// are those the Aegis ClusterStorageContainer serves and every storageUri must name it
// (storageContainerName, KServe >= 0.20).
ExportOptions KServeNative(ExportOptions o);

std::string_view RegoSource();           // rego/aegis_signed.rego
std::string TemplateYaml();              // policies/constrainttemplate.yaml
// policies/constraint-*.yaml: one Constraint per document (two or three for a label scope).
std::string ConstraintYaml(const ExportOptions& o);

// The parameters the template declares, with their OpenAPI types.
struct ParameterSpec {
  std::string_view name;
  std::string_view type;  // "array" (of string), "string", "boolean", "object" (schema below)
  std::string_view description;
};
const std::vector<ParameterSpec>& TemplateParameters();

}  // namespace aegis
