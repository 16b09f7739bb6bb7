#include "canary/criteria.h"

#include <fmt/format.h>

namespace aegis::canary {
namespace {
using nlohmann::json;

std::string Str(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return {};
    cur = &(*cur)[k];
  }
  if (cur->is_string()) return cur->get<std::string>();
  if (cur->is_number_integer()) return std::to_string(cur->get<long long>());
  return {};
}

std::string Name(const json& pod) { return Str(pod, {"metadata", "name"}); }

bool Ready(const json& pod) {
  const json& conds = pod.value("status", json::object()).value("conditions", json::array());
  for (const auto& c : conds) {
    if (Str(c, {"type"}) == "Ready") return Str(c, {"status"}) == "True";
  }
  return false;
}

// The init container status of the verifier; nullptr when not reported yet.
const json* VerifyStatus(const json& pod) {
  const json* spec = VerifyInitContainer(pod);
  if (spec == nullptr || !pod.contains("status") || !pod["status"].contains("initContainerStatuses")) return nullptr;
  for (const auto& s : pod["status"]["initContainerStatuses"]) {
    if (Str(s, {"name"}) == Str(*spec, {"name"})) return &s;
  }
  return nullptr;
}

// state.terminated, else lastState.terminated.
const json* Terminated(const json& status) {
  for (const char* which : {"state", "lastState"}) {
    if (status.contains(which) && status[which].is_object() && status[which].contains("terminated") &&
        status[which]["terminated"].is_object()) {
      return &status[which]["terminated"];
    }
  }
  return nullptr;
}

bool HasKeyVolume(const json& pod) {
  for (const auto& v : pod.value("spec", json::object()).value("volumes", json::array())) {
    if (Str(v, {"secret", "secretName"}) == "cosign-public-key") return true;
  }
  return false;
}

std::vector<json> PodsOf(Role role, const Observed& o) {
  std::vector<json> out;
  for (const auto& p : o.pods) {
    if (Str(p, {"metadata", "labels", "aegis/canary"}) == RoleLabel(role)) out.push_back(p);
  }
  return out;
}

struct Reasons {
  const char* pass;
  const char* fail;
  const char* pending;
};

// The criterion's verdict over its pods' verdicts: any fail fails, any pending waits; no
// pod of the role at all is a fail.
Criterion Conclude(Criterion c, const std::vector<Verdict>& verdicts, const Reasons& why) {
  if (verdicts.empty()) {
    c.verdict = Verdict::kFail;
    c.reason = fmt::format("no pod labelled aegis/canary={}", RoleLabel(c.role));
    return c;
  }
  bool pending = false, failed = false;
  for (Verdict v : verdicts) {
    failed = failed || v == Verdict::kFail;
    pending = pending || v == Verdict::kPending;
  }
  c.verdict = failed ? Verdict::kFail : pending ? Verdict::kPending : Verdict::kPass;
  c.reason = failed ? why.fail : pending ? why.pending : why.pass;
  return c;
}

// One pod's verdict and the line of evidence that explains it.
struct PodVerdict {
  Verdict verdict;
  std::string evidence;
};

PodVerdict PositivePod(const json& pod, const Observed& o) {
  std::string name = Name(pod);
  if (VerifyInitContainer(pod) == nullptr) return {Verdict::kFail, fmt::format("pod {}: no initContainer matching /verify/", name)};
  const json* st = VerifyStatus(pod);
  const json* t = st != nullptr ? Terminated(*st) : nullptr;
  if (t == nullptr) return {Verdict::kPending, fmt::format("pod {}: verify initContainer has not finished", name)};
  std::string code = Str(*t, {"exitCode"});
  if (code != "0") return {Verdict::kFail, fmt::format("pod {}: verify initContainer exited {}: {}", name, code, Str(*t, {"message"}))};
  if (!Ready(pod)) return {Verdict::kPending, fmt::format("pod {}: verified (exit 0), not Ready yet", name)};
  PodVerdict v{Verdict::kPass, fmt::format("pod {}: verify initContainer exit 0, Ready", name)};
  for (const auto& [probed, ok] : o.probes) {
    if (probed != name) continue;
    v.evidence += ok ? ", readiness endpoint answered through the pod proxy" : ", readiness endpoint did NOT answer";
    if (!ok) v.verdict = Verdict::kFail;
  }
  return v;
}

PodVerdict TamperedPod(const json& pod, const Observed&) {
  std::string name = Name(pod);
  if (VerifyInitContainer(pod) == nullptr) {
    return {Verdict::kFail, fmt::format("pod {}: no initContainer matching /verify/ (not a tampered canary)", name)};
  }
  if (Ready(pod)) return {Verdict::kFail, fmt::format("pod {}: became Ready with a tampered artifact", name)};
  const json* st = VerifyStatus(pod);
  const json* t = st != nullptr ? Terminated(*st) : nullptr;
  if (t == nullptr) return {Verdict::kPending, fmt::format("pod {}: verify initContainer has not finished", name)};
  std::string code = Str(*t, {"exitCode"});
  if (code == "0") return {Verdict::kFail, fmt::format("pod {}: verify initContainer exited 0 on a tampered artifact", name)};
  return {Verdict::kPass, fmt::format("pod {}: verify initContainer exited {} ({}): {}", name, code, Str(*t, {"reason"}), Str(*t, {"message"}))};
}

// Every pod of the role judged by `judge`, concluded into the criterion.
Criterion PerPod(Role role, const Observed& o, PodVerdict (*judge)(const json&, const Observed&), const Reasons& why) {
  Criterion c;
  c.role = role;
  std::vector<Verdict> vs;
  for (const auto& pod : PodsOf(role, o)) {
    PodVerdict v = judge(pod, o);
    c.evidence.push_back(std::move(v.evidence));
    vs.push_back(v.verdict);
  }
  return Conclude(c, vs, why);
}

Criterion Positive(const Observed& o) {
  return PerPod(Role::kPositive, o, PositivePod,
                {"the verified pod starts", "a positive canary did not start verified", "waiting for the positive canary"});
}

Criterion Tampered(const Observed& o) {
  return PerPod(Role::kTampered, o, TamperedPod,
                {"verification failure stops the pod", "a tampered canary was not stopped", "waiting for the tampered canary's verifier"});
}

Criterion Violating(const Observed& o) {
  Criterion c;
  c.role = Role::kViolating;
  std::vector<Verdict> vs;
  for (const auto& [name, message] : o.denied) {
    c.evidence.push_back(fmt::format("pod {}: denied at admission: {}", name, message));
    vs.push_back(Verdict::kPass);
  }
  for (const auto& pod : PodsOf(Role::kViolating, o)) {
    std::string name = Name(pod), ns = Str(pod, {"metadata", "namespace"});
    if (VerifyInitContainer(pod) != nullptr && HasKeyVolume(pod)) {
      c.evidence.push_back(fmt::format("pod {}: has a verify initContainer and the key volume: it does not violate the policy", name));
      vs.push_back(Verdict::kFail);
      continue;
    }
    bool listed = false;
    for (const auto& con : o.constraints) {
      for (const auto& v : con.value("status", json::object()).value("violations", json::array())) {
        if (Str(v, {"kind"}) == "Pod" && Str(v, {"name"}) == name && (Str(v, {"namespace"}).empty() || Str(v, {"namespace"}) == ns)) {
          c.evidence.push_back(fmt::format("pod {}: reported by {} ({}, totalViolations {}): {}", name, Str(con, {"metadata", "name"}),
                                           Str(v, {"enforcementAction"}), Str(con, {"status", "totalViolations"}), Str(v, {"message"})));
          listed = true;
        }
      }
    }
    if (!listed) c.evidence.push_back(fmt::format("pod {}: not (yet) in any AegisSignedPod constraint's status.violations", name));
    vs.push_back(listed ? Verdict::kPass : Verdict::kPending);
  }
  return Conclude(c, vs, {"Gatekeeper reports the violating pod", "the violating canary is not a violation", "waiting for Gatekeeper's next audit"});
}

}  // namespace

const char* RoleLabel(Role r) {
  switch (r) {
    case Role::kPositive: return "positive";
    case Role::kViolating: return "violating";
    case Role::kTampered: return "tampered";
  }
  return "";
}

int CriterionNumber(Role r) { return r == Role::kPositive ? 1 : r == Role::kViolating ? 2 : 3; }

const json* VerifyInitContainer(const json& pod) {
  if (!pod.contains("spec") || !pod["spec"].is_object() || !pod["spec"].contains("initContainers")) return nullptr;
  for (const auto& ic : pod["spec"]["initContainers"]) {
    if (Str(ic, {"name"}).find("verify") != std::string::npos) return &ic;
  }
  return nullptr;
}

Criterion Judge(Role role, const Observed& o) {
  switch (role) {
    case Role::kPositive: return Positive(o);
    case Role::kViolating: return Violating(o);
    case Role::kTampered: return Tampered(o);
  }
  return {};
}

}  // namespace aegis::canary
