// `aegis canary`: the seed's canary acceptance criteria, checked against a live cluster.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include <cmath>

#include <CLI/CLI.hpp>

#include "canary/canary.h"
#include "canary/report.h"
#include "cli/commands.h"
#include "cli/kube_flags.h"
#include "cli/output_flags.h"
#include "cli/project.h"
#include "util/duration.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace aegis::cli {
namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

struct CanaryFlags {
  canary::CanaryOptions o;
  kube::AccessOptions access;
  std::vector<std::string> roles;
  OutputFlags output;
  ConfigFlags config;
  bool image_given = false;
  double timeout = 300;  // seconds
  double poll = 2.0;
};

int RunCanaryCommand(CanaryFlags& f) {
  std::vector<std::string> warnings;
  auto outputs = ResolveOutputs(f.output, {"text", "json", "junit"}, "text", warnings);
  for (const auto& w : warnings) std::cerr << "aegis canary: warning: " << w << "\n";
  if (!outputs) {
    std::cerr << "aegis canary: error: " << Printable(outputs.error().Describe()) << "\n";
    return kCanaryUsage;
  }
  const std::string format = outputs->front().format, output = outputs->front().file;
  auto project = LoadProjectConfig(f.config);
  if (!project) {
    std::cerr << "aegis canary: error: " << Printable(project.error().Describe()) << "\n";
    return kCanaryUsage;
  }
  if (*project && !f.image_given && !(*project)->verifier_image.empty()) f.o.settings.image = (*project)->verifier_image;
  if (f.o.apply && (f.o.artifact.empty() || f.o.tampered_artifact.empty())) {
    // Said before anything is contacted or reported: no report claims canaries were applied.
    std::cerr << "aegis canary: error: --apply needs --artifact (the signed model) and --tampered-artifact (one "
                 "whose signature does not verify; docs: README, aegis canary)\n";
    return kCanaryUsage;
  }
  if (!f.roles.empty()) {
    f.o.roles.clear();
    for (const auto& r : f.roles) {
      f.o.roles.push_back(r == "positive" ? canary::Role::kPositive : r == "violating" ? canary::Role::kViolating : canary::Role::kTampered);
    }
  }
  f.o.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(f.timeout * 1000)));
  f.o.poll = std::chrono::milliseconds(static_cast<long>(f.poll * 1000));
  // No request outlives --timeout (plus a moment for the last poll to be judged).
  auto api = ConnectCluster(f.access, "canary", &g_stop,
                            std::chrono::steady_clock::now() + f.o.timeout + std::chrono::seconds(2));
  if (!api) {
    std::cerr << "aegis canary: error: " << Printable(api.error().Describe()) << "\n";
    return kCanaryUsage;
  }
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  auto sleep = [](std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (!g_stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  canary::CanaryResult r = canary::RunCanary(f.o, **api, sleep, g_stop);
  std::string text = format == "json" ? canary::JsonReport(r, f.o, CanaryExitCode(r)) : format == "junit" ? canary::JunitReport(r, f.o) : canary::TextReport(r, f.o);
  if (output == "-") {
    std::cout << text;
  } else {
    if (auto w = WriteFileAtomically(output, text); !w) {
      std::cerr << "aegis canary: error: " << Printable(w.error().Describe()) << "\n";
      return kCanaryUsage;
    }
    std::cerr << canary::TextReport(r, f.o);
  }
  return CanaryExitCode(r);
}

}  // namespace

void SetupCanary(CLI::App& sub, int& exit_code) {
  auto f = std::make_shared<CanaryFlags>();
  sub.add_option("-n,--namespace", f->o.namespace_, "namespace of the canary pods")->capture_default_str();
  sub.add_option("-l,--selector", f->o.selector, "label selector narrowing the canary pods");
  sub.add_option("--constraint", f->o.constraint, "AegisSignedPod constraint to read (default: all)");
  sub.add_option("--criteria", f->roles, "criteria to check: positive, violating, tampered (default: all)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember({"positive", "violating", "tampered"}));
  // Durations as kubectl takes them (300ms, 30s, 5m); a bare number is seconds.
  const CLI::Validator duration(DurationToSeconds, "DURATION");
  sub.add_option("--timeout", f->timeout, "how long to wait for pods and the next audit (5m)")
      ->transform(duration)
      ->check(CLI::Range(0.001, 86400.0 * 7));
  sub.add_option("--poll-interval", f->poll, "time between polls (2s)")->transform(duration)->check(CLI::Range(0.01, 3600.0));
  sub.add_option("--probe-path", f->o.probe_path, "readiness endpoint of the positive canary, via the pod proxy (e.g. /v2/health/ready)");
  sub.add_option("--probe-port", f->o.probe_port, "port of --probe-path")->capture_default_str();
  sub.add_flag("--apply", f->o.apply, "create the three canary pods, check them, delete them");
  sub.add_option("--artifact", f->o.artifact, "--apply: the signed model (positive canary)");
  sub.add_option("--tampered-artifact", f->o.tampered_artifact, "--apply: an artifact whose signature does not verify");
  sub.add_option("--image", f->o.settings.image, "--apply: verifier image (default: the project file's verifierImage)")
      ->capture_default_str()
      ->each([f](const std::string&) { f->image_given = true; });
  AddConfigFlags(sub, f->config);
  sub.add_option("--server-image", f->o.server_image, "--apply: model server image")->capture_default_str();
  sub.add_option("--service-account", f->o.service_account,
                 "--apply: the canary pods' service account (the verifier's storage identity)")
      ->capture_default_str();
  sub.add_option("--env-from-secret", f->o.settings.env_from_secret,
                 "--apply: a Secret whose keys become the verifier's environment (S3 endpoint and keys)");
  AddKubeFlags(sub, f->access);
  AddOutputFlags(sub, f->output, {"text", "json", "junit"}, false);  // a file gets the report, stderr the text summary
  sub.footer("Exit codes: 0 every selected criterion passed, 1 a criterion failed, 2 usage/configuration,\n"
             "3 cannot reach the cluster, 4 forbidden (401/403), 5 timed out waiting, 130 interrupted (canaries cleaned up).\n"
             "The criteria and the reports: README, \"aegis canary\" (installed in /usr/share/doc/aegis/).");
  sub.callback([f, &exit_code] { exit_code = RunCanaryCommand(*f); });
}

}  // namespace aegis::cli
