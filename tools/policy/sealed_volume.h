// AEGIS009 (only the verifier writes what the server reads): the model volume is an emptyDir
// or ephemeral volume, every other container mounts it read-only and whole, a known server's
// model flag points into it, and a ServingRuntime neither writes nor shadows KServe's model
// directory. docs/POLICY.md, "Version 3".
#pragma once

#include <string>
#include <vector>

#include "manifest/object.h"
#include "manifest/pod_spec.h"
#include "policy/constraint.h"
#include "policy/rules.h"

namespace aegis {

void CheckSealedVolume(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                       const std::string& subject, std::vector<Violation>& out);

// A ServingRuntime or ClusterServingRuntime (spec and spec.workerSpec).
void CheckServingRuntime(const ObjectRef& obj, std::vector<Violation>& out);

}  // namespace aegis
