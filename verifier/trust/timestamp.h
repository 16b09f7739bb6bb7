// RFC 3161 signed timestamps in a Sigstore bundle
// (verificationMaterial.timestampVerificationData.rfc3161Timestamps[].signedTimestamp: a DER
// TimeStampResp). A timestamp authority of the trusted root attests when it saw the bundle's
// signature; Rekor v2 entries carry no integrated time, so this is their signing time.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/expected.h"
#include "verifier/trust/sigstore_root.h"

namespace aegis::verifier {

// The attested time (seconds since the epoch) when the response is granted, its token's
// message imprint is the digest of `signature`, and it is signed by a timestamp authority of
// the root (its chain valid, and the authority within its window, at that time).
// kSignature "timestamp: …" otherwise.
Expected<int64_t> VerifyRfc3161Timestamp(std::string_view response_der, std::string_view signature, const SigstoreRoot& root);

}  // namespace aegis::verifier
