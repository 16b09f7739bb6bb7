#include "cluster/cluster_policy.h"

#include "platform/net_error.h"
#include "util/json_access.h"
#include "util/strings.h"

namespace aegis::cluster {
namespace {
using nlohmann::json;

constexpr const char* kConstraints = "/apis/constraints.gatekeeper.sh/v1beta1/aegissignedpod";

// The items of a list the API server returned.
Expected<std::vector<json>> Items(const json& list, const char* what) {
  const json* items = list.is_object() && list.contains("items") ? &list["items"] : nullptr;
  if (items == nullptr || !items->is_array())
    return Error{NetError::kNetwork, {}, {}, std::string("the API server's ") + what + " has no items array"};
  return std::vector<json>(items->begin(), items->end());
}

Labels LabelsOf(const json& object) {
  Labels out;
  if (const json* labels = JsonAt(object, {"metadata", "labels"}); labels != nullptr && labels->is_object()) {
    for (const auto& [k, v] : labels->items()) {
      if (v.is_string()) out[k] = v.get<std::string>();
    }
  }
  return out;
}

}  // namespace

Expected<std::vector<json>> ListConstraints(kube::KubeApi& api, const std::string& only) {
  if (!only.empty()) {
    auto c = kube::Expect2xx(api.Request("GET", std::string(kConstraints) + "/" + PercentEncode(only)),
                             "read constraint " + only);
    if (!c && c.error().kind == NetError::kNotFound) return std::vector<json>{};
    if (!c) return c.error();
    return std::vector<json>{*c};
  }
  auto list = kube::Expect2xx(api.Request("GET", kConstraints), "list AegisSignedPod constraints");
  if (!list && list.error().kind == NetError::kNotFound) return std::vector<json>{};
  if (!list) return list.error();
  return Items(*list, "constraint list");
}

Policy ReadPolicy(const std::vector<json>& constraints) {
  Policy p;
  for (const auto& c : constraints) {
    std::string name = JsonStringOr(c, {"metadata", "name"});
    auto loaded = ParseConstraints("AegisSignedPod/" + name, JsonDump(c));
    if (!loaded) {
      p.problems.push_back(loaded.error().Describe());
      continue;
    }
    for (auto& con : loaded->constraints) p.constraints.push_back(std::move(con));
  }
  if (p.constraints.empty() && p.problems.empty()) {
    if (auto builtin = BuiltinConstraints()) p.constraints = std::move(builtin->constraints);
  }
  return p;
}

std::optional<Labels> NamespaceLabels(kube::KubeApi& api, const std::string& ns) {
  auto r = kube::Expect2xx(api.Request("GET", "/api/v1/namespaces/" + PercentEncode(ns)), "read namespace " + ns);
  if (!r) return std::nullopt;
  return LabelsOf(*r);
}

Expected<std::map<std::string, Labels>> AllNamespaceLabels(kube::KubeApi& api) {
  auto list = kube::Expect2xx(api.Request("GET", "/api/v1/namespaces"), "list namespaces");
  if (!list) return list.error();
  auto items = Items(*list, "NamespaceList");
  if (!items) return items.error();
  std::map<std::string, Labels> out;
  for (const auto& ns : *items) out[JsonStringOr(ns, {"metadata", "name"})] = LabelsOf(ns);
  return out;
}

}  // namespace aegis::cluster
