#include "verifier/trust/keyless.h"

#include <ctime>

#include <openssl/ct.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include <re2/re2.h>

#include <fmt/format.h>

#include "verifier/common/crypto.h"
#include "verifier/common/verify_error.h"
#include "verifier/trust/timestamp.h"

namespace aegis::verifier {
namespace {

using X509Ptr = std::shared_ptr<X509>;

Error Failed(std::string_view check, const std::string& what) {
  return Error{VerifyError::kSignature, {}, {}, fmt::format("{}: {}", check, what)};
}

X509Ptr FromDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  return x ? X509Ptr(x, X509_free) : nullptr;
}

std::string Der(X509_PUBKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(key, &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

// The leaf chains to a Fulcio CA of the root that was valid at `at`; its issuer when it does.
Expected<X509Ptr> VerifyChain(X509* leaf, const std::vector<std::string>& bundle_chain, const SigstoreRoot& root, int64_t at) {
  std::string last = "no certificate authority in the trusted root was valid then";
  for (const CertificateAuthority& ca : root.cas) {
    if (!ca.valid.Contains(at) || ca.chain.empty()) continue;
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    X509_STORE_add_cert(store.get(), ca.chain.back().get());
    std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
        sk_X509_new_null(), [](STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); });
    for (size_t i = 0; i + 1 < ca.chain.size(); ++i) {
      X509_up_ref(ca.chain[i].get());
      sk_X509_push(untrusted.get(), ca.chain[i].get());
    }
    for (size_t i = 1; i < bundle_chain.size(); ++i) {  // intermediates the bundle carries (v0.1/v0.2)
      if (X509Ptr c = FromDer(bundle_chain[i])) {
        X509_up_ref(c.get());
        sk_X509_push(untrusted.get(), c.get());
      }
    }
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
    if (!X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get())) continue;
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), static_cast<time_t>(at));
    if (X509_verify_cert(ctx.get()) == 1) {
      STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
      if (sk_X509_num(chain) < 2) continue;
      X509* issuer = sk_X509_value(chain, 1);
      X509_up_ref(issuer);
      return X509Ptr(issuer, X509_free);
    }
    last = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  }
  return Failed("cert-chain", fmt::format("the signing certificate does not chain to a Fulcio CA of {} at {} ({})",
                                          root.file, FormatUtc(at), last));
}

// RFC 6962 3.2: an embedded SCT signs the precertificate (the leaf without its SCT list)
// and the issuer's key hash; one by a CT log of the root, in its window, must verify.
Status VerifySct(X509* leaf, X509* issuer, const SigstoreRoot& root) {
  std::unique_ptr<STACK_OF(SCT), decltype(&SCT_LIST_free)> scts(
      static_cast<STACK_OF(SCT)*>(X509_get_ext_d2i(leaf, NID_ct_precert_scts, nullptr, nullptr)), SCT_LIST_free);
  if (!scts || sk_SCT_num(scts.get()) == 0) return Failed("sct", "the certificate has no embedded SCT");
  std::unique_ptr<X509, decltype(&X509_free)> pre(X509_dup(leaf), X509_free);
  int at = X509_get_ext_by_NID(pre.get(), NID_ct_precert_scts, -1);
  if (!pre || at < 0) return Failed("sct", "cannot rebuild the precertificate");
  X509_EXTENSION_free(X509_delete_ext(pre.get(), at));
  unsigned char* tbs = nullptr;
  int tbs_len = i2d_re_X509_tbs(pre.get(), &tbs);
  if (tbs_len <= 0) return Failed("sct", "cannot encode the precertificate");
  std::string tbs_der(reinterpret_cast<char*>(tbs), static_cast<size_t>(tbs_len));
  OPENSSL_free(tbs);
  std::string issuer_key_hash = Sha256(Der(X509_get_X509_PUBKEY(issuer)));
  bool known = false;
  for (int i = 0; i < sk_SCT_num(scts.get()); ++i) {
    SCT* sct = sk_SCT_value(scts.get(), i);
    if (SCT_get_version(sct) != SCT_VERSION_V1) continue;
    unsigned char* id = nullptr;
    size_t id_len = SCT_get0_log_id(sct, &id);
    const LogKey* log = root.Ctlog(std::string_view(reinterpret_cast<char*>(id), id_len));
    if (log == nullptr) continue;
    known = true;
    uint64_t ts = SCT_get_timestamp(sct);
    if (!log->valid.Contains(static_cast<int64_t>(ts / 1000))) continue;
    unsigned char* ext = nullptr;
    size_t ext_len = SCT_get0_extensions(sct, &ext);
    unsigned char* sig = nullptr;
    size_t sig_len = SCT_get0_signature(sct, &sig);
    std::string data;
    data += '\0';  // v1
    data += '\0';  // certificate_timestamp
    for (int b = 7; b >= 0; --b) data += static_cast<char>((ts >> (8 * b)) & 0xff);
    data += std::string("\x00\x01", 2);  // precert_entry
    data += issuer_key_hash;
    data += static_cast<char>((tbs_der.size() >> 16) & 0xff);
    data += static_cast<char>((tbs_der.size() >> 8) & 0xff);
    data += static_cast<char>(tbs_der.size() & 0xff);
    data += tbs_der;
    data += static_cast<char>((ext_len >> 8) & 0xff);
    data += static_cast<char>(ext_len & 0xff);
    data += std::string(reinterpret_cast<char*>(ext), ext_len);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, log->key.get()) == 1 &&
        EVP_DigestVerify(ctx.get(), sig, sig_len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1) {
      return Ok{};
    }
  }
  return Failed("sct", known ? "no embedded SCT by a CT log of the trusted root verifies"
                             : "no embedded SCT is by a CT log of the trusted root");
}

