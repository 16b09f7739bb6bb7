// Pinned trust (docs/VERIFIER.md, "Pinned trust"): with AEGIS_TRUST_POLICY (--trust-policy)
// set, the platform's constraint decides what verify-and-fetch trusts, not the pod. Keys whose
// fingerprint is not pinned are not trusted, keyless identities are the pinned ones, a trusted
// root or CA file must be pinned by SHA-256, a Vault must be a pinned (address, key), the
// artifact must start with a pinned prefix, and plain HTTP or skipped TLS are refused.
#pragma once

#include <string>
#include <string_view>

#include "util/expected.h"
#include "util/trust_pins.h"
#include "verifier/options.h"
#include "verifier/trust/trust.h"

namespace aegis::verifier {

// The JSON of AEGIS_TRUST_POLICY; kUsage (exit 2) naming the field when it is not a trust policy.
Expected<TrustPins> ReadTrustPolicy(std::string_view text);

// What ResolveTrust is given once the options are checked against the pins (kTrust, exit 7,
// naming what is not pinned): the pinned identities, and the pins for keys and CAs.
Expected<KeylessOptions> ApplyPins(const TrustPins& pins, const Options& o);

// "sha256:HEX" of a file's bytes (a trusted root as pinned); kTrust when unreadable.
Expected<std::string> FileFingerprint(const std::string& path);

}  // namespace aegis::verifier
