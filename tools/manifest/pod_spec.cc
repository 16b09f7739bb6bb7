#include "manifest/pod_spec.h"

#include <array>
#include <initializer_list>
#include <string_view>

namespace aegis {
namespace {

struct KindRow {
  std::string_view group;
  std::string_view kind;
  std::initializer_list<std::string_view> path;  // empty: the kind's components (below)
  std::string_view path_text;
};

// docs/POLICY.md's table, one row per (group, kind).
const std::array<KindRow, 18> kRows = {{
    {"", "Pod", {"spec"}, "spec"},
    {"", "PodTemplate", {"template", "spec"}, "template.spec"},
    {"", "ReplicationController", {"spec", "template", "spec"}, "spec.template.spec"},
    {"apps", "Deployment", {"spec", "template", "spec"}, "spec.template.spec"},
    {"apps", "StatefulSet", {"spec", "template", "spec"}, "spec.template.spec"},
    {"apps", "DaemonSet", {"spec", "template", "spec"}, "spec.template.spec"},
    {"apps", "ReplicaSet", {"spec", "template", "spec"}, "spec.template.spec"},
    {"batch", "Job", {"spec", "template", "spec"}, "spec.template.spec"},
    {"batch", "CronJob", {"spec", "jobTemplate", "spec", "template", "spec"}, "spec.jobTemplate.spec.template.spec"},
    {"argoproj.io", "Rollout", {"spec", "template", "spec"}, "spec.template.spec"},
    {"serving.knative.dev", "Service", {"spec", "template", "spec"}, "spec.template.spec"},
    {"serving.kserve.io", "InferenceService", {}, "spec.predictor"},
    {"serving.kubeflow.org", "InferenceService", {}, "spec.predictor"},
    {"serving.kserve.io", "LLMInferenceService", {}, "spec.template"},
    {"serving.kserve.io", "TrainedModel", {}, ""},
    {"serving.kubeflow.org", "TrainedModel", {}, ""},
    {"serving.kserve.io", "ServingRuntime", {}, ""},
    {"serving.kserve.io", "ClusterServingRuntime", {}, ""},
}};

const KindRow* FindRow(const std::string& group, const std::string& kind) {
  for (const auto& row : kRows) {
    if (row.group == group && row.kind == kind) return &row;
  }
  return nullptr;
}

PodSpecRef MakeRef(const ObjectRef& obj, std::string component, std::string path, const yaml::Node* n,
                   SpecShape shape = SpecShape::kPodSpec) {
  PodSpecRef ref{std::move(component), std::move(path), nullptr, obj.mark, shape};
  if (n != nullptr && n->IsMapping()) {
    ref.spec = n;
    ref.mark = n->mark();
  }
  return ref;
}

}  // namespace

PodSpecs LocatePodSpecs(const ObjectRef& obj) {
  PodSpecs out;
  const KindRow* row = FindRow(obj.group, obj.kind);
  if (row == nullptr) {
    const yaml::Node* t = obj.root->Path({"spec", "template", "spec"});
    if (t != nullptr && t->IsMapping()) out.unknown_template = "spec.template.spec";
    return out;
  }
  out.coverage = Coverage::kChecked;
  if (obj.kind == "TrainedModel") return out;  // no pod: its model is loaded into a running server
  if (obj.kind.ends_with("ServingRuntime")) return out;  // merged into predictor pods (AEGIS009)
  if (obj.kind == "LLMInferenceService") {
    // spec.template is the main (decode) workload and required; the multi-node worker and the
    // disaggregated prefill workload are checked when present.
    const yaml::Node* spec = obj.root->Get("spec");
    const yaml::Node* prefill = spec != nullptr ? spec->Get("prefill") : nullptr;
    struct Part {
      std::string_view component;
      const yaml::Node* owner;
      std::string_view key;
    };
    for (const Part& part : {Part{"template", spec, "template"}, Part{"worker", spec, "worker"},
                             Part{"prefill.template", prefill, "template"}, Part{"prefill.worker", prefill, "worker"}}) {
      const yaml::Node* n = part.owner != nullptr && part.owner->IsMapping() ? part.owner->Get(part.key) : nullptr;
      if ((n == nullptr || n->IsNull()) && part.component != "template") continue;
      out.specs.push_back(MakeRef(obj, std::string(part.component), "spec." + std::string(part.component), n));
    }
    return out;
  }
  if (obj.kind == "InferenceService") {
    const yaml::Node* spec = obj.root->Get("spec");
    for (std::string_view c : {"predictor", "transformer", "explainer"}) {
      const yaml::Node* comp = spec != nullptr ? spec->Get(c) : nullptr;
      // The predictor is required; transformer and explainer are checked when present.
      if (comp == nullptr || comp->IsNull()) {
        if (c != "predictor") continue;
      }
      out.specs.push_back(MakeRef(obj, std::string(c), "spec." + std::string(c), comp, SpecShape::kKServeComponent));
      // A multi-node predictor's workers: a whole pod spec of their own (KServe's WorkerSpec),
      // served by the predictor's storage initializer in KServe-native mode.
      const yaml::Node* worker = c == "predictor" && comp != nullptr && comp->IsMapping() ? comp->Get("workerSpec") : nullptr;
      if (worker != nullptr && !worker->IsNull()) {
        PodSpecRef ref = MakeRef(obj, "predictor.workerSpec", "spec.predictor.workerSpec", worker, SpecShape::kKServeComponent);
        ref.sources_from = comp;
        out.specs.push_back(std::move(ref));
      }
    }
    return out;
  }
  if (obj.kind == "Rollout") {
    const yaml::Node* ref = obj.root->Path({"spec", "workloadRef"});
    if (ref != nullptr && !ref->IsNull()) {
      out.coverage = Coverage::kDelegated;
      return out;
    }
  }
  const yaml::Node* n = obj.root;
  for (auto key : row->path) {
    n = n->Get(key);
    if (n == nullptr) break;
  }
  out.specs.push_back(MakeRef(obj, "", std::string(row->path_text), n));
  return out;
}

}  // namespace aegis
