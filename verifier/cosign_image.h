// cosign's signatures of an OCI manifest (`cosign sign REGISTRY/REPO@DIGEST`: an artifact pushed
// by ORAS, or a KServe modelcar image), found where cosign puts them:
// - cosign v3 (its default bundle format): an OCI 1.1 referrer of the manifest whose artifact
//   type is a Sigstore bundle (application/vnd.dev.sigstore.bundle.v0.3+json); its one layer is
//   the bundle: a DSSE envelope over an in-toto statement, predicate type
//   https://sigstore.dev/cosign/sign/v1, subject sha256 = the manifest digest. Referrers come
//   from the referrers API, or — on a registry without it (404) — the referrers tag
//   sha256-<hex> (an index), as cosign writes them there (distribution-spec, "Referrers Tag Schema").
// - cosign's legacy layout (v2; v3 with --new-bundle-format=false): the tag sha256-<hex>.sig, a
//   manifest whose layers are simple-signing payloads
//   ({"critical": {"identity": …, "image": {"docker-manifest-digest": "sha256:…"},
//   "type": "cosign container image signature"}, …}) with the base64 signature over the
//   payload in the layer's annotation dev.cosignproject.cosign/signature.
// What the registry says about a signature (annotations, artifact types) only chooses what to
// read; only a signature verified with the trust and naming the manifest's digest counts.
#pragma once

#include <string>
#include <vector>

#include "util/expected.h"
#include "verifier/sources/oci_registry.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/trust.h"

namespace aegis::verifier {

struct ImageSignature {
  enum class Layout { kBundle, kSimpleSigning };
  Layout layout = Layout::kBundle;
  std::string where;        // "referrer sha256:…", "tag sha256-….sig, layer N": for messages
  SignatureFile bundle;     // kBundle
  std::string payload;      // kSimpleSigning: the payload blob
  std::string signature;    // kSimpleSigning: raw
  bool certificate = false;  // kSimpleSigning: signed keyless (dev.sigstore.cosign/certificate)
};

// The signatures of the manifest `digest` (sha256:…) in `client`'s repository: referrers first,
// then the legacy tag; none is an empty list. At most 16 of each kind are read, each blob at most
// 1 MiB (`scratch` is a file path used for blobs). Registry errors other than 404 are errors.
Expected<std::vector<ImageSignature>> FindImageSignatures(RegistryClient& client, const std::string& digest, const std::string& scratch);

// One signature against `trust`: the bundle's statement (VerifyStatementWith, predicate type
// cosign's signature only: an attestation — SLSA provenance, an SBOM — attached to the same
// manifest is not an approval), or the simple-signing payload's signature, then its type and
// digest. kSignature naming the check otherwise; a keyless legacy signature (a certificate
// annotation) is kSignature "not supported: …" (its Rekor bundle annotation is not read).
Expected<Verified> VerifyImageSignature(const Trust& trust, const ImageSignature& sig, const std::string& digest, const std::string& scratch);

}  // namespace aegis::verifier
