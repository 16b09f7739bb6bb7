#include "verifier/trust/certificates.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "util/file_io.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr FromDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
}

std::string SubjectOf(X509* cert) {
  char buf[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  return buf;
}

}  // namespace

Expected<CertificateRoots> CertificateRoots::Load(const std::string& pem_file, const std::vector<std::string>* pinned) {
  auto text = ReadInput(pem_file);
  if (!text) return Error{VerifyError::kTrust, pem_file, {}, "cannot read the CA certificates: " + text.error().message};
  CertificateRoots roots;
  roots.file_ = pem_file;
  roots.store_.reset(X509_STORE_new(), X509_STORE_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())), BIO_free);
  size_t count = 0;
  std::vector<std::string> unpinned;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    unsigned char* der = nullptr;
    int n = i2d_X509(cert, &der);
    std::string fp = n > 0 ? "sha256:" + Hex(Sha256(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n)))) : "";
    OPENSSL_free(der);
    if (pinned == nullptr || std::find(pinned->begin(), pinned->end(), fp) != pinned->end()) {
      X509_STORE_add_cert(roots.store_.get(), cert);
      ++count;
    } else {
      unpinned.push_back(fp);
    }
    X509_free(cert);
  }
  if (count == 0 && !unpinned.empty()) {
    return Error{VerifyError::kTrust, pem_file, {},
                 fmt::format("no CA certificate here is pinned by the trust policy: found {}", fmt::join(unpinned, ", "))};
  }
  if (count == 0) return Error{VerifyError::kTrust, pem_file, {}, "no PEM certificate in the CA file"};
  return roots;
}

Expected<TrustedKey> CertificateRoots::VerifyChain(const std::vector<std::string>& chain_der) const {
  auto bad = [](std::string msg) { return Error{VerifyError::kSignature, {}, {}, std::move(msg)}; };
  if (chain_der.empty()) return bad("the bundle carries no certificate");
  X509Ptr leaf = FromDer(chain_der[0]);
  if (!leaf) return bad("the bundle's signing certificate is not DER X.509");
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
      sk_X509_new_null(), [](STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); });
  for (size_t i = 1; i < chain_der.size(); ++i) {
    X509Ptr c = FromDer(chain_der[i]);
    if (!c) return bad(fmt::format("certificate {} of the bundle's chain is not DER X.509", i));
    sk_X509_push(untrusted.get(), c.release());
  }
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  if (!X509_STORE_CTX_init(ctx.get(), store_.get(), leaf.get(), untrusted.get())) return bad("cannot set up chain validation");
  // The signature was made while the leaf was valid; its notBefore is the latest such moment
  // that needs no timestamp authority (model_signing validates at the same instant).
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  time_t at = 0;
  const ASN1_TIME* not_before = X509_get0_notBefore(leaf.get());
  struct tm tm {};
  if (ASN1_TIME_to_tm(not_before, &tm) != 1) return bad("the signing certificate has an invalid notBefore");
  at = timegm(&tm);
  X509_VERIFY_PARAM_set_time(param, at);
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    return bad(fmt::format("the signing certificate ({}) does not chain to a CA in {}: {}", SubjectOf(leaf.get()), file_,
                           X509_verify_cert_error_string(err)));
  }
  const uint32_t usage = X509_get_key_usage(leaf.get());
  const uint32_t extended = X509_get_extended_key_usage(leaf.get());
  const bool can_sign = (usage != UINT32_MAX && (usage & KU_DIGITAL_SIGNATURE)) ||
                        (extended != UINT32_MAX && (extended & XKU_CODE_SIGN));
  if (!can_sign) return bad(fmt::format("the signing certificate ({}) is not for signing (no digitalSignature or codeSigning)", SubjectOf(leaf.get())));
  EVP_PKEY* pub = X509_get0_pubkey(leaf.get());
  if (pub == nullptr) return bad("the signing certificate has no usable public key");
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pub, &der);
  if (len <= 0) return bad("the signing certificate's key cannot be encoded");
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  std::string b64 = Base64Encode(spki), pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  pem += "-----END PUBLIC KEY-----\n";
  return ParsePublicKey(pem, fmt::format("certificate {} (CA file {})", SubjectOf(leaf.get()), file_));
}

}  // namespace aegis::verifier
