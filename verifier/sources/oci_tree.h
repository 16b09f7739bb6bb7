// An OCI artifact as a model directory (oci_registry.h fetches it). ORAS's layout: each layer
// titled (org.opencontainers.image.title) is a file at that path, or — annotated
// io.deis.oras.content.unpack — a directory packed as tar(+gzip), extracted under that name
// with every archive rule (extract.h). An artifact that is one packed directory and nothing
// else is that directory (oras push REF ./model → the model's own files). An image whose
// layers have no titles is a KServe modelcar: the model is its /models directory, each layer's
// entries there extracted with every archive rule and stacked in order (oci_image.h).
#pragma once

#include <string>

#include "util/expected.h"
#include "verifier/place/extract.h"
#include "verifier/sources/oci_registry.h"
#include "verifier/sources/tree.h"

namespace aegis::verifier {

// The manifest's layers into `dir` (created), `parallel` blobs at a time, within `limits`.
// `scratch` is a path for packed layers (removed afterwards).
Expected<TreeResult> FetchOciTree(RegistryClient& client, const OciManifest& manifest, const std::string& dir, const std::string& scratch,
                                  const ExtractLimits& limits, int parallel);

}  // namespace aegis::verifier
