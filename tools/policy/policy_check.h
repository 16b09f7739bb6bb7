// `aegis policy check`: validates hand-edited ConstraintTemplates and Constraints before
// they reach a cluster, where Gatekeeper would reject or silently prune them.
#pragma once

#include <string>
#include <vector>

#include "lint/lint_result.h"

namespace aegis {

struct PolicyCheckResult {
  std::vector<Diagnostic> diagnostics;  // errors and warnings, file:line:col
  size_t files = 0;
  size_t templates = 0;
  size_t constraints = 0;

  size_t Errors() const;
  bool InputInvalid() const;  // unreadable file or invalid YAML (exit 2)
};

PolicyCheckResult CheckPolicyFiles(const std::vector<std::string>& paths);

}  // namespace aegis
