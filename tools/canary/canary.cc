#include "canary/canary.h"

#include <algorithm>
#include <cctype>
#include <random>

#include <fmt/format.h>

#include "canary/coverage.h"
#include "cluster/cluster_policy.h"
#include "cluster/pod_list.h"
#include "platform/net_error.h"
#include "policy/constraint.h"
#include "policy/policy_error.h"
#include "render/renderer.h"
#include "render/templates.h"
#include "util/json_access.h"
#include "util/strings.h"
#include "yaml/reader.h"
#include "yaml/to_json.h"

namespace aegis::canary {
namespace {
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The canary pods of the namespace (label aegis/canary, plus the user's selector); with
// --apply only those this run created.
Expected<std::vector<json>> ListPods(kube::KubeApi& api, const CanaryOptions& o, const std::vector<std::string>& only) {
  std::string selector = "aegis/canary";
  if (!o.selector.empty()) selector += "," + o.selector;
  auto pods = cluster::ListPods(api, o.namespace_, selector);
  if (!pods || only.empty()) return pods;
  std::vector<json> out;
  for (auto& p : *pods) {
    if (std::find(only.begin(), only.end(), JsonStringOr(p, {"metadata", "name"})) != only.end())
      out.push_back(std::move(p));
  }
  return out;
}

// The canary pod of a role, as JSON, from the render templates.
Expected<json> CanaryPod(const CanaryOptions& o, Role role, const std::string& name, const std::vector<Constraint>& policy) {
  render::TemplateOptions t;
  t.kind = "pod";
  t.name = name;
  t.namespace_ = o.namespace_;
  t.server_image = o.server_image;
  t.service_account = o.service_account;
  t.gpus = 0;
  t.role = RoleLabel(role);
  render::RenderSettings s = o.settings;
  s.artifact = role == Role::kTampered ? o.tampered_artifact : o.artifact;
  // The cluster's pins, as render writes them from a policy file.
  auto trust = render::PinnedTrust(policy);
  if (!trust) return trust.error();
  s.trust_policy = *trust;
  auto yaml_text = render::RenderTemplate(t, s, policy);
  if (!yaml_text) return yaml_text.error();
  auto docs = yaml::ReadAll("<template>", *yaml_text);
  if (!docs) return docs.error();
  return yaml::ToJson(docs->front().root());
}

std::string Suffix() {
  std::random_device rd;
  return fmt::format("{:05x}", rd() & 0xfffff);
}

}  // namespace

namespace {

// A run's shared state: the result, what was observed, and every pod a create was sent for (a
// request cut short — Ctrl-C, a dropped connection — may still have created it, so each is
// deleted; a 404 means it never existed).
struct CanaryRun {
  const CanaryOptions& o;
  kube::KubeApi& api;
  const std::atomic<bool>& stop;
  CanaryResult result;
  Observed observed;
  std::vector<std::string> attempted;

