// An in-test Kubernetes API server over HTTPS (a test CA; client certificates requested):
// the paths `aegis canary` uses — /api/v1/namespaces/{ns}/pods (list with labelSelector,
// create, delete, the pod proxy) and /apis/constraints.gatekeeper.sh/v1beta1/aegissignedpod
// (list, get), and the Namespace itself (get) — with real object shapes (PodList, Pod status with initContainerStatuses
// and conditions, Constraint status.totalViolations/violations) and real failures: 401
// Unauthorized and 403 Forbidden as metav1.Status objects, 404 NotFound, admission denial
// by Gatekeeper's webhook. Authentication: bearer token kToken, or a client certificate with
// CN kClientCn signed by the test CA. Created pods progress like a kubelet would run them.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_server.h"
#include "support/test_support.h"

namespace aegis::testing {

class KubeApiServer {
 public:
  static constexpr const char* kToken = "canary-bearer-token-value";
  static constexpr const char* kForbiddenToken = "token-without-rbac";
  static constexpr const char* kClientCn = "canary-user";

  KubeApiServer();  // generates the PKI with the openssl CLI
  std::string url() const { return http_->Url(""); }
  std::string File(const std::string& name) const { return pki_.File(name); }  // ca.pem, client.pem, client.key

  void AddPod(nlohmann::json pod);
  void AddConstraint(nlohmann::json constraint);

  // Behaviour of the scripted cluster.
  int audit_after = 0;          // violations of created/added violating pods appear after this many constraint reads
  int ready_after = 1;          // created pods finish their init step after this many pod lists
  bool progress = true;         // created pods progress at all
  bool deny_violating = false;  // Gatekeeper in deny mode: creating a violating pod is refused
  bool tampered_passes = false; // a broken cluster: the tampered canary's verifier exits 0
  // The labels of the Namespace aegis-canary (GET /api/v1/namespaces/aegis-canary); as the
  // shipped constraints select namespaces by default.
  std::map<std::string, std::string> namespace_labels{{"aegis.dev/model-serving", "true"}};
  // Called (server thread, under the lock) once a pod was created, with how many so far.
  std::function<void(size_t)> on_pod_created;

  // A hostile or broken API server, for pod lists: never answers; answers a byte at a time
  // (slow loris); streams an endless chunked body. Each ends when the client goes away.
  enum class Fault { kNone, kHang, kTrickle, kEndlessChunks };
  std::atomic<Fault> fault{Fault::kNone};

  std::vector<HttpRequest> Log() const { return http_->Log(); }
  int Count(const std::string& method, const std::string& prefix) const;

 private:
  void Handle(const HttpRequest& req, HttpConnection& c);
  void Misbehave(HttpConnection& c);
  void Progress();  // under mu_

  TempDir pki_;
  mutable std::mutex mu_;
  std::map<std::string, nlohmann::json> pods_;  // name → pod (one namespace is enough here)
  std::map<std::string, nlohmann::json> constraints_;
  std::vector<std::string> created_;
  int pod_lists_ = 0, constraint_reads_ = 0;
  std::unique_ptr<HttpServer> http_;
};

// A finished pod as the kubelet reports it: the verify initContainer terminated with
// `exit_code` (and `message`), Ready when `ready`.
nlohmann::json PodWithStatus(const std::string& name, const std::string& role, bool with_verifier, int exit_code, bool ready,
                             const std::string& message = "");

}  // namespace aegis::testing
