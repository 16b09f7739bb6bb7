// Where trust comes from: the mounted public keys (a file or a directory), or Vault
// transit when no key is usable and Vault is configured. Both verify every format; for
// Vault, A/B/C go through POST /v1/transit/verify and D (which signs a DSSE envelope, not
// a digest) uses the transit key's public keys read from Vault.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/expected.h"
#include "util/trust_pins.h"
#include "verifier/trust/certificates.h"
#include "verifier/trust/keyless.h"
#include "verifier/trust/keys.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/vault.h"

namespace aegis::verifier {

// Keyless (Sigstore) trust: a trusted root file and who may have signed.
struct KeylessOptions {
  std::string trusted_root;  // empty: keyless is off
  IdentityPolicy policy;
  std::vector<IdentityPolicy> pinned;  // a trust policy's identities: used instead of `policy`
  bool allow_any_identity = false;     // a pattern may match every identity (--allow-any-identity)
  std::vector<std::string> predicate_types;  // in-toto statements accepted over an artifact; empty: model_signing's
};

struct Keyless {
  SigstoreRoot root;
  std::vector<IdentityPolicy> policies;  // a signer satisfying any of them is trusted
  std::vector<std::string> predicate_types;  // as KeylessOptions
};

struct Trust {
  std::vector<TrustedKey> keys;  // empty when Vault decides
  std::optional<Vault> vault;
  std::optional<CertificateRoots> roots;  // for bundles signed with a certificate (format D)
  std::optional<Keyless> keyless;         // for bundles signed keyless (Fulcio + Rekor)
  // A trusted root given with keys and no identity: a key-signed bundle's log entries are
  // verified against it (VerifyKeyLogEntries), as cosign verify-blob --key --trusted-root does.
  std::optional<SigstoreRoot> transparency;
  // In-toto statements a key-signed DSSE bundle may carry over one file (KeylessOptions's).
  std::vector<std::string> predicate_types;
  std::vector<std::string> unpinned;      // keys a trust policy left out: "FILE (sha256:…)", for the log

  std::string Describe() const;  // for logs: key files, or "vault transit key K at ADDR"
};

// A keyless identity policy as verification takes it: complete, valid RE2, one form of each
// field, and (unless `allow_any`) no pattern that admits every identity or issuer.
Status CheckIdentityPolicy(const IdentityPolicy& policy, bool allow_any);

// Keys from `key_path` (may be empty: none) when usable; otherwise Vault when configured;
// otherwise the key error (kTrust, exit 7). `certificate_chain` (may be empty) adds CA roots
// for certificate-signed bundles, `keyless` a Sigstore trusted root and identity policy (an
// incomplete policy is kTrust; an invalid pattern kUsage); with either, unusable keys are
// not an error.
// With `pins` (a trust policy), only keys and CA certificates whose fingerprint is pinned are
// trusted; none left is kTrust naming the fingerprints that were found.
Expected<Trust> ResolveTrust(const std::string& key_path, const VaultConfig& vault,
                             const std::string& certificate_chain = {}, const KeylessOptions& keyless = {},
                             const TrustPins* pins = nullptr);

// The artifact digests to compute on the way.
DigestSet NeededDigests(const Trust& trust);

// Formats A, B, C.
Expected<Verified> VerifyArtifactWith(const Trust& trust, const SignatureFile& sig, const Digests& artifact,
                                      const std::string& artifact_path);

// A DSSE in-toto statement over `subject` (a digest that is not a file's: an OCI manifest's, for
// cosign's image signatures) whose predicate type is one of `predicate_types`: keyless (the
// bundle's certificate and log entries against the trusted root and identities), or the keys
// (Vault's public keys when Vault decides).
Expected<Verified> VerifyStatementWith(const Trust& trust, const SignatureFile& sig, const Digests& subject,
                                       const std::vector<std::string>& predicate_types);

// Format D.
Expected<Verified> VerifyTreeWith(const Trust& trust, const SignatureFile& sig, const std::string& path,
                                  const std::vector<std::string>& ignore);

}  // namespace aegis::verifier
