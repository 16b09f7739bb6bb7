// The cluster's policy as the tools that read a live cluster see it (`aegis canary`, `aegis
// status`): its AegisSignedPod constraints, read as the linter reads a policy file, and the
// labels of its namespaces, for the constraints' namespaceSelectors.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/api.h"
#include "policy/constraint.h"
#include "policy/match.h"
#include "util/expected.h"

namespace aegis::cluster {

// AegisSignedPod constraints: the one named `only`, or all of them; none when the kind does not
// exist (no Gatekeeper, or no template).
Expected<std::vector<nlohmann::json>> ListConstraints(kube::KubeApi& api, const std::string& only = {});

// The constraints as the linter reads them, or the built-in ones when the cluster has none.
struct Policy {
  std::vector<Constraint> constraints;
  std::vector<std::string> problems;  // constraints that could not be read (file: message)
};
Policy ReadPolicy(const std::vector<nlohmann::json>& constraints);

// One namespace's labels; nullopt when they cannot be read (no RBAC to get namespaces).
std::optional<Labels> NamespaceLabels(kube::KubeApi& api, const std::string& ns);
// Every namespace's labels, by name.
Expected<std::map<std::string, Labels>> AllNamespaceLabels(kube::KubeApi& api);

}  // namespace aegis::cluster
