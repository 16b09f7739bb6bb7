// `aegis canary`: the canary acceptance checks against a live cluster. Observe mode judges
// the pods labelled aegis/canary in a namespace (and the AegisSignedPod constraints'
// audit status); --apply first creates the three canaries from the render templates,
// waits (polling, bounded by a timeout) and always deletes what it created — also when
// interrupted.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "canary/criteria.h"
#include "kube/api.h"
#include "render/injector.h"
#include "util/expected.h"

namespace aegis::canary {

struct CanaryOptions {
  std::string namespace_ = "aegis-canary";
  std::string selector;    // narrows the pods (label selector), besides aegis/canary
  std::string constraint;  // one AegisSignedPod constraint; empty: all
  std::vector<Role> roles = {Role::kPositive, Role::kViolating, Role::kTampered};
  std::chrono::milliseconds timeout{std::chrono::seconds(300)};
  std::chrono::milliseconds poll{2000};
  std::string probe_path;  // e.g. /v2/health/ready, through the pod proxy
  int probe_port = 8000;
  // --apply
  bool apply = false;
  std::string artifact;           // the signed model
  std::string tampered_artifact;  // an artifact whose signature does not verify
  std::string server_image = "nvcr.io/nvidia/tritonserver:24.08-py3";
  std::string service_account = "model-fetcher";  // the canary pods' (storage identity)
  render::RenderSettings settings;                // verifier image, --env-from-secret, …
};

struct CanaryResult {
  std::vector<Criterion> criteria;
  std::vector<std::string> created, deleted;
  std::optional<Error> error;  // could not run at all (unreachable, forbidden, …)
  bool interrupted = false;
};

// Process exit codes of `aegis canary`.

// `sleep` waits between polls (tests pass a fast one); `stop` is set on SIGINT/SIGTERM.
CanaryResult RunCanary(const CanaryOptions& options, kube::KubeApi& api,
                       const std::function<void(std::chrono::milliseconds)>& sleep, const std::atomic<bool>& stop);

}  // namespace aegis::canary
