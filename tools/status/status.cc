#include "status/status.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "cluster/cluster_policy.h"
#include "cluster/pod_list.h"
#include "platform/net_error.h"
#include "status/status_report.h"
#include "util/json_access.h"

namespace aegis::status {
namespace {

// The labels of the namespaces the pods are in: all of them, or the one asked for. Without the
// right to read them a namespaceSelector matches nothing, and the answer says so.
std::map<std::string, Labels> NamespaceLabelsFor(kube::KubeApi& api, const StatusOptions& o,
                                                 std::vector<std::string>& warnings) {
  if (!o.namespace_.empty()) {
    if (auto labels = cluster::NamespaceLabels(api, o.namespace_)) return {{o.namespace_, *labels}};
  } else if (auto all = cluster::AllNamespaceLabels(api)) {
    return *all;
  }
  warnings.push_back(
      "cannot read the namespaces' labels (get/list namespaces): constraints that select namespaces "
      "by label (namespaceSelector) select nothing here");
  return {};
}

std::string Key(const ServedModel& m) { return m.namespace_ + "/" + m.pod; }

}  // namespace

Expected<StatusResult> CollectStatus(kube::KubeApi& api, const StatusOptions& o) {
  StatusResult r;
  auto listed = cluster::ListConstraints(api, o.constraint);
  if (!listed) return listed.error();
  cluster::Policy policy = cluster::ReadPolicy(*listed);
  for (const auto& p : policy.problems) r.warnings.push_back("a constraint that cannot be read is left out: " + p);
  if (listed->empty()) {
    r.warnings.push_back(
        o.constraint.empty()
            ? "the cluster has no AegisSignedPod constraint: pods are selected as the built-in policy selects them"
            : "no AegisSignedPod constraint " + o.constraint +
                  ": pods are selected as the built-in policy selects them");
  }
  auto pods = cluster::ListPods(api, o.namespace_, o.selector);
  if (!pods) return pods.error();
  std::map<std::string, Labels> labels = NamespaceLabelsFor(api, o, r.warnings);
  for (const auto& pod : *pods) {
    auto it = labels.find(JsonStringOr(pod, {"metadata", "namespace"}));
    if (auto m = Describe(pod, it == labels.end() ? Labels{} : it->second, policy.constraints))
      r.models.push_back(std::move(*m));
  }
  std::sort(r.models.begin(), r.models.end(), [](const ServedModel& a, const ServedModel& b) {
    return std::tie(a.namespace_, a.workload, a.pod) < std::tie(b.namespace_, b.workload, b.pod);
  });
  return r;
}

Status Watch(kube::KubeApi& api, const StatusOptions& o, const std::function<void(std::chrono::milliseconds)>& sleep,
             std::chrono::milliseconds interval, const std::atomic<bool>& stop,
             const std::function<void(const Changes&)>& emit) {
  std::map<std::string, std::string> seen;  // namespace/pod → its JSON
  bool first = true;
  while (!stop) {
    auto r = CollectStatus(api, o);
    if (!r) return r.error();
    Changes c;
    c.first = first;
    if (first) c.warnings = r->warnings;
    std::map<std::string, std::string> now;
    for (auto& m : r->models) {
      std::string json = JsonItem(m);
      auto it = seen.find(Key(m));
      if (first || it == seen.end() || it->second != json) c.changed.push_back(m);
      now[Key(m)] = std::move(json);
    }
    for (const auto& [key, json] : seen) {
      if (now.count(key) == 0) c.gone.push_back(key);
    }
    if (first || !c.changed.empty() || !c.gone.empty()) emit(c);
    seen = std::move(now);
    first = false;
    if (!stop) sleep(interval);
  }
  return Ok{};
}

}  // namespace aegis::status
