// The three requirements on a pod spec (AEGIS001–003) and their catalogue.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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
  std::string message;
  std::string hint;  // one-line fix naming this constraint's pattern and secret
};

// Checks one pod spec (nullptr when the pod spec path is missing). `subject` names the
// object and component in messages, e.g. "InferenceService ns/name (predictor)".
std::vector<Violation> CheckPodSpec(const yaml::Node* spec, std::string_view spec_path, const Parameters& p,
                                    const std::string& subject);

// The initContainer that satisfies the policy as the verifier: among those whose name matches
// the pattern, one that mounts the key volume (or, where Vault is allowed, declares
// VAULT_ADDR); without requireMount the first match. nullptr when none does.
const yaml::Node* VerifierContainer(const yaml::Node* spec, const Parameters& p);

}  // namespace aegis
