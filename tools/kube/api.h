// The Kubernetes API behind one small interface: a request to a path, its status and JSON
// body. The HTTP implementation authenticates as kubectl does (bearer token or token file,
// client certificate, exec credential plugin with client.authentication.k8s.io/v1) and
// trusts the configured CA. Credentials never appear in errors.
#pragma once

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

std::unique_ptr<KubeApi> ConnectHttp(ClusterAccess access);

// A 2xx answer's body, or an Error: kForbidden (401, 403), kNotFound (404), kNetwork
// (anything else), with the API server's Status message.
Expected<nlohmann::json> Expect2xx(const Expected<ApiResponse>& r, const std::string& what);

// Runs an exec credential plugin; the ExecCredential's status (token or client certificate).
struct ExecCredential {
  std::string token;
  std::string client_cert_pem, client_key_pem;
};
Expected<ExecCredential> RunExecPlugin(const ExecPlugin& plugin);

}  // namespace aegis::kube
