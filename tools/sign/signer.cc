#include "sign/signer.h"

#include "sign/cosign_key.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/file_io.h"
#include "util/strings.h"
#include "verifier/common/verify_error.h"

namespace aegis::sign {
namespace {
using verifier::Digests;
using verifier::KeyType;
using verifier::TrustedKey;

std::string PemOf(EVP_PKEY* k) {
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), k);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

const EVP_MD* HashOf(KeyType t) {
  switch (t) {
    case KeyType::kEcP384: return EVP_sha384();
    case KeyType::kEcP521: return EVP_sha512();
    default: return EVP_sha256();
  }
}

Expected<std::string> SignDigest(EVP_PKEY* k, KeyType type, std::string_view digest) {
  std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new(k, nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), HashOf(type)) != 1 ||
      (type == KeyType::kRsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)) {
    return Error{VerifyError::kSignature, {}, {}, "cannot initialise signing"};
  }
  auto d = reinterpret_cast<const unsigned char*>(digest.data());
  size_t len = 0;
  if (EVP_PKEY_sign(ctx.get(), nullptr, &len, d, digest.size()) != 1) return Error{VerifyError::kSignature, {}, {}, "signing failed"};
  std::string sig(len, '\0');
  if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, d, digest.size()) != 1) {
    return Error{VerifyError::kSignature, {}, {}, "signing failed"};
  }
  sig.resize(len);
  return sig;
}

Expected<std::string> SignEd25519(EVP_PKEY* k, std::string_view message) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  auto m = reinterpret_cast<const unsigned char*>(message.data());
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, k) != 1 || EVP_DigestSign(ctx.get(), nullptr, &len, m, message.size()) != 1) {
    return Error{VerifyError::kSignature, {}, {}, "Ed25519 signing failed"};
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, m, message.size()) != 1) {
    return Error{VerifyError::kSignature, {}, {}, "Ed25519 signing failed"};
  }
  sig.resize(len);
  return sig;
}

class KeySigner : public Signer {
 public:
  KeySigner(std::shared_ptr<EVP_PKEY> key, TrustedKey pub, std::string path)
      : key_(std::move(key)), pub_(std::move(pub)), path_(std::move(path)) {}

  std::string DigestAlgorithm() const override {
    switch (pub_.type) {
      case KeyType::kEcP384: return "SHA2_384";
      case KeyType::kEcP521: return "SHA2_512";
      default: return "SHA2_256";
    }
  }
  Expected<std::string> SignArtifact(const Digests& d, const std::string& path) const override {
    if (pub_.type == KeyType::kEd25519) {
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return Error{ErrorKind::kIo, path, {}, "cannot open"};
      struct stat st {};
      ::fstat(fd, &st);
      size_t size = static_cast<size_t>(st.st_size);
      void* p = size > 0 ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
      ::close(fd);
      if (p == MAP_FAILED) return Error{ErrorKind::kIo, path, {}, "cannot map"};
      auto sig = SignEd25519(key_.get(), std::string_view(static_cast<const char*>(p), size));
      if (p != nullptr) ::munmap(p, size);
      return sig;
    }
    const std::string& digest = pub_.type == KeyType::kEcP384 ? d.sha384 : pub_.type == KeyType::kEcP521 ? d.sha512 : d.sha256;
    return SignDigest(key_.get(), pub_.type, digest);
  }
  Expected<std::string> SignMessage(const std::string& message) const override {
    if (pub_.type == KeyType::kEd25519) return SignEd25519(key_.get(), message);
    std::string digest(static_cast<size_t>(EVP_MD_get_size(HashOf(pub_.type))), '\0');
    unsigned int len = 0;
    EVP_Digest(message.data(), message.size(), reinterpret_cast<unsigned char*>(digest.data()), &len, HashOf(pub_.type), nullptr);
    return SignDigest(key_.get(), pub_.type, digest);
  }
  const TrustedKey& PublicKey() const override { return pub_; }
  std::string PublicKeyPem() const override { return PemOf(key_.get()); }
  std::string Describe() const override { return path_; }

 private:
  std::shared_ptr<EVP_PKEY> key_;
  TrustedKey pub_;
  std::string path_;
};

