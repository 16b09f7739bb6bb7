// Generates the deployable Gatekeeper objects: the ConstraintTemplate (with the Rego from
// rego/aegis_signed.rego, embedded at build time) and an AegisSignedPod Constraint.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/constraint.h"

namespace aegis {

struct ExportOptions {
  std::optional<std::vector<std::string>> namespaces;
  std::string pattern = "verify";
  std::string secret_name = "cosign-public-key";
  bool require_mount = true;
  bool allow_vault = false;
  EnforcementAction action = EnforcementAction::kDeny;
};

std::string_view RegoSource();           // rego/aegis_signed.rego
std::string TemplateYaml();              // policies/constrainttemplate.yaml
std::string ConstraintYaml(const ExportOptions& o);  // policies/constraint-*.yaml

// The parameters the template declares, with their OpenAPI types.
struct ParameterSpec {
  std::string_view name;
  std::string_view type;  // "array" (of string), "string", "boolean"
};
const std::vector<ParameterSpec>& TemplateParameters();

}  // namespace aegis
