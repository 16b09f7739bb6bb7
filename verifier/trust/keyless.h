// Keyless (Sigstore) trust: a bundle signed with a short-lived Fulcio certificate and logged
// in Rekor is accepted when, all offline against a trusted root (sigstore_root.h):
//   tlog-missing   the bundle carries a transparency-log entry;
//   timestamp      every RFC 3161 timestamp is by a timestamp authority of the root, over the
//                  signature (timestamp.h);
//   tlog / set / inclusion-proof / checkpoint / tlog-body   each entry verifies (tlog.h);
//   cert-chain     the leaf chains to a Fulcio CA of the root at every signing time (each
//                  entry's integrated time, each timestamp's time), and allows code signing;
//   sct            an embedded SCT by a CT log of the root verifies over the precertificate;
//   identity, issuer  the SAN and the OIDC issuer extension satisfy the policy.
// The caller then checks the signature itself with the leaf's key (signature.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/expected.h"
#include "verifier/trust/keys.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/sigstore_root.h"
#include "verifier/trust/tlog.h"

namespace aegis::verifier {

// Like cosign verify-blob: exact values or RE2 patterns (unanchored, as Go's MatchString).
struct IdentityPolicy {
  std::string identity, identity_regexp;
  std::string issuer, issuer_regexp;
  bool complete() const { return (!identity.empty() || !identity_regexp.empty()) && (!issuer.empty() || !issuer_regexp.empty()); }
};

// A message naming the invalid RE2 pattern of the policy, if one is.
std::optional<std::string> InvalidPattern(const IdentityPolicy& policy);

struct KeylessSigner {
  TrustedKey key;  // the leaf's public key
  std::string identity, issuer;
  int64_t log_index = 0;
  int64_t signing_time = 0;  // seconds since the epoch
};

// `logged_digest`: what the log entry must commit to (hashedrekord: the artifact's SHA-256;
// dsse: the payload's). kSignature "<check>: …" when a check fails.
Expected<KeylessSigner> VerifyKeyless(const SignatureFile& sig, const SigstoreRoot& root, const IdentityPolicy& policy,
                                      const std::string& logged_digest);

// What a bundle's log entries must say of it: its signature and `logged_digest`, and for a
// DSSE envelope the digest of its PAE (a hashedrekord entry logs that). The signer is the
// caller's to set (the certificate, or the trusted keys' fingerprints).
LoggedMaterial LoggedMaterialOf(const SignatureFile& sig, const std::string& logged_digest);

// A key-signed bundle against a trusted root (cosign verify-blob --key with --trusted-root,
// sigstore's "managed key"): it has a log entry ("tlog-missing" otherwise), and every entry
// verifies against the root (tlog.h) and names one of `keys` as its signer. An entry is dated by
// its signed entry timestamp, else the bundle's RFC 3161 timestamps (which must verify), else
// now: a key has no validity window to check, the entry proves the signature was published.
Status VerifyKeyLogEntries(const SignatureFile& sig, const SigstoreRoot& root, const std::vector<TrustedKey>& keys,
                           const std::string& logged_digest);

}  // namespace aegis::verifier
