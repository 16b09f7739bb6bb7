// Where an object's pod specs live (docs/POLICY.md, "Objects checked").
#pragma once

#include <string>
#include <vector>

#include "manifest/object.h"

namespace aegis {

// What a pod spec is part of: its shape decides where models and serving containers are.
enum class SpecShape {
  kPodSpec,           // a PodSpec (Pod, the workloads' templates, LLMInferenceService's)
  kKServeComponent,   // an InferenceService component: PodSpec fields inlined, plus model places
};

struct PodSpecRef {
  std::string component;  // "" or the component (predictor, …; template, worker, … of an LLMInferenceService)
  std::string path;       // e.g. "spec.template.spec", for messages
  const yaml::Node* spec = nullptr;  // nullptr when missing or not a mapping
  Mark mark;                         // the pod spec, or the object when missing
  SpecShape shape = SpecShape::kPodSpec;
  // Where KServe-native mode looks for the model sources: the spec itself, or for
  // predictor.workerSpec the predictor (nullptr: the spec).
  const yaml::Node* sources_from = nullptr;
};

enum class Coverage {
  kChecked,     // a kind docs/POLICY.md checks
  kNotChecked,  // any other kind
  kDelegated,   // Rollout with spec.workloadRef: its Deployment is checked instead
};

struct PodSpecs {
  Coverage coverage = Coverage::kNotChecked;
  std::vector<PodSpecRef> specs;  // empty for a checked kind without pod spec (TrainedModel)
  // For a kind that is not checked: where it embeds a pod template ("spec.template.spec"),
  // or "" when it does not.
  std::string unknown_template;
};

PodSpecs LocatePodSpecs(const ObjectRef& obj);

}  // namespace aegis
