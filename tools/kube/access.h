// How to reach a Kubernetes API server, resolved the way kubectl does: --kubeconfig, else
// KUBECONFIG (a ':'-separated list, merged: the first file defining a name wins), else
// ~/.kube/config, else the in-cluster service account (KUBERNETES_SERVICE_HOST/PORT and
// its token, ca.crt and namespace). Contexts, clusters (server, certificate-authority[-data],
// insecure-skip-tls-verify) and users (token, tokenFile, client-certificate[-data],
// client-key[-data], exec credential plugins) as in kubeconfig v1. Relative paths are
// relative to the kubeconfig file that names them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/env.h"
#include "util/expected.h"

namespace aegis::kube {

struct ExecPlugin {
  std::string api_version;  // client.authentication.k8s.io/v1 (or v1beta1)
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
};

struct ClusterAccess {
  std::string server;            // https://host:port
  std::string ca_pem;            // empty: the system's trust store
  bool insecure = false;         // insecure-skip-tls-verify (callers warn)
  std::string token;             // bearer token (secret)
  std::string token_file;        // re-read for every request (rotated tokens)
  std::string client_cert_pem;
  std::string client_key_pem;    // secret
  std::optional<ExecPlugin> exec;
  std::string namespace_;        // the context's namespace, if any
  std::string source;            // for messages: "kubeconfig F, context C" or "in-cluster service account"
};

struct AccessOptions {
  std::string kubeconfig;  // --kubeconfig
  std::string context;     // --context
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
};

// kUsage for a broken or incomplete configuration (naming the file and what is wrong).
Expected<ClusterAccess> ResolveAccess(const AccessOptions& options, const platform::Env& env);

}  // namespace aegis::kube