class VaultSigner : public Signer {
 public:
  VaultSigner(verifier::Vault vault, TrustedKey pub, std::string pem, int version)
      : vault_(std::move(vault)), pub_(std::move(pub)), pem_(std::move(pem)), version_(version) {}
  std::string DigestAlgorithm() const override { return "SHA2_256"; }
  Expected<std::string> SignArtifact(const Digests& d, const std::string&) const override {
    verifier::VaultSignRequest req;
    req.input = verifier::Base64Encode(d.sha256);
    req.prehashed = true;
    if (pub_.type == KeyType::kRsa) req.signature_algorithm = "pkcs1v15";
    return Unwrap(vault_.Sign(req));
  }
  Expected<std::string> SignMessage(const std::string& message) const override {
    verifier::VaultSignRequest req;  // Vault hashes the input with sha2-256 itself
    req.input = verifier::Base64Encode(message);
    if (pub_.type == KeyType::kRsa) req.signature_algorithm = "pkcs1v15";
    return Unwrap(vault_.Sign(req));
  }
  const TrustedKey& PublicKey() const override { return pub_; }
  std::string PublicKeyPem() const override { return pem_; }
  std::string Describe() const override {
    return fmt::format("vault transit key {} v{} at {}", vault_.config().key, version_, RedactUri(vault_.config().addr));
  }

 private:
  static Expected<std::string> Unwrap(const Expected<std::string>& vault_sig) {
    if (!vault_sig) return vault_sig.error();
    auto parsed = verifier::ParseVaultSignature(*vault_sig);
    if (!parsed) return parsed.error();
    return parsed->raw;
  }
  verifier::Vault vault_;
  TrustedKey pub_;
  std::string pem_;
  int version_;
};

int PasswordCallback(char* buf, int size, int, void* user) {
  const auto* password = static_cast<const std::string*>(user);
  if (password == nullptr || password->empty() || static_cast<int>(password->size()) > size) return -1;
  std::copy(password->begin(), password->end(), buf);
  return static_cast<int>(password->size());
}

}  // namespace

std::string KeyDetails(KeyType type) {
  switch (type) {
    case KeyType::kEcP256: return "PKIX_ECDSA_P256_SHA_256";
    case KeyType::kEcP384: return "PKIX_ECDSA_P384_SHA_384";
    case KeyType::kEcP521: return "PKIX_ECDSA_P521_SHA_512";
    case KeyType::kRsa: return "PKIX_RSA_PKCS1V15_2048_SHA256";
    case KeyType::kEd25519: return "PKIX_ED25519";
  }
  return "";
}

Expected<std::unique_ptr<Signer>> LoadKeySigner(const std::string& path, const std::string& password) {
  auto text = ReadInput(path);
  if (!text) return Error{ErrorKind::kUsage, path, {}, "cannot read the private key file: " + text.error().message};
  EVP_PKEY* k = nullptr;
  if (IsCosignKey(*text)) {  // `cosign generate-key-pair`'s encrypted key
    auto der = DecryptCosignKey(*text, password, path);
    if (!der) return der.error();
    const auto* p = reinterpret_cast<const unsigned char*>(der->data());
    k = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der->size()));
    OPENSSL_cleanse(der->data(), der->size());
    if (k == nullptr) return Error{ErrorKind::kUsage, path, {}, "the cosign private key holds no PKCS#8 key"};
  }
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())), BIO_free);
  std::string pw = password;
  if (k == nullptr) k = PEM_read_bio_PrivateKey(bio.get(), nullptr, PasswordCallback, &pw);
  if (k == nullptr) {
    bool encrypted = text->find("ENCRYPTED") != std::string::npos;
    return Error{ErrorKind::kUsage, path, {},
                 encrypted ? (password.empty() ? "the private key is encrypted: give --password-file (or AEGIS_PASSWORD)"
                                               : "cannot decrypt the private key (wrong password?)")
                           : "not a PEM private key (PKCS#8, SEC1 or PKCS#1)"};
  }
  std::shared_ptr<EVP_PKEY> key(k, EVP_PKEY_free);
  auto pub = verifier::ParsePublicKey(PemOf(k), path);
  if (!pub) return Error{ErrorKind::kUsage, path, {}, pub.error().message};
  return std::unique_ptr<Signer>(new KeySigner(key, *pub, path));
}

Expected<std::unique_ptr<Signer>> ConnectVaultSigner(const verifier::VaultConfig& config) {
  auto vault = verifier::Vault::Connect(config);
  if (!vault) return vault.error();
  auto info = vault->ReadKey();
  if (!info) return info.error();
  auto latest = info->public_keys.find(info->latest_version);
  if (latest == info->public_keys.end()) return Error{VerifyError::kTrust, RedactUri(config.addr), {}, "the Vault transit key has no public key"};
  auto pub = verifier::ParsePublicKey(latest->second, "vault");
  if (!pub) return pub.error();
  if (pub->type != KeyType::kEcP256 && pub->type != KeyType::kRsa) {
    return Error{ErrorKind::kUsage, RedactUri(config.addr), {}, fmt::format("Vault key type {} is not supported for signing (ecdsa-p256, rsa-*)", info->type)};
  }
  return std::unique_ptr<Signer>(new VaultSigner(std::move(*vault), *pub, latest->second, latest->first));
}

}  // namespace aegis::sign
