// Certificate trust for signature bundles signed with an X.509 certificate instead of a bare
// key (model_signing `sign certificate`: verificationMaterial.x509CertificateChain, leaf
// first). The roots come from a PEM file the operator mounts; the chain is validated by
// OpenSSL at the leaf's notBefore (the latest time the signature can have been made, as
// model_signing verifies it), and the leaf must allow signing (keyUsage digitalSignature or
// extendedKeyUsage codeSigning).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "util/expected.h"
#include "verifier/trust/keys.h"

typedef struct x509_store_st X509_STORE;

namespace aegis::verifier {

class CertificateRoots {
 public:
  // Every certificate in a PEM file (a CA bundle); kTrust when none can be read.
  // With `pinned`, only certificates whose "sha256:" DER fingerprint is listed (kTrust naming
  // those found when none is).
  static Expected<CertificateRoots> Load(const std::string& pem_file, const std::vector<std::string>* pinned = nullptr);

  // The leaf's public key when `chain_der` (leaf, then intermediates) chains to a root;
  // kSignature with OpenSSL's reason otherwise.
  Expected<TrustedKey> VerifyChain(const std::vector<std::string>& chain_der) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::shared_ptr<X509_STORE> store_;
};

}  // namespace aegis::verifier
