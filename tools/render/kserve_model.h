// Where a KServe component keeps its model, and which model URIs the verifier can fetch.
#pragma once

#include <string_view>
#include <vector>

#include "yaml/node.h"

namespace aegis::render {

// The mappings of a component that may carry a model (storageUri, storage, …): the component
// itself, its `model`, and each framework key (`sklearn`, `triton`, …), in that order; absent
// or non-mapping entries are left out.
std::vector<const yaml::Node*> ModelPlaces(const yaml::Node* component);

// The schemes verify-and-fetch fetches (docs/VERIFIER.md, "Artifact URIs"). Anything else
// (gs://, pvc://, hf://, oci://) would be refused by the verifier on every pod start.
bool VerifierFetches(std::string_view uri);

}  // namespace aegis::render
