// AEGIS005 (the model reaches the server only through the verifier) and AEGIS006 (the server
// reads what the verifier wrote): docs/POLICY.md, "Version 2".
#pragma once

#include <string>
#include <vector>

#include "manifest/pod_spec.h"
#include "policy/constraint.h"
#include "policy/rules.h"

namespace aegis {

// True for an InferenceService component served in KServe-native mode: every model source is
// a URI starting with one of verifiedStorageUriPrefixes, so KServe's storage initializer is
// the Aegis ClusterStorageContainer (verify-and-fetch). The Pod KServe creates is checked for
// the verifier instead of the component.
bool KServeNative(const PodSpecRef& ref, const Parameters& p);

// AEGIS005 for one pod spec: KServe model sources not delivered by the verifier, and an
// initContainer named storage-initializer that is not an allowed verifier.
void CheckModelSources(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers,
                       const Parameters& p, const std::string& subject, std::vector<Violation>& out);

// AEGIS005 for what an object downloads outside any pod spec (LLMInferenceService's
// spec.model, a TrainedModel).
void CheckObjectSources(const ObjectRef& obj, const Parameters& p, std::vector<Violation>& out);

// AEGIS006 for one pod spec with at least one allowed verifier.
void CheckModelMount(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                     const std::string& subject, std::vector<Violation>& out);

}  // namespace aegis
