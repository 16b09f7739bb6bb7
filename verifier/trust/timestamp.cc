#include "verifier/trust/timestamp.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <ctime>
#include <memory>

#include <fmt/format.h>

#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {

Error Failed(const std::string& what) { return Error{VerifyError::kSignature, {}, {}, "timestamp: " + what}; }

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

// One authority's verdict on the response at time `at`: "" when it signed it.
std::string VerifyWith(TS_RESP* resp, std::string_view signature, const CertificateAuthority& tsa, int64_t at) {
  Owned<TS_VERIFY_CTX, TS_VERIFY_CTX_free> ctx(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  BIO* data = BIO_new_mem_buf(signature.data(), static_cast<int>(signature.size()));
  if (!ctx || store == nullptr || untrusted == nullptr || data == nullptr) {
    X509_STORE_free(store);
    sk_X509_free(untrusted);
    BIO_free(data);
    return "out of memory";
  }
  // The context owns what it is given (OpenSSL 3.0: freed by TS_VERIFY_CTX_free).
  TS_VERIFY_CTX_set_store(ctx.get(), store);
  TS_VERIFY_CTX_set_certs(ctx.get(), untrusted);
  TS_VERIFY_CTX_set_data(ctx.get(), data);
  X509_STORE_add_cert(store, tsa.chain.back().get());
  for (size_t i = 0; i + 1 < tsa.chain.size(); ++i) {
    X509_up_ref(tsa.chain[i].get());
    sk_X509_push(untrusted, tsa.chain[i].get());
  }
  // The chain is judged at the attested time, as the Fulcio chain is at the signing time.
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), static_cast<time_t>(at));
  // Version, the TSA's signature (its certificate must be for time stamping only, as RFC 3161
  // 2.3 requires) and the imprint over the data.
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
  if (TS_RESP_verify_response(ctx.get(), resp) == 1) return {};
  unsigned long err = ERR_peek_last_error();
  ERR_clear_error();
  char buf[256];
  ERR_error_string_n(err, buf, sizeof buf);
  return err == 0 ? "does not verify" : buf;
}

}  // namespace

Expected<int64_t> VerifyRfc3161Timestamp(std::string_view der, std::string_view signature, const SigstoreRoot& root) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Owned<TS_RESP, TS_RESP_free> resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size())));
  if (!resp || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    ERR_clear_error();
    return Failed("a signed timestamp is not a DER TimeStampResp (RFC 3161 2.4.2)");
  }
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  if (info == nullptr) return Failed("a timestamp response was not granted (it carries no token)");
  struct tm tm {};
  if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(info), &tm) != 1) return Failed("the token's genTime is not a time");
  const int64_t at = timegm(&tm);
  if (root.tsas.empty()) return Failed(fmt::format("{} lists no timestamp authority", root.file));
  std::string why = "no timestamp authority of the trusted root was valid then";
  for (const CertificateAuthority& tsa : root.tsas) {
    if (!tsa.valid.Contains(at) || tsa.chain.empty()) continue;
    std::string verdict = VerifyWith(resp.get(), signature, tsa, at);
    if (verdict.empty()) return at;
    why = verdict;
  }
  return Failed(fmt::format("the timestamp of {} is not by a timestamp authority of {} over this signature ({})", FormatUtc(at),
                            root.file, why));
}

}  // namespace aegis::verifier
