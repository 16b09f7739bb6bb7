// `aegis status`: the model-serving pods the cluster's policy selects, what each verifier
// placed and who signed it.
#include <signal.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <thread>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/kube_flags.h"
#include "cli/output_flags.h"
#include "status/status.h"
#include "status/status_report.h"
#include "util/duration.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace aegis::cli {
namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

struct StatusFlags {
  status::StatusOptions o;
  kube::AccessOptions access;
  OutputFlags output;
  bool all_namespaces = false;
  bool watch = false;
  double poll = 2.0;              // seconds
  double request_timeout = 60.0;  // seconds
};

const std::vector<std::string> kFormats = {"table", "json", "prometheus"};

int Fail(const Error& e) {
  std::cerr << "aegis status: error: " << Printable(e.Describe()) << "\n";
  return StatusExitCode(e.kind);
}

void Warn(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::cerr << "aegis status: warning: " << Printable(w) << "\n";
}

// One snapshot, in the format asked for, to standard output or the file.
int PrintOnce(kube::KubeApi& api, const StatusFlags& f, const OutputChoice& out) {
  auto r = status::CollectStatus(api, f.o);
  if (!r) return Fail(r.error());
  Warn(r->warnings);
  std::string text = out.format == "json"         ? status::JsonList(r->models, r->warnings)
                     : out.format == "prometheus" ? status::PrometheusText(r->models)
                                                  : status::TableText(r->models, f.o.namespace_.empty());
  if (out.format == "table" && r->models.empty()) {
    std::cerr << (f.o.namespace_.empty() ? std::string("No model-serving pods found.")
                                         : "No model-serving pods found in " + f.o.namespace_ + " namespace.")
              << "\n";
    text.clear();
  }
  if (out.file == "-") {
    std::cout << text << std::flush;
    return kExitClean;
  }
  if (auto w = WriteFileAtomically(out.file, text); !w) return Fail(w.error());
  return kExitClean;
}

// --watch: the table (then a row per change) or a JSON object per line per change, until
// interrupted.
int PrintChanges(kube::KubeApi& api, const StatusFlags& f, const OutputChoice& out) {
  auto sleep = [](std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (!g_stop && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  bool all = f.o.namespace_.empty();
  auto emit = [&](const status::Changes& c) {
    Warn(c.warnings);
    for (const auto& gone : c.gone) std::cerr << "aegis status: " << Printable(gone) << ": pod deleted\n";
    if (out.format == "json") {
      for (const auto& m : c.changed) std::cout << status::JsonItem(m) << "\n";
    } else {
      std::cout << status::TableText(c.changed, all, c.first);
    }
    std::cout << std::flush;
  };
  auto interval = std::chrono::milliseconds(static_cast<long long>(std::ceil(f.poll * 1000)));
  if (Status st = status::Watch(api, f.o, sleep, interval, g_stop, emit); !st) return Fail(st.error());
  return kExitClean;
}

int RunStatus(StatusFlags& f) {
  std::vector<std::string> warnings;
  auto outputs = ResolveOutputs(f.output, kFormats, "table", warnings);
  Warn(warnings);
  if (!outputs) return Fail(outputs.error());
  const OutputChoice out = outputs->front();
  if (f.all_namespaces && !f.o.namespace_.empty()) {
    return Fail(Error{ErrorKind::kUsage, {}, {}, "-A/--all-namespaces and -n/--namespace: choose one"});
  }
  if (f.watch && (out.format == "prometheus" || out.file != "-")) {
    return Fail(Error{ErrorKind::kUsage,
                      {},
                      {},
                      "--watch prints changes to standard output as a table or JSON; for "
                      "Prometheus, scrape `aegis status -o prometheus` instead"});
  }
  // One read is bounded by --request-timeout; with --watch every request by 60 s.
  auto deadline = f.watch ? std::chrono::steady_clock::time_point::max()
                          : std::chrono::steady_clock::now() +
                                std::chrono::milliseconds(static_cast<long long>(std::ceil(f.request_timeout * 1000)));
  auto api = ConnectCluster(f.access, "status", &g_stop, deadline);
  if (!api) return Fail(api.error());
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return f.watch ? PrintChanges(**api, f, out) : PrintOnce(**api, f, out);
}

}  // namespace

void SetupStatus(CLI::App& sub, int& exit_code) {
  auto f = std::make_shared<StatusFlags>();
  sub.add_option("-n,--namespace", f->o.namespace_, "only this namespace (default: every namespace)");
  sub.add_flag("-A,--all-namespaces", f->all_namespaces, "every namespace (the default)");
  sub.add_option("-l,--selector", f->o.selector, "label selector narrowing the pods (e.g. app=resnet)");
  sub.add_option("--constraint", f->o.constraint, "AegisSignedPod constraint whose selection to list (default: all)");
  sub.add_flag("-w,--watch", f->watch, "after the table, print each pod whose status changes (until interrupted)");
  // Durations as kubectl takes them (300ms, 30s, 5m); a bare number is seconds.
  const CLI::Validator duration(DurationToSeconds, "DURATION");
  sub.add_option("--poll-interval", f->poll, "--watch: time between reads (2s)")
      ->transform(duration)
      ->check(CLI::Range(0.1, 3600.0));
  sub.add_option("--request-timeout", f->request_timeout, "how long one read may take (60s)")
      ->transform(duration)
      ->check(CLI::Range(0.001, 3600.0));
  AddKubeFlags(sub, f->access);
  AddOutputFlags(sub, f->output, kFormats, false);
  sub.footer(
      "Columns, JSON fields and metrics: README, \"aegis status\". A pod is listed when an AegisSignedPod\n"
      "constraint selects it (or the InferenceService it serves); the built-in policy when the cluster has none.\n"
      "Exit codes: 0 listed, 2 usage/configuration, 3 cannot reach the cluster, 4 forbidden (401/403).");
  sub.callback([f, &exit_code] { exit_code = RunStatus(*f); });
}

}  // namespace aegis::cli
