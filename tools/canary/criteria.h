// The seed's canary acceptance criteria, judged from the objects the API server returns
// (Pods with their init container statuses; AegisSignedPod Constraints with their audit
// status). Pure functions: the runner fetches, these decide.
//   1 positive:  the verify initContainer terminated with exit 0 and the pod is Ready
//                (optionally: the server's readiness endpoint answers through the pod proxy).
//   2 violating: the pod (no verify initContainer or no key) is listed in a Constraint's
//                status.violations[] by Gatekeeper's audit.
//   3 tampered:  the verify initContainer exited non-zero (state or lastState), with the
//                termination-log message, and the pod never became Ready.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/cluster_policy.h"
#include "policy/constraint.h"

namespace aegis::canary {

enum class Role { kPositive, kViolating, kTampered };
const char* RoleLabel(Role r);  // the aegis/canary label value
int CriterionNumber(Role r);    // 1, 2, 3

enum class Verdict { kPass, kFail, kPending };

struct Criterion {
  Role role = Role::kPositive;
  Verdict verdict = Verdict::kPending;
  std::string reason;                 // why it passed, failed or is still pending
  std::vector<std::string> evidence;  // pod names, exit codes, messages, violation entries
  bool timed_out = false;
};

// `pods`: the items of a PodList; `constraints`: AegisSignedPod objects; `denied`: names of
// violating pods the API server refused at admission (Gatekeeper in deny mode), with the
// message; `probes`: pod name → readiness endpoint answered 2xx (absent: not probed).
struct Observed {
  std::vector<nlohmann::json> pods;
  std::vector<nlohmann::json> constraints;
  std::vector<std::pair<std::string, std::string>> denied;
  std::vector<std::pair<std::string, bool>> probes;
};

Criterion Judge(Role role, const Observed& observed);

// The policy the pods are judged by: the cluster's constraints (cluster/cluster_policy.h).
using cluster::Policy;
using cluster::ReadPolicy;

// The pods are judged through the policy itself (lint's checks, with the parameters and match
// of the AegisSignedPod constraints read from the cluster; the built-in constraint when there
// are none): a positive or tampered canary must satisfy it, a violating one must not, and the
// verifier is the initContainer the policy accepts as such.

}  // namespace aegis::canary
