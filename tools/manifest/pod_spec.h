// Where an object's pod specs live (docs/POLICY.md, "Objects checked").
#pragma once

#include <string>
#include <vector>

#include "manifest/object.h"

namespace aegis {

struct PodSpecRef {
  std::string component;  // "" or the InferenceService component (predictor, …)
  std::string path;       // e.g. "spec.template.spec", for messages
  const yaml::Node* spec = nullptr;  // nullptr when missing or not a mapping
  Mark mark;                         // the pod spec, or the object when missing
};

enum class Coverage {
  kChecked,     // a kind docs/POLICY.md checks
  kNotChecked,  // any other kind
  kDelegated,   // Rollout with spec.workloadRef: its Deployment is checked instead
};

struct PodSpecs {
  Coverage coverage = Coverage::kNotChecked;
  std::vector<PodSpecRef> specs;
};

PodSpecs LocatePodSpecs(const ObjectRef& obj);

}  // namespace aegis
