#include "canary/criteria.h"

#include <algorithm>

#include <fmt/format.h>

#include "lint/linter.h"
#include "policy/rules.h"
#include "util/json_access.h"
#include "yaml/reader.h"

namespace aegis::canary {
namespace {
using nlohmann::json;

// One pod under the policy: the violations lint finds, and the name of the initContainer the
// policy accepts as the verifier (empty: none).
struct PodUnderPolicy {
  std::vector<std::string> violations;
  std::string verifier;
};

PodUnderPolicy Examine(const json& pod, const Policy& policy) {
  PodUnderPolicy out;
  std::string text = JsonDump(pod);
  LintOptions lo;
  // Judged by the rules: whether the cluster's selectors cover the pod is criterion 2's question.
  lo.constraints = WithoutSelectors(policy.constraints);
  lo.threads = 1;
  Linter linter(lo);
  linter.LintText("pod", text);
  LintResult r = linter.Finish();
  for (const auto& f : r.findings) {
    std::string by = f.constraint < r.constraints.size() ? r.constraints[f.constraint].name : "";
    out.violations.push_back(fmt::format("{} {} ({})", f.rule_id, f.message, by));
  }
  for (const auto& p : policy.problems) out.violations.push_back(p);
  // Fail closed: a pod the rules did not check (no kind, out of every constraint's kinds) has
  // not shown that it satisfies them.
  bool checked = std::any_of(r.objects.begin(), r.objects.end(), [](const ObjectRecord& o) { return o.status == ObjectStatus::kChecked; });
  if (!checked) out.violations.push_back("the policy's rules did not check it (no kind, or outside every constraint's match)");
  auto docs = yaml::ReadAll("pod", text);
  if (docs && !docs->empty() && docs->front().root() != nullptr && docs->front().root()->IsMapping()) {
    const yaml::Node* spec = docs->front().root()->Get("spec");
    for (const auto& c : policy.constraints) {
      if (const yaml::Node* v = VerifierContainer(spec, c.parameters)) {
        const yaml::Node* name = v->Get("name");
        if (name != nullptr && name->AsString()) out.verifier = std::string(*name->AsString());
        break;
      }
    }
  }
  return out;
}

const json* At(const json& j, std::initializer_list<const char*> path) { return JsonAt(j, path); }

std::string Str(const json& j, std::initializer_list<const char*> path) {
  const json* cur = At(j, path);
  if (cur == nullptr) return {};
  if (cur->is_string()) return cur->get<std::string>();
  if (cur->is_number_integer()) return std::to_string(cur->get<long long>());
  return {};
}

std::string Name(const json& pod) { return Str(pod, {"metadata", "name"}); }

bool Ready(const json& pod) {
  const json* conds = At(pod, {"status", "conditions"});
  if (conds == nullptr || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    if (Str(c, {"type"}) == "Ready") return Str(c, {"status"}) == "True";
  }
  return false;
}

// The init container status of the verifier; nullptr when not reported yet.
const json* VerifyStatus(const json& pod, const std::string& verifier) {
  const json* statuses = At(pod, {"status", "initContainerStatuses"});
  if (verifier.empty() || statuses == nullptr || !statuses->is_array()) return nullptr;
  for (const auto& s : *statuses) {
    if (Str(s, {"name"}) == verifier) return &s;
  }
  return nullptr;
}

// state.terminated, else lastState.terminated.
const json* Terminated(const json& status) {
  for (const char* which : {"state", "lastState"}) {
    const json* t = At(status, {which, "terminated"});
    if (t != nullptr && t->is_object()) return t;
  }
  return nullptr;
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

// A positive or tampered canary must satisfy the policy; the reason when it does not.
std::optional<std::string> NotCompliant(const std::string& name, const PodUnderPolicy& u) {
  if (!u.violations.empty()) return fmt::format("pod {}: does not satisfy the policy: {}", name, u.violations.front());
  if (u.verifier.empty()) return fmt::format("pod {}: no initContainer the policy accepts as the verifier", name);
  return std::nullopt;
}

PodVerdict PositivePod(const json& pod, const Observed& o, const Policy& policy) {
  std::string name = Name(pod);
  PodUnderPolicy u = Examine(pod, policy);
  if (auto why = NotCompliant(name, u)) return {Verdict::kFail, *why};
  const json* st = VerifyStatus(pod, u.verifier);
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

PodVerdict TamperedPod(const json& pod, const Observed&, const Policy& policy) {
  std::string name = Name(pod);
  PodUnderPolicy u = Examine(pod, policy);
  if (auto why = NotCompliant(name, u)) return {Verdict::kFail, *why + " (not a tampered canary)"};
  if (Ready(pod)) return {Verdict::kFail, fmt::format("pod {}: became Ready with a tampered artifact", name)};
  const json* st = VerifyStatus(pod, u.verifier);
  const json* t = st != nullptr ? Terminated(*st) : nullptr;
  if (t == nullptr) return {Verdict::kPending, fmt::format("pod {}: verify initContainer has not finished", name)};
  std::string code = Str(*t, {"exitCode"});
  if (code == "0") return {Verdict::kFail, fmt::format("pod {}: verify initContainer exited 0 on a tampered artifact", name)};
  return {Verdict::kPass, fmt::format("pod {}: verify initContainer exited {} ({}): {}", name, code, Str(*t, {"reason"}), Str(*t, {"message"}))};
}

// Every pod of the role judged by `judge`, concluded into the criterion.
Criterion PerPod(Role role, const Observed& o, PodVerdict (*judge)(const json&, const Observed&, const Policy&), const Reasons& why) {
  Criterion c;
  c.role = role;
  std::vector<Verdict> vs;
  Policy policy = ReadPolicy(o.constraints);
  for (const auto& pod : PodsOf(role, o)) {
    PodVerdict v = judge(pod, o, policy);
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
  Policy policy = ReadPolicy(o.constraints);
  for (const auto& pod : PodsOf(Role::kViolating, o)) {
    std::string name = Name(pod), ns = Str(pod, {"metadata", "namespace"});
    if (Examine(pod, policy).violations.empty()) {
      c.evidence.push_back(fmt::format("pod {}: satisfies the policy (a verifier initContainer with the key): it does not violate the policy", name));
      vs.push_back(Verdict::kFail);
      continue;
    }
    bool listed = false;
    for (const auto& con : o.constraints) {
      const json* violations = At(con, {"status", "violations"});
      if (violations == nullptr || !violations->is_array()) continue;
      for (const auto& v : *violations) {
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


Criterion Judge(Role role, const Observed& o) {
  switch (role) {
    case Role::kPositive: return Positive(o);
    case Role::kViolating: return Violating(o);
    case Role::kTampered: return Tampered(o);
  }
  return {};
}

}  // namespace aegis::canary
