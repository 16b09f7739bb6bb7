// --kubeconfig and --context, as kubectl takes them, for the commands that read a live cluster
// (canary, status); and the connection they lead to, with the warnings a user must see.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "kube/access.h"
#include "kube/api.h"
#include "util/expected.h"

namespace CLI {
class App;
}

namespace aegis::cli {

void AddKubeFlags(CLI::App& sub, kube::AccessOptions& access);

// The API server the flags (or KUBECONFIG, ~/.kube/config, the in-cluster account) name. Warns
// on stderr, as `aegis COMMAND: warning: …`, when TLS verification is off or a token would
// travel over plain http://. kUsage for a broken configuration.
Expected<std::unique_ptr<kube::KubeApi>> ConnectCluster(kube::AccessOptions access, const char* command,
                                                        const std::atomic<bool>* stop,
                                                        std::chrono::steady_clock::time_point deadline);

}  // namespace aegis::cli
