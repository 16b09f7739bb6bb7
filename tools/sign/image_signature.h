// `aegis sign oci://REGISTRY/REPOSITORY[:TAG|@DIGEST]`: an image or artifact signed the way cosign
// v3 signs it (docs/SIGNATURES.md, format E): a DSSE in-toto statement (predicate type
// https://sigstore.dev/cosign/sign/v1, subject = the manifest's digest) in a Sigstore bundle,
// pushed as an OCI 1.1 referrer of the manifest (artifactType
// application/vnd.dev.sigstore.bundle.v0.3+json, the empty config, the bundle as its one layer).
// A registry without the referrers API (no OCI-Subject answer, and GET /v2/NAME/referrers/DIGEST
// is a 404) gets the referrer added to the referrers tag sha256-<hex> (an index: read, appended
// to, written back), as cosign and ORAS write it. No transparency log is written (cosign --tlog-upload=false).
#pragma once

#include <string>

#include "sign/signer.h"
#include "util/expected.h"
#include "verifier/sources/oci_registry.h"

namespace aegis::sign {

struct ImageSigned {
  std::string manifest;  // the signed manifest's digest
  std::string referrer;  // the signature manifest's digest
  bool referrers_api = false;  // the registry indexed it; else the referrers tag was written
};

// The bundle alone (for tests and for `--output`).
Expected<std::string> ImageSignatureBundle(const Signer& signer, const std::string& manifest_digest);

// Signs the manifest `reference` (a tag or a digest) of `client`'s repository and pushes the
// signature. Registry errors as RegistryClient's (a credential without push access: kForbidden).
Expected<ImageSigned> SignImage(const Signer& signer, verifier::RegistryClient& client, const std::string& reference);

}  // namespace aegis::sign
