#include "manifest/object.h"

#include <set>

#include <fmt/format.h>

namespace aegis {
namespace {

// Well-known cluster-scoped kinds: `kubectl apply -n` gives them no namespace, nor does lint.
bool IsClusterScoped(const std::string& group, const std::string& kind) {
  static const std::set<std::pair<std::string_view, std::string_view>> kKinds = {
      {"", "Namespace"},
      {"", "Node"},
      {"", "PersistentVolume"},
      {"rbac.authorization.k8s.io", "ClusterRole"},
      {"rbac.authorization.k8s.io", "ClusterRoleBinding"},
      {"apiextensions.k8s.io", "CustomResourceDefinition"},
      {"storage.k8s.io", "StorageClass"},
      {"serving.kserve.io", "ClusterStorageContainer"},
      {"serving.kserve.io", "ClusterServingRuntime"},
      {"templates.gatekeeper.sh", "ConstraintTemplate"},
      {"constraints.gatekeeper.sh", "AegisSignedPod"},
  };
  return kKinds.count({group, kind}) > 0;
}

constexpr size_t kMaxListDepth = 8;  // List of List of … (bounded against hostile input)

std::string StringAt(const yaml::Node* n, std::string_view key) {
  if (n == nullptr) return {};
  const yaml::Node* v = n->Get(key);
  if (v == nullptr) return {};
  auto s = v->AsString();
  return s ? std::string(*s) : std::string();
}

void Skip(DocumentObjects& out, Mark mark, std::string_view reason) {
  if (out.skipped.size() < DocumentObjects::kMaxSkippedListed) out.skipped.push_back({mark, std::string(reason)});
  else ++out.skipped_unlisted;
}

void Collect(const yaml::Node* node, const std::string& default_ns, size_t depth, DocumentObjects& out) {
  if (node == nullptr || node->IsNull()) return;  // empty documents are ignored
  if (!node->IsMapping()) {
    Skip(out, node->mark(), "is not a Kubernetes object (not a mapping); skipped");
    return;
  }
  std::string api_version = StringAt(node, "apiVersion");
  std::string kind = StringAt(node, "kind");
  if (api_version.empty() || kind.empty()) {
    Skip(out, node->mark(), "is not a Kubernetes object (no apiVersion and kind); skipped");
    return;
  }
  const yaml::Node* items = node->Get("items");
  if (kind.ends_with("List") && items != nullptr && depth < kMaxListDepth) {
    if (items->IsSequence()) {
      for (const yaml::Node* item : items->items()) Collect(item, default_ns, depth + 1, out);
    } else if (!items->IsNull()) {
      Skip(out, items->mark(), fmt::format("is a {} whose items are not a list; skipped", kind));
    }
    return;
  }
  ObjectRef obj;
  obj.root = node;
  obj.mark = node->mark();
  obj.api_version = api_version;
  auto slash = api_version.find('/');
  obj.group = slash == std::string::npos ? std::string() : api_version.substr(0, slash);
  obj.kind = kind;
  const yaml::Node* meta = node->Get("metadata");
  obj.name = StringAt(meta, "name");
  if (obj.name.empty()) obj.name = StringAt(meta, "generateName");
  obj.namespace_ = StringAt(meta, "namespace");
  if (obj.namespace_.empty() && !IsClusterScoped(obj.group, kind)) {
    obj.namespace_ = default_ns;
    obj.namespace_defaulted = true;
  }
  obj.labels = meta != nullptr ? meta->Get("labels") : nullptr;
  out.objects.push_back(std::move(obj));
}

}  // namespace

std::string ObjectRef::Display() const {
  std::string_view n = name.empty() ? "<unnamed>" : std::string_view(name);
  if (namespace_.empty()) return fmt::format("{} {}", kind, n);
  return fmt::format("{} {}/{}", kind, namespace_, n);
}

DocumentObjects ObjectsOf(const yaml::Node* root, const std::string& default_namespace) {
  DocumentObjects out;
  Collect(root, default_namespace, 0, out);
  return out;
}

}  // namespace aegis
