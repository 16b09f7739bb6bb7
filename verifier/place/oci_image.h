// Container image layers (a KServe modelcar: the model is the image's /models directory).
// A layer is a tar (plain, gzip or zstd); only its entries under models/ are the model's. They
// are copied, the prefix stripped, into a plain tar that ExtractArchive then extracts with every
// archive rule; entries elsewhere in the image (the base system) are skipped, never written.
// Whiteouts (.wh.*) under models/ — a layer deleting model files — refuse the layer.
#pragma once

#include <string>

#include "util/expected.h"
#include "verifier/place/extract.h"

namespace aegis::verifier {

inline constexpr const char* kModelcarDir = "models/";

// Layer media types that are tar archives (OCI and Docker).
bool IsImageLayer(const std::string& media_type);

// `layer` (a blob) → `filtered` (a plain tar of the entries under `prefix`, prefix removed).
// Returns how many entries it kept. kArchive for a corrupt layer, a whiteout or a hard link
// under the prefix that points outside it; kLimit beyond `limits.max_entries`.
Expected<uint64_t> FilterLayer(const std::string& layer, const std::string& filtered, const std::string& prefix, const ExtractLimits& limits);

}  // namespace aegis::verifier
