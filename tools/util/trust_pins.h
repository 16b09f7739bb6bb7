// Pinned trust: what the platform's constraint says may sign a model (parameters.trust), and
// what verify-and-fetch then trusts and nothing else (env AEGIS_TRUST_POLICY, the same JSON).
// docs/POLICY.md, "Version 3"; docs/VERIFIER.md, "Pinned trust".
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/expected.h"

namespace aegis {

// A Sigstore keyless signer: exact values or RE2 patterns (policy-controller's identities).
struct KeylessIdentity {
  std::string issuer, subject, issuer_regexp, subject_regexp;
};

struct VaultPin {
  std::string address, key;
};

struct TrustPins {
  std::vector<std::string> keys;                     // "sha256:HEX" of the SPKI DER
  std::vector<KeylessIdentity> keyless;
  std::vector<std::string> trusted_roots;            // "sha256:HEX" of trusted_root.json files
  std::vector<std::string> certificate_authorities;  // "sha256:HEX" of CA certificates (DER)
  std::vector<VaultPin> vault;
  std::vector<std::string> artifact_prefixes;        // empty: any artifact
  bool allow_any_identity = false;                   // a keyless pattern may match everyone

  // Compact, keys in a fixed order, empty fields left out: what render and export write.
  nlohmann::json ToJson() const;
};

// Reads parameters.trust / AEGIS_TRUST_POLICY. Unknown keys and wrong types are errors
// (ErrorKind::kUsage) naming the field, e.g. "trust.keys[1]: …".
Expected<TrustPins> ParseTrustPins(const nlohmann::json& j);

// "sha256:" and 64 lower-case hex digits.
bool IsSha256Fingerprint(const std::string& s);

}  // namespace aegis
