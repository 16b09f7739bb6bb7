// What a lint run produced: the objects seen, the findings, and diagnostics about input.
#pragma once

#include <string>
#include <vector>

#include "policy/constraint.h"
#include "util/diagnostic.h"
#include "util/error.h"

namespace aegis {

enum class ObjectStatus {
  kChecked,     // a checked kind in scope of at least one constraint
  kOutOfScope,  // a checked kind no constraint matches
  kNotChecked,  // a kind docs/POLICY.md does not check (or a Rollout with workloadRef)
};

struct ObjectRecord {
  std::string file;
  Mark mark;
  std::string api_version;
  std::string kind;
  std::string namespace_;
  std::string name;
  ObjectStatus status = ObjectStatus::kNotChecked;
};

enum class Severity { kError, kWarning };

struct Finding {
  size_t object = 0;     // index into LintResult::objects
  size_t constraint = 0; // index into LintResult::constraints
  std::string file;
  Mark mark;             // the pod spec (or the object when it has none)
  std::string component; // InferenceService component, else ""
  std::string rule_id;
  std::string message;
  std::string hint;  // one-line fix
  Severity severity = Severity::kError;
  EnforcementAction action = EnforcementAction::kDeny;
};

struct LintResult {
  std::vector<Constraint> constraints;
  std::vector<ObjectRecord> objects;
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> inputs;  // the inputs in the order they were read
  size_t files = 0;

  size_t Count(Severity s) const;
  size_t InputErrors() const;
};

}  // namespace aegis
