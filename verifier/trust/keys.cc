#include "verifier/trust/keys.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "util/file_io.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

Expected<TrustedKey> ReadKey(const std::string& path) {
  auto text = ReadInput(path);
  if (!text) return text.error();
  return ParsePublicKey(*text, path);
}

}  // namespace

Expected<TrustedKey> ParsePublicKey(const std::string& pem, const std::string& path) {
  const std::string* text = &pem;
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())), BIO_free);
  EVP_PKEY* k = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (k == nullptr) {  // PKCS#1 "RSA PUBLIC KEY"
    BIO_reset(bio.get());
    OSSL_DECODER_CTX* dctx = OSSL_DECODER_CTX_new_for_pkey(&k, "PEM", "type-specific", "RSA",
                                                           OSSL_KEYMGMT_SELECT_PUBLIC_KEY, nullptr, nullptr);
    if (dctx != nullptr) {
      if (OSSL_DECODER_from_bio(dctx, bio.get()) != 1) k = nullptr;
      OSSL_DECODER_CTX_free(dctx);
    }
  }
  if (k == nullptr) return Error{VerifyError::kTrust, path, {}, "not a PEM public key"};
  TrustedKey key{path, std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free), KeyType::kEcP256, {}, {}, {}};
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
      key.type = KeyType::kRsa;
      if (const int bits = EVP_PKEY_get_bits(k); bits < 2048) {  // factorable: no trust
        return Error{VerifyError::kTrust, path, {}, fmt::format("RSA key of {} bits is too weak (2048 at least)", bits)};
      }
      break;
    case EVP_PKEY_ED25519: key.type = KeyType::kEd25519; break;
    case EVP_PKEY_EC: {
      char curve[64] = {};
      size_t len = 0;
      EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, &len);
      std::string_view c(curve);
      if (c == "prime256v1" || c == "P-256") key.type = KeyType::kEcP256;
      else if (c == "secp384r1" || c == "P-384") key.type = KeyType::kEcP384;
      else if (c == "secp521r1" || c == "P-521") key.type = KeyType::kEcP521;
      else return Error{VerifyError::kTrust, path, {}, fmt::format("unsupported curve {}", c)};
      break;
    }
    default: return Error{VerifyError::kTrust, path, {}, "unsupported key type"};
  }
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(k, &der);
  if (n > 0) {
    std::string digest = Sha256(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n)));
    key.hint = Base64Encode(digest);
    key.fingerprint = "sha256:" + Hex(digest);
    OPENSSL_free(der);
  }
  std::unique_ptr<BIO, int (*)(BIO*)> out(BIO_new(BIO_s_mem()), BIO_free);
  if (out && PEM_write_bio_PUBKEY(out.get(), k) == 1) {
    char* data = nullptr;
    long len = BIO_get_mem_data(out.get(), &data);
    key.pem_hint = Hex(Sha256(std::string_view(data, static_cast<size_t>(len))));
  }
  return key;
}

namespace {

bool VerifyOne(EVP_PKEY* k, const EVP_MD* md, int padding, std::string_view digest, std::string_view sig) {
  std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new(k, nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) return false;
  if (padding != 0) {
    if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), padding) != 1) return false;
    if (padding == RSA_PKCS1_PSS_PADDING) EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_AUTO);
  }
  return EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) == 1;
}

}  // namespace

Expected<std::vector<TrustedKey>> LoadTrustedKeys(const std::string& file_or_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(file_or_dir, ec)) {
    for (const auto& e : fs::directory_iterator(file_or_dir, ec)) {
      auto ext = e.path().extension().string();
      std::error_code dec;  // a Secret volume's keys are links; a looping one is a problem, not a crash
      const bool dir = e.is_directory(dec);
      if ((ext == ".pem" || ext == ".pub") && !dir) files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(file_or_dir, ec)) {
    files.push_back(file_or_dir);
  }
  std::vector<TrustedKey> keys;
  std::vector<std::string> problems;
  for (const auto& f : files) {
    auto k = ReadKey(f);
    if (k) keys.push_back(std::move(*k));
    else problems.push_back(k.error().Describe());
  }
  if (keys.empty()) {
    std::error_code sec;
    const bool missing = !fs::exists(fs::symlink_status(file_or_dir, sec));
    std::string why = missing         ? "no such file or directory"
                      : files.empty() ? "no *.pem or *.pub key found in the directory"
                                      : problems.front();
    return Error{VerifyError::kTrust, file_or_dir, {}, "no trusted public key: " + why};
  }
  return keys;
}

bool VerifyDigests(const TrustedKey& key, const Digests& m, std::string_view sig) {
  EVP_PKEY* k = key.pkey.get();
  switch (key.type) {
    case KeyType::kEcP256: return VerifyOne(k, EVP_sha256(), 0, m.sha256, sig);
    case KeyType::kEcP384: return VerifyOne(k, EVP_sha384(), 0, m.sha384, sig) || VerifyOne(k, EVP_sha256(), 0, m.sha256, sig);
    case KeyType::kEcP521: return VerifyOne(k, EVP_sha512(), 0, m.sha512, sig) || VerifyOne(k, EVP_sha256(), 0, m.sha256, sig);
    case KeyType::kRsa:
      return VerifyOne(k, EVP_sha256(), RSA_PKCS1_PADDING, m.sha256, sig) ||
             VerifyOne(k, EVP_sha256(), RSA_PKCS1_PSS_PADDING, m.sha256, sig);
    case KeyType::kEd25519: return false;
  }
  return false;
}

bool VerifyMessage(const TrustedKey& key, std::string_view message, std::string_view sig) {
  if (key.type != KeyType::kEd25519) {
    MultiHasher h;
    h.Update(message);
    return VerifyDigests(key, h.Final(), sig);
  }
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.pkey.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

DigestSet NeededDigests(const std::vector<TrustedKey>& keys) {
  DigestSet want{false, false};
  for (const auto& k : keys) {
    want.sha384 = want.sha384 || k.type == KeyType::kEcP384;
    want.sha512 = want.sha512 || k.type == KeyType::kEcP521;
  }
  return want;
}

std::vector<const TrustedKey*> OrderByHint(const std::vector<TrustedKey>& keys, std::string_view hint) {
  std::vector<const TrustedKey*> out;
  for (const auto& k : keys) out.push_back(&k);
  std::stable_partition(out.begin(), out.end(), [&](const TrustedKey* k) { return !hint.empty() && (k->hint == hint || k->pem_hint == hint); });
  return out;
}

}  // namespace aegis::verifier
