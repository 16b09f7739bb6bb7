#include "cluster/pod_list.h"

#include "platform/net_error.h"
#include "util/strings.h"

namespace aegis::cluster {

std::string PodsPath(const std::string& ns) {
  return ns.empty() ? "/api/v1/pods" : "/api/v1/namespaces/" + PercentEncode(ns) + "/pods";
}

Expected<std::vector<nlohmann::json>> ListPods(kube::KubeApi& api, const std::string& ns, const std::string& selector) {
  std::string path = PodsPath(ns);
  if (!selector.empty()) path += "?labelSelector=" + PercentEncode(selector);
  auto body = kube::Expect2xx(api.Request("GET", path), "list pods");
  if (!body) return body.error();
  const nlohmann::json* items = body->is_object() && body->contains("items") ? &(*body)["items"] : nullptr;
  if (items == nullptr || !items->is_array()) {
    return Error{NetError::kNetwork, {}, {}, "the API server's PodList has no items array"};
  }
  std::vector<nlohmann::json> pods;
  pods.reserve(items->size());
  for (const auto& p : *items) {
    if (!p.is_object())
      return Error{NetError::kNetwork, {}, {}, "the API server's PodList holds an item that is not an object"};
    nlohmann::json pod = p;
    pod["kind"] = "Pod";
    pod["apiVersion"] = "v1";
    pods.push_back(std::move(pod));
  }
  return pods;
}

}  // namespace aegis::cluster
