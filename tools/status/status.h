// `aegis status`: every model-serving pod the cluster's policy selects, with what its verifier
// placed and who signed it (status/served_model.h), read from the API server once or, with
// --watch, round after round.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "kube/api.h"
#include "status/served_model.h"
#include "util/expected.h"

namespace aegis::status {

struct StatusOptions {
  std::string namespace_;  // empty: every namespace
  std::string selector;    // a label selector narrowing the pods
  std::string constraint;  // one AegisSignedPod constraint; empty: all
};

struct StatusResult {
  std::vector<ServedModel> models;    // by namespace, workload, pod
  std::vector<std::string> warnings;  // what limits the answer (unreadable constraints, namespace labels)
};

// Errors: the API server unreachable (kNetwork), 401/403 (kForbidden) for pods or constraints.
Expected<StatusResult> CollectStatus(kube::KubeApi& api, const StatusOptions& options);

// Reads the status round after round until `stop` or an error, `sleep` between rounds, and
// gives `emit` each round's models that are new or changed since the round before (the first
// round: all of them) and the pods that are gone (namespace/name).
struct Changes {
  std::vector<ServedModel> changed;
  std::vector<std::string> gone;
  std::vector<std::string> warnings;  // the first round's
  bool first = false;
};
Status Watch(kube::KubeApi& api, const StatusOptions& options,
             const std::function<void(std::chrono::milliseconds)>& sleep, std::chrono::milliseconds interval,
             const std::atomic<bool>& stop, const std::function<void(const Changes&)>& emit);

}  // namespace aegis::status
