// The producer side's signing keys behind one interface: a PEM private key (PKCS#8, SEC1 or
// PKCS#1; EC, RSA or Ed25519; optionally encrypted) or a Vault transit key. Signatures are
// exactly what verify-and-fetch, cosign and `openssl dgst -verify` check (docs/SIGNATURES.md).
#pragma once

#include <memory>
#include <string>

#include "util/expected.h"
#include "verifier/common/crypto.h"
#include "verifier/trust/keys.h"
#include "verifier/trust/vault.h"

namespace aegis::sign {

class Signer {
 public:
  virtual ~Signer() = default;
  // The digest the artifact signature covers: "SHA2_256", "SHA2_384" or "SHA2_512" (the
  // curve's hash, as cosign v3 signs), with the digest set to compute.
  virtual std::string DigestAlgorithm() const = 0;
  // A DER (ECDSA) or raw (RSA, Ed25519) signature over the artifact; `path` is the artifact
  // itself (Ed25519 signs the whole message).
  virtual Expected<std::string> SignArtifact(const verifier::Digests& digests, const std::string& path) const = 0;
  // A signature over a message held in memory (DSSE PAE).
  virtual Expected<std::string> SignMessage(const std::string& message) const = 0;
  virtual const verifier::TrustedKey& PublicKey() const = 0;  // its public half (hint, type)
  virtual std::string PublicKeyPem() const = 0;
  virtual std::string Describe() const = 0;  // for output; never secret
};

// A PEM private key file; `password` decrypts an encrypted one (kUsage when needed and absent).
Expected<std::unique_ptr<Signer>> LoadKeySigner(const std::string& path, const std::string& password);

// A Vault transit key (prehashed sha2-256; RSA with pkcs1v15, as cosign signs).
Expected<std::unique_ptr<Signer>> ConnectVaultSigner(const verifier::VaultConfig& config);

// The sigstore keyDetails name of a key type (PKIX_ECDSA_P256_SHA_256, …).
std::string KeyDetails(verifier::KeyType type);

}  // namespace aegis::sign
