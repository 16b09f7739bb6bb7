// The Kubernetes API behind one small interface: a request to a path, its status and JSON
// body. The HTTP implementation authenticates as kubectl does (bearer token or token file,
// client certificate, exec credential plugin with client.authentication.k8s.io/v1) and
// trusts the configured CA. Credentials never appear in errors.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "kube/access.h"
#include "util/expected.h"

namespace aegis::kube {

struct ApiResponse {
  long status = 0;
  nlohmann::json body;  // null when the body is not JSON
};

class KubeApi {
 public:
  virtual ~KubeApi() = default;
  // kNetwork when the server cannot be reached; any HTTP status is returned.
  virtual Expected<ApiResponse> Request(const std::string& method, const std::string& path, const nlohmann::json* body = nullptr) = 0;
};

// `stop` (optional; set by a signal handler) aborts a request or a credential plugin in
// flight. `deadline`: no request or plugin runs past it (NetError::kTimeout), so a hanging,
// trickling or endless server cannot outlast the caller's --timeout; deletions (clean-up)
// are exempt from both and bounded by their own 20 s.
std::unique_ptr<KubeApi> ConnectHttp(ClusterAccess access, const std::atomic<bool>* stop = nullptr,
                                     std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

// A 2xx answer's body, or an Error: kForbidden (401, 403), kNotFound (404), kNetwork
// (anything else), with the API server's Status message.
Expected<nlohmann::json> Expect2xx(const Expected<ApiResponse>& r, const std::string& what);

// Runs an exec credential plugin (platform/subprocess.h: own process group, 60 s deadline,
// killed on `stop`); the ExecCredential's status (token or client certificate). Errors: kUsage
// when the plugin cannot be started or prints no ExecCredential, NetError::kForbidden when it
// fails (exit status), NetError::kTimeout, ErrorKind::kInterrupted.
struct ExecCredential {
  std::string token;
  std::string client_cert_pem, client_key_pem;
};
Expected<ExecCredential> RunExecPlugin(const ExecPlugin& plugin, const std::atomic<bool>* stop = nullptr,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace aegis::kube
