// Where a KServe component keeps its model, which containers serve it, and which model URIs
// the verifier can fetch. Shared by the policy (AEGIS005, AEGIS006) and `aegis render`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/node.h"

namespace aegis {

// A mapping of an InferenceService component that may carry a model: the component itself
// (key ""), its `model`, a framework key (`sklearn`, `triton`, …), or any other mapping that
// carries a `storageUri` or `storage` (a framework newer than this list).
struct ModelPlace {
  std::string_view key;
  const yaml::Node* node = nullptr;
};

// A place's field as messages name it: "model.storageUri", or "storageUri" for the component.
std::string Prefixed(std::string_view key, std::string_view field);

// The component's places in that order; absent or non-mapping entries are left out.
std::vector<ModelPlace> KServePlaces(const yaml::Node* component);
// The same, nodes only.
std::vector<const yaml::Node*> ModelPlaces(const yaml::Node* component);

// A way KServe's storage initializer would download a model for the component: a
// `storageUri`, `storageUris` or `storage` field of a place, or a STORAGE_URI variable in a
// container's env. `what` names it for messages ("model.storageUri s3://…").
struct ModelSource {
  std::string what;
  std::optional<std::string> uri;  // the URI when it is a string value
  const yaml::Node* at = nullptr;
  std::string_view field;          // storageUri, storageUris, storage, or STORAGE_URI (env)
  ModelPlace place;                // the place holding the field; node null for a container's env
};
std::vector<ModelSource> KServeModelSources(const yaml::Node* component);

// The component's serving containers: each entry of `containers`, then `model` and each
// framework key (container fields inlined). `name` is the container's name, or the key.
struct ServingContainer {
  std::string name;
  const yaml::Node* node = nullptr;
};
std::vector<ServingContainer> KServeServingContainers(const yaml::Node* component);

// The schemes verify-and-fetch fetches (docs/VERIFIER.md, "Artifact URIs"). Anything else
// (pvc://, hf://, oci://, Azure) would be refused by the verifier on every pod start.
bool VerifierFetches(std::string_view uri);

// For an hf:// URI, whether its revision (hf://OWNER/MODEL:REV or @REV) is a commit (40 hex
// digits); nullopt for other schemes. The verifier refuses another revision unless allowed.
std::optional<bool> HfRevisionPinned(std::string_view uri);

}  // namespace aegis
