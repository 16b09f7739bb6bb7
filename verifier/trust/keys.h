// Trusted public keys (SPKI or PKCS#1 PEM; a file or a directory of *.pem/*.pub) and the
// signature checks per key type (docs/SIGNATURES.md, "Key material").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"
#include "verifier/common/crypto.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace aegis::verifier {

enum class KeyType { kEcP256, kEcP384, kEcP521, kRsa, kEd25519 };

struct TrustedKey {
  std::string source;  // the file it came from
  std::shared_ptr<EVP_PKEY> pkey;
  KeyType type = KeyType::kEcP256;
  std::string hint;  // base64 SHA-256 of the SPKI DER, as sigstore bundles carry it
  std::string pem_hint;  // hex SHA-256 of the SPKI PEM, as model_signing >= 1.1 bundles carry it
  std::string fingerprint;  // "sha256:" + hex SHA-256 of the SPKI DER: what a trust policy pins
};

// One PEM public key (SPKI or PKCS#1 RSA); `source` names it in errors and logs.
Expected<TrustedKey> ParsePublicKey(const std::string& pem, const std::string& source);

// A file, or every *.pem / *.pub in a directory (rotation). kTrust when none is usable.
Expected<std::vector<TrustedKey>> LoadTrustedKeys(const std::string& file_or_dir);

// A signature over a message given by its digests: ECDSA (DER) with the curve's hash, also
// SHA-256 for P-384/P-521 (cosign ≤ 3.1.2); RSA PKCS#1 v1.5 or PSS with SHA-256.
// Ed25519 signs whole messages: use VerifyMessage.
bool VerifyDigests(const TrustedKey& key, const Digests& message, std::string_view signature);

// The same over a message held in memory (DSSE PAE); also Ed25519.
bool VerifyMessage(const TrustedKey& key, std::string_view message, std::string_view signature);

// The artifact digests these keys can verify (format A/B): SHA-384 only for P-384 keys,
// SHA-512 only for P-521 keys.
DigestSet NeededDigests(const std::vector<TrustedKey>& keys);

// Keys in the order to try: the hint only reorders, it never decides (it is unauthenticated).
std::vector<const TrustedKey*> OrderByHint(const std::vector<TrustedKey>& keys, std::string_view hint);

}  // namespace aegis::verifier