std::vector<std::string> SubjectAlternativeNames(X509* leaf) {
  std::vector<std::string> out;
  std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)), GENERAL_NAMES_free);
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names.get(), i);
    const ASN1_STRING* s = n->type == GEN_URI ? n->d.uniformResourceIdentifier : n->type == GEN_EMAIL ? n->d.rfc822Name : nullptr;
    if (s != nullptr) out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
  }
  return out;
}

// Fulcio's OIDC issuer: 1.3.6.1.4.1.57264.1.8 (a DER UTF8String), else the deprecated .1.1
// (the raw string).
std::string OidcIssuer(X509* leaf) {
  for (const char* oid : {"1.3.6.1.4.1.57264.1.8", "1.3.6.1.4.1.57264.1.1"}) {
    std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> obj(OBJ_txt2obj(oid, 1), ASN1_OBJECT_free);
    int at = X509_get_ext_by_OBJ(leaf, obj.get(), -1);
    if (at < 0) continue;
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(leaf, at));
    const unsigned char* p = ASN1_STRING_get0_data(data);
    auto len = static_cast<long>(ASN1_STRING_length(data));
    if (std::string_view(oid).ends_with(".8")) {
      std::unique_ptr<ASN1_UTF8STRING, decltype(&ASN1_UTF8STRING_free)> u(d2i_ASN1_UTF8STRING(nullptr, &p, len),
                                                                          ASN1_UTF8STRING_free);
      if (u) return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(u.get())), static_cast<size_t>(ASN1_STRING_length(u.get())));
      continue;
    }
    return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(len));
  }
  return {};
}

Expected<bool> Matches(const std::string& value, const std::string& exact, const std::string& pattern, const char* flag) {
  if (!exact.empty() && value == exact) return true;
  if (!pattern.empty()) {
    RE2 re(pattern, RE2::Quiet);
    if (!re.ok()) return Error{ErrorKind::kUsage, {}, {}, fmt::format("{} {:?}: {}", flag, pattern, re.error())};
    if (RE2::PartialMatch(value, re)) return true;
  }
  return false;
}

std::string LeafPem(X509* leaf) {
  std::string b64 = Base64Encode(Der(X509_get_X509_PUBKEY(leaf)));
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END PUBLIC KEY-----\n";
}

}  // namespace

std::optional<std::string> InvalidPattern(const IdentityPolicy& policy) {
  for (const auto& [flag, pattern] : {std::pair<const char*, const std::string*>{"--certificate-identity-regexp", &policy.identity_regexp},
                                      {"--certificate-oidc-issuer-regexp", &policy.issuer_regexp}}) {
    if (pattern->empty()) continue;
    RE2 re(*pattern, RE2::Quiet);
    if (!re.ok()) return fmt::format("{} {:?}: {}", flag, *pattern, re.error());
  }
  return std::nullopt;
}

LoggedMaterial LoggedMaterialOf(const SignatureFile& sig, const std::string& logged_digest) {
  LoggedMaterial m;
  bool dsse = sig.format == SignatureFile::Format::kModelSigning && !sig.dsse_signatures.empty();
  m.signature = dsse ? sig.dsse_signatures[0] : sig.signature;
  m.digest_sha256 = logged_digest;
  if (dsse) m.pae_sha256 = Sha256(Pae(sig.payload_type, sig.payload));
  return m;
}

