// Pods as the API server lists them, made whole again: the items of a PodList carry no kind or
// apiVersion (the list does), and the policy's checks select by kind, so each pod gets them
// back, as kubectl does.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/api.h"
#include "util/expected.h"

namespace aegis::cluster {

// /api/v1/namespaces/NS/pods, or /api/v1/pods when `ns` is empty (every namespace).
std::string PodsPath(const std::string& ns);

// The pods of `ns` (every namespace when empty) that `selector` (a label selector; empty: all)
// selects.
Expected<std::vector<nlohmann::json>> ListPods(kube::KubeApi& api, const std::string& ns, const std::string& selector);

}  // namespace aegis::cluster
