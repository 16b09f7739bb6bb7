// The requirements on an object's pod specs (AEGIS001–006) and their catalogue.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "manifest/pod_spec.h"
#include "policy/constraint.h"
#include "yaml/node.h"

namespace aegis {

struct RuleInfo {
  std::string_view id;       // AEGIS001
  std::string_view name;     // verify-init
  std::string_view summary;  // one sentence
  std::string_view help;     // what to do, a paragraph
  std::string_view hint;     // one-line fix
};

const std::vector<RuleInfo>& RuleCatalog();
const RuleInfo& Rule(std::string_view id);

struct Violation {
  std::string_view rule_id;
  std::string component;  // "" or the component the finding is about
  Mark mark;              // where to point: the pod spec, or the object
  std::string message;
  std::string hint;  // one-line fix naming this constraint's parameters
};

// Checks an object whose pod specs LocatePodSpecs found (a checked kind). Messages name the
// object and component, e.g. "InferenceService ns/name (predictor): …". A finding is listed
// once even when two containers give the same message (as Gatekeeper's result set does).
std::vector<Violation> CheckObject(const ObjectRef& obj, const PodSpecs& specs, const Parameters& p);

// The initContainer that satisfies the policy as the verifier: among those whose name matches
// the pattern and whose image the constraint allows, one that mounts the key volume (or, where
// Vault is allowed, declares VAULT_ADDR); without requireMount the first. nullptr when none.
const yaml::Node* VerifierContainer(const yaml::Node* spec, const Parameters& p);

}  // namespace aegis
