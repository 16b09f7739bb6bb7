#include "sign/keygen.h"

#include <memory>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace aegis::sign {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::string Drain(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace

KeyPairPem::~KeyPairPem() {
  if (!private_pem.empty()) OPENSSL_cleanse(private_pem.data(), private_pem.size());
}

Expected<KeyPairPem> GenerateKeyPair() {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  if (!key) return Error{ErrorKind::kIo, {}, {}, "OpenSSL could not generate a P-256 key"};
  // A memory BIO that is cleared when freed: the private key leaves no copy behind.
  std::unique_ptr<BIO, BioFree> priv(BIO_new(BIO_s_secmem()));
  std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
  if (!priv || !pub || PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    return Error{ErrorKind::kIo, {}, {}, "OpenSSL could not encode the new key pair"};
  }
  KeyPairPem out;
  out.private_pem = Drain(priv.get());
  out.public_pem = Drain(pub.get());
  return out;
}

}  // namespace aegis::sign
