// `aegis policy check`: validates hand-edited ConstraintTemplates and Constraints before
// they reach a cluster, where Gatekeeper would reject or silently prune them.
#pragma once

#include <string>
#include <vector>

#include "util/diagnostic.h"

namespace aegis {

struct PolicyCheckResult {
  std::vector<Diagnostic> diagnostics;  // errors and warnings, file:line:col
  size_t files = 0;
  size_t templates = 0;
  size_t constraints = 0;

  size_t Errors() const;
  bool InputInvalid() const;  // unreadable file or invalid YAML (exit 2)
};

// A policy file's text, already read (the inputs layer reads files).
struct PolicyText {
  std::string file;
  std::string text;
};

// Checks templates and constraints across all `texts` (templates first, so constraints are
// checked against templates in any file order); `input_errors` (unreadable inputs) are
// reported first.
PolicyCheckResult CheckPolicyTexts(const std::vector<PolicyText>& texts, const std::vector<Error>& input_errors);

}  // namespace aegis
