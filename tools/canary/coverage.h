// Whether the cluster's policy selects the canaries at all: criterion 2 waits for Gatekeeper
// to report the violating canary, which it never does in a namespace no constraint selects
// (the shipped constraints select workloads in namespaces labelled aegis.dev/model-serving).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/constraint.h"
#include "policy/match.h"

namespace aegis::canary {

// Empty when some constraint selects `pod` in a namespace with `namespace_labels`; otherwise
// what the constraints select and how to bring the namespace in.
std::optional<std::string> CoverageProblem(const std::vector<Constraint>& constraints, const nlohmann::json& pod,
                                           const Labels& namespace_labels);

}  // namespace aegis::canary