Expected<KeylessSigner> VerifyKeyless(const SignatureFile& sig, const SigstoreRoot& root, const IdentityPolicy& policy,
                                      const std::string& logged_digest) {
  if (!policy.complete()) {
    // A missing flag is a usage error (exit 2), not missing trust material.
    return Error{ErrorKind::kUsage, {}, {}, "keyless verification needs an identity and an issuer "
                                            "(--certificate-identity[-regexp], --certificate-oidc-issuer[-regexp])"};
  }
  if (sig.certificates.empty()) return Failed("keyless", "the bundle has no signing certificate");
  if (sig.tlog_entries.empty()) return Failed("tlog-missing", "the bundle has no transparency-log entry");
  X509Ptr leaf = FromDer(sig.certificates[0]);
  if (!leaf) return Failed("keyless", "the signing certificate is not DER X.509");
  LoggedMaterial logged = LoggedMaterialOf(sig, logged_digest);
  logged.certificate_der = sig.certificates[0];
  // The signing times: what timestamp authorities attest (every timestamp must verify) and
  // each entry's integrated time. The certificate must have been valid at all of them.
  std::vector<int64_t> attested;
  for (const std::string& ts : sig.rfc3161_timestamps) {
    auto t = VerifyRfc3161Timestamp(ts, logged.signature, root);
    if (!t) return t.error();
    attested.push_back(*t);
  }
  // An entry dates the signature only through its signed entry timestamp: an inclusion proof
  // does not cover integratedTime, which whoever holds an expired Fulcio key could set inside
  // the certificate's window.
  auto dated = [](const TlogEntry& e) { return e.integrated_time > 0 && !e.signed_entry_timestamp.empty(); };
  std::vector<int64_t> times = attested;
  for (const TlogEntry& e : sig.tlog_entries) {
    if (!dated(e) && attested.empty()) {
      return Failed("tlog", e.integrated_time > 0
                                ? "the entry's integratedTime is not signed (no signed entry timestamp) and the bundle "
                                  "has no RFC 3161 timestamp to date the signature"
                                : "the entry has no integrated time (Rekor v2) and the bundle no RFC 3161 timestamp to date it");
    }
    int64_t at = dated(e) ? e.integrated_time : attested.front();
    if (auto st = VerifyTlogEntry(e, root, logged, at); !st) return st.error();
    if (dated(e)) times.push_back(e.integrated_time);
  }
  X509Ptr issuer_cert;
  for (int64_t at : times) {
    auto issuer = VerifyChain(leaf.get(), sig.certificates, root, at);
    if (!issuer) return issuer.error();
    issuer_cert = *issuer;
  }
  const uint32_t eku = X509_get_extended_key_usage(leaf.get());
  if (eku == UINT32_MAX || (eku & XKU_CODE_SIGN) == 0) return Failed("cert-chain", "the certificate is not for code signing");
  if (auto st = VerifySct(leaf.get(), issuer_cert.get(), root); !st) return st.error();

  KeylessSigner out;
  out.issuer = OidcIssuer(leaf.get());
  std::vector<std::string> sans = SubjectAlternativeNames(leaf.get());
  bool identity_ok = false;
  for (const std::string& san : sans) {
    auto m = Matches(san, policy.identity, policy.identity_regexp, "--certificate-identity-regexp");
    if (!m) return m.error();
    if (*m) {
      identity_ok = true;
      out.identity = san;
      break;
    }
  }
  if (!identity_ok) {
    return Failed("identity", fmt::format("the certificate's identity {} is not {}", sans.empty() ? "(none)" : sans.front(),
                                          policy.identity.empty() ? "/" + policy.identity_regexp + "/" : policy.identity));
  }
  auto issuer_ok = Matches(out.issuer, policy.issuer, policy.issuer_regexp, "--certificate-oidc-issuer-regexp");
  if (!issuer_ok) return issuer_ok.error();
  if (!*issuer_ok) {
    return Failed("issuer", fmt::format("the certificate's OIDC issuer {} is not {}", out.issuer.empty() ? "(none)" : out.issuer,
                                        policy.issuer.empty() ? "/" + policy.issuer_regexp + "/" : policy.issuer));
  }
  auto key = ParsePublicKey(LeafPem(leaf.get()), fmt::format("Fulcio certificate for {}", out.identity));
  if (!key) return Failed("keyless", "the certificate's key is not usable: " + key.error().message);
  out.key = std::move(*key);
  const TlogEntry& entry = sig.tlog_entries.front();
  out.log_index = entry.log_index;
  out.signing_time = dated(entry) ? entry.integrated_time : attested.front();
  return out;
}

Status VerifyKeyLogEntries(const SignatureFile& sig, const SigstoreRoot& root, const std::vector<TrustedKey>& keys,
                           const std::string& logged_digest) {
  if (sig.tlog_entries.empty()) return Failed("tlog-missing", "the bundle has no transparency-log entry, and a trusted root was given");
  LoggedMaterial logged = LoggedMaterialOf(sig, logged_digest);
  for (const TrustedKey& k : keys) logged.key_fingerprints.push_back(k.fingerprint);
  std::vector<int64_t> attested;
  for (const std::string& ts : sig.rfc3161_timestamps) {
    auto t = VerifyRfc3161Timestamp(ts, logged.signature, root);
    if (!t) return t.error();
    attested.push_back(*t);
  }
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  for (const TlogEntry& e : sig.tlog_entries) {
    int64_t at = e.integrated_time > 0 && !e.signed_entry_timestamp.empty() ? e.integrated_time : attested.empty() ? now : attested.front();
    if (auto st = VerifyTlogEntry(e, root, logged, at); !st) return st.error();
  }
  return Ok{};
}

}  // namespace aegis::verifier
