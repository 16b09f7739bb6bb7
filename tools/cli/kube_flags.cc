#include "cli/kube_flags.h"

#include <algorithm>
#include <cctype>
#include <iostream>

#include <CLI/CLI.hpp>

#include "platform/env.h"

namespace aegis::cli {
namespace {

bool PlainHttp(const std::string& server) {
  constexpr std::string_view kHttp = "http://";
  return server.size() >= kHttp.size() && std::equal(kHttp.begin(), kHttp.end(), server.begin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}

}  // namespace

void AddKubeFlags(CLI::App& sub, kube::AccessOptions& access) {
  sub.add_option("--kubeconfig", access.kubeconfig,
                 "kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)");
  sub.add_option("--context", access.context, "kubeconfig context");
}

Expected<std::unique_ptr<kube::KubeApi>> ConnectCluster(kube::AccessOptions options, const char* command,
                                                        const std::atomic<bool>* stop,
                                                        std::chrono::steady_clock::time_point deadline) {
  platform::Env getenv = platform::ProcessEnv();
  if (auto dir = getenv("AEGIS_SERVICE_ACCOUNT_DIR")) options.service_account_dir = *dir;
  auto access = kube::ResolveAccess(options, getenv);
  if (!access) return access.error();
  if (access->insecure)
    std::cerr << "aegis " << command
              << ": warning: TLS verification of the API server is OFF (insecure-skip-tls-verify)\n";
  bool has_token = !access->token.empty() || !access->token_file.empty() || access->exec.has_value();
  if (has_token && PlainHttp(access->server)) {
    std::cerr << "aegis " << command
              << ": warning: the API server is plain http://: the bearer token travels unencrypted\n";
  }
  return kube::ConnectHttp(*access, stop, deadline);
}

}  // namespace aegis::cli
