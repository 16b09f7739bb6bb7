// The flags that pin trust in a constraint (parameters.trust, docs/POLICY.md "Version 3"), for
// `aegis policy export`; `aegis init` pins the key it writes and the identity it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/expected.h"
#include "util/trust_pins.h"

namespace CLI {
class App;
}

namespace aegis::cli {

struct TrustFlags {
  std::vector<std::string> key_fingerprints, trusted_root_fingerprints, ca_fingerprints, artifact_prefixes;
  KeylessIdentity identity;  // subject/issuer (exact or RE2)
  std::string vault_addr, vault_key;
  bool allow_any_identity = false;
};

// --key-fingerprint, --certificate-identity[-regexp], --certificate-oidc-issuer[-regexp],
// --trusted-root-fingerprint, --ca-fingerprint, --vault-addr/--vault-key, --artifact-prefix,
// --allow-any-identity.
void AddTrustFlags(CLI::App& sub, TrustFlags& f);

// The pins the flags give (nullopt: none given); kUsage naming the flag when malformed.
Expected<std::optional<TrustPins>> PinsFrom(const TrustFlags& f);

}  // namespace aegis::cli
