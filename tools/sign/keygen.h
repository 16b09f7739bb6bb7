// A new signing key pair for `aegis init`: ECDSA P-256 (cosign's default curve), the
// private key as unencrypted PKCS#8 PEM (as `openssl genpkey` writes it; aegis sign reads
// it), the public key as SPKI PEM (what the verifier trusts: *.pub / *.pem).
#pragma once

#include <string>

#include "util/expected.h"

namespace aegis::sign {

struct KeyPairPem {
  std::string private_pem;
  std::string public_pem;
  ~KeyPairPem();  // wipes the private key from memory
  KeyPairPem() = default;
  KeyPairPem(const KeyPairPem&) = delete;
  KeyPairPem& operator=(const KeyPairPem&) = delete;
  KeyPairPem(KeyPairPem&&) = default;
  KeyPairPem& operator=(KeyPairPem&&) = default;
};

Expected<KeyPairPem> GenerateKeyPair();

}  // namespace aegis::sign