  void Cleanup() {
    for (const auto& name : attempted) {
      auto r = api.Request("DELETE", cluster::PodsPath(o.namespace_) + "/" + PercentEncode(name));
      if (r && r->status < 300) result.deleted.push_back(name);
    }
  }
  // An error, or an interruption when Ctrl-C cut the request short (not the cluster's error).
  void Failed(const Error& e) {
    if (stop.load()) result.interrupted = true;
    else result.error = e;
  }
};

// Before anything is created: a violating canary no constraint selects can only time out.
Status CheckCoverage(CanaryRun& run, const cluster::Policy& policy, const std::string& suffix, bool any_constraint) {
  const CanaryOptions& o = run.o;
  bool violating = std::find(o.roles.begin(), o.roles.end(), Role::kViolating) != o.roles.end();
  if (!violating || !any_constraint) return Ok{};
  auto pod = CanaryPod(o, Role::kViolating, "aegis-canary-violating-" + suffix, policy.constraints);
  auto labels = cluster::NamespaceLabels(run.api, o.namespace_);
  if (pod && labels) {
    if (auto problem = CoverageProblem(policy.constraints, *pod, *labels)) return Error{ErrorKind::kUsage, {}, {}, *problem};
  }
  return Ok{};
}

// One canary created; a violating one refused by Gatekeeper's webhook is observed as denied.
Status CreateCanary(CanaryRun& run, Role role, const std::string& name, const json& pod) {
  run.attempted.push_back(name);
  auto r = run.api.Request("POST", cluster::PodsPath(run.o.namespace_), &pod);
  if (r && (r->status < 200 || r->status >= 300)) run.attempted.pop_back();  // answered: it was not created
  if (r && r->status == 403 && role == Role::kViolating && r->body.is_object() &&
      JsonStringOr(r->body, {"message"}).find("admission webhook") != std::string::npos) {
    run.observed.denied.emplace_back(name, JsonStringOr(r->body, {"message"}));  // Gatekeeper in deny mode
    return Ok{};
  }
  auto created = kube::Expect2xx(r, "create pod " + name);
  if (!created) return created.error();
  run.result.created.push_back(name);
  return Ok{};
}

// --apply: the canaries, rendered for the cluster's own constraints (pattern, secret name).
// False when the run ends here (the result says why).
bool ApplyCanaries(CanaryRun& run) {
  const CanaryOptions& o = run.o;
  if (o.artifact.empty() || o.tampered_artifact.empty()) {
    run.result.error = Error{ErrorKind::kUsage, {}, {}, "--apply needs --artifact and --tampered-artifact"};
    return false;
  }
  auto cons = cluster::ListConstraints(run.api, o.constraint);
  if (!cons) {
    run.result.error = cons.error();
    return false;
  }
  cluster::Policy policy = cluster::ReadPolicy(*cons);
  if (!policy.problems.empty()) {
    run.result.error = Error{PolicyError::kInvalid, {}, {}, "cannot read the cluster's constraint: " + policy.problems.front()};
    return false;
  }
  std::string suffix = Suffix();
  if (Status st = CheckCoverage(run, policy, suffix, !cons->empty()); !st) {
    run.result.error = st.error();
    return false;
  }
  for (Role role : o.roles) {
    std::string name = fmt::format("aegis-canary-{}-{}", RoleLabel(role), suffix);
    auto pod = CanaryPod(o, role, name, policy.constraints);
    if (!pod) run.result.error = pod.error();
    Status created = pod ? CreateCanary(run, role, name, *pod) : Status(Ok{});
    if (!created) run.Failed(created.error());
    if (!pod || !created) {
      run.Cleanup();
      return false;
    }
  }
  return true;
}

// One round: the pods, the constraints (every criterion judges through the policy), the
// positive canaries' probes. False when the round could not be observed.
bool Observe(CanaryRun& run) {
  const CanaryOptions& o = run.o;
  auto pods = ListPods(run.api, o, o.apply ? run.result.created : std::vector<std::string>{});
  if (!pods) {
    run.Failed(pods.error());
    return false;
  }
  run.observed.pods = *pods;
  auto cons = cluster::ListConstraints(run.api, o.constraint);
  if (!cons) {
    run.Failed(cons.error());
    return false;
  }
  run.observed.constraints = *cons;
  run.observed.probes.clear();
  if (o.probe_path.empty()) return true;
  for (const auto& p : run.observed.pods) {
    if (JsonStringOr(p, {"metadata", "labels", "aegis/canary"}) != "positive") continue;
    std::string name = JsonStringOr(p, {"metadata", "name"});
    auto r = run.api.Request("GET", fmt::format("{}/{}:{}/proxy{}", cluster::PodsPath(o.namespace_),
                                                PercentEncode(name), o.probe_port, o.probe_path));
    run.observed.probes.emplace_back(name, r && r->status >= 200 && r->status < 300);
  }
  return true;
}

// Every criterion judged; true while one is still pending.
bool JudgeRound(CanaryRun& run) {
  run.result.criteria.clear();
  bool pending = false;
  for (Role role : run.o.roles) {
    run.result.criteria.push_back(Judge(role, run.observed));
    pending = pending || run.result.criteria.back().verdict == Verdict::kPending;
  }
  return pending;
}

void TimeOut(CanaryRun& run) {
  for (auto& c : run.result.criteria) {
    if (c.verdict != Verdict::kPending) continue;
    c.verdict = Verdict::kFail;
    c.timed_out = true;
    c.reason = fmt::format("timed out after {}s: {}", static_cast<double>(run.o.timeout.count()) / 1000.0, c.reason);
  }
}

}  // namespace

CanaryResult RunCanary(const CanaryOptions& o, kube::KubeApi& api, const std::function<void(std::chrono::milliseconds)>& sleep,
                       const std::atomic<bool>& stop) {
  CanaryRun run{o, api, stop, {}, {}, {}};
  if (o.apply && !ApplyCanaries(run)) return run.result;
  auto deadline = Clock::now() + o.timeout;
  while (Observe(run) && JudgeRound(run)) {
    if (stop.load()) {
      run.result.interrupted = true;
      break;
    }
    if (Clock::now() >= deadline) {
      TimeOut(run);
      break;
    }
    sleep(o.poll);
    if (stop.load()) {
      run.result.interrupted = true;
      break;
    }
  }
  run.Cleanup();
  return run.result;
}

}  // namespace aegis::canary
