// `aegis render --template clusterstoragecontainer`: KServe-native delivery. KServe injects
// the ClusterStorageContainer's container as the storage-initializer of every
// InferenceService whose storageUri it supports, invoked as `<image> <storageUri> /mnt/models`
// (kserve pkg/webhook/admission/pod/storage_initializer_injector.go,
// CommonStorageInitialization); that is verify-and-fetch's own command line.
#pragma once

#include <string>
#include <vector>

#include "render/injector.h"

namespace aegis::render {

// The URI prefixes the container serves: the schemes verify-and-fetch fetches without an
// opt-in flag.
const std::vector<std::string>& StorageContainerPrefixes();

std::string StorageContainerYaml(const RenderSettings& settings);

}  // namespace aegis::render
