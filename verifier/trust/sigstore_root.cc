#include "verifier/trust/sigstore_root.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctime>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/base64.h"
#include "util/file_io.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;

std::string Str(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// A key's or authority's validity (protobuf-specs TimeRange: `start` required, `end` optional).
// A root without `start` is malformed, not "valid since forever": refused naming the field.
Expected<ValidFor> WindowOf(const json& j, const std::string& what) {
  ValidFor v;
  std::string s = Str(j, "start");
  if (s.empty()) {
    return Error{VerifyError::kTrust, {}, {}, fmt::format("{}.validFor.start is missing (the trusted root is malformed)", what)};
  }
  auto start = ParseRfc3339(s);
  if (!start) return Error{VerifyError::kTrust, {}, {}, fmt::format("{}.validFor.start {:?} is not a time", what, s)};
  v.start = *start;
  if (std::string e = Str(j, "end"); !e.empty()) {
    auto t = ParseRfc3339(e);
    if (!t) return Error{VerifyError::kTrust, {}, {}, fmt::format("{}.validFor.end {:?} is not a time", what, e)};
    v.end = *t;
  }
  return v;
}

Expected<std::vector<LogKey>> Logs(const json& list, const std::string& what) {
  std::vector<LogKey> out;
  if (!list.is_array()) return out;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& l = list[i];
    std::string name = fmt::format("{}[{}]", what, i);
    auto der = Base64Decode(l.is_object() && l.contains("publicKey") ? Str(l["publicKey"], "rawBytes") : "");
    auto id = Base64Decode(l.is_object() && l.contains("logId") ? Str(l["logId"], "keyId") : "");
    if (!der || der->empty() || !id || id->empty()) {
      return Error{VerifyError::kTrust, {}, {}, name + ": publicKey.rawBytes or logId.keyId missing or not base64"};
    }
    const auto* p = reinterpret_cast<const unsigned char*>(der->data());
    // PKIX keys are SubjectPublicKeyInfo; PKCS1_RSA_* ones (an old staging CT log) RSAPublicKey.
    EVP_PKEY* key = Str(l["publicKey"], "keyDetails").starts_with("PKCS1_RSA")
                        ? d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der->size()))
                        : d2i_PUBKEY(nullptr, &p, static_cast<long>(der->size()));
    if (key == nullptr) return Error{VerifyError::kTrust, {}, {}, name + ": publicKey.rawBytes is not a DER public key"};
    auto valid = WindowOf(l["publicKey"].contains("validFor") ? l["publicKey"]["validFor"] : json(), name + ".publicKey");
    if (!valid) {
      EVP_PKEY_free(key);
      return valid.error();
    }
    out.push_back({*id, Str(l, "baseUrl"), std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free), *valid});
  }
  return out;
}

Expected<std::vector<CertificateAuthority>> Authorities(const json& list, const std::string& what) {
  std::vector<CertificateAuthority> out;
  if (!list.is_array()) return out;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& ca = list[i];
    std::string name = fmt::format("{}[{}]", what, i);
    CertificateAuthority a;
    a.uri = Str(ca, "uri");
    const json* certs = ca.is_object() && ca.contains("certChain") && ca["certChain"].is_object() &&
                                ca["certChain"].contains("certificates")
                            ? &ca["certChain"]["certificates"]
                            : nullptr;
    if (certs == nullptr || !certs->is_array() || certs->empty()) {
      return Error{VerifyError::kTrust, {}, {}, name + ": certChain.certificates is empty"};
    }
    for (const json& c : *certs) {
      auto der = Base64Decode(Str(c, "rawBytes"));
      const auto* p = der ? reinterpret_cast<const unsigned char*>(der->data()) : nullptr;
      X509* x = der ? d2i_X509(nullptr, &p, static_cast<long>(der->size())) : nullptr;
      if (x == nullptr) return Error{VerifyError::kTrust, {}, {}, name + ": a certificate is not base64 DER X.509"};
      a.chain.emplace_back(x, X509_free);
    }
    auto valid = WindowOf(ca.is_object() && ca.contains("validFor") ? ca["validFor"] : json(), name);
    if (!valid) return valid.error();
    a.valid = *valid;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::optional<int64_t> ParseRfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  auto num = [&](size_t at, size_t n) -> std::optional<int> {
    if (at + n > s.size()) return std::nullopt;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto year = num(0, 4), mon = num(5, 2), day = num(8, 2), hour = num(11, 2), min = num(14, 2), sec = num(17, 2);
  if (!year || !mon || !day || !hour || !min || !sec || s.size() < 20 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' || *mon < 1 || *mon > 12 || *day < 1 || *day > 31 ||
      *hour > 23 || *min > 59 || *sec > 60) {
    return std::nullopt;
  }
  size_t at = 19;
  if (s[at] == '.') {
    ++at;
    size_t digits = 0;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at, ++digits;
    if (digits == 0) return std::nullopt;
  }
  int64_t offset = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z') && at + 1 == s.size()) {
    offset = 0;
  } else if (at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':') {
    auto oh = num(at + 1, 2), om = num(at + 4, 2);
    if (!oh || !om) return std::nullopt;
    offset = (s[at] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
  } else {
    return std::nullopt;
  }
  struct tm tm {};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *mon - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *min;
  tm.tm_sec = *sec;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

std::string FormatUtc(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Expected<SigstoreRoot> SigstoreRoot::Load(const std::string& path) {
  auto text = ReadInput(path, 16 << 20);
  if (!text) return Error{VerifyError::kTrust, path, {}, "cannot read the trusted root: " + text.error().message};
  return Parse(*text, path);
}

Expected<SigstoreRoot> SigstoreRoot::Parse(std::string_view json_text, const std::string& source) {
  auto fail = [&](const std::string& what) { return Error{VerifyError::kTrust, source, {}, "trusted root: " + what}; };
  json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("not JSON");
  if (!Str(j, "mediaType").starts_with("application/vnd.dev.sigstore.trustedroot")) {
    return fail("mediaType is not application/vnd.dev.sigstore.trustedroot+json");
  }
  SigstoreRoot root;
  root.file = source;
  auto cas = Authorities(j.contains("certificateAuthorities") ? j["certificateAuthorities"] : json(), "certificateAuthorities");
  if (!cas) return fail(cas.error().message);
  auto tsas = Authorities(j.contains("timestampAuthorities") ? j["timestampAuthorities"] : json(), "timestampAuthorities");
  if (!tsas) return fail(tsas.error().message);
  root.cas = std::move(*cas);
  root.tsas = std::move(*tsas);
  auto tlogs = Logs(j.contains("tlogs") ? j["tlogs"] : json(), "tlogs");
  if (!tlogs) return fail(tlogs.error().message);
  auto ctlogs = Logs(j.contains("ctlogs") ? j["ctlogs"] : json(), "ctlogs");
  if (!ctlogs) return fail(ctlogs.error().message);
  root.tlogs = std::move(*tlogs);
  root.ctlogs = std::move(*ctlogs);
  // No Fulcio CA is a root for key-signed bundles' log entries (--key with --trusted-root); a
  // keyless bundle then fails at cert-chain.
  if (root.tlogs.empty()) return fail("no tlogs (Rekor)");
  return root;
}

const LogKey* SigstoreRoot::Tlog(std::string_view id) const {
  for (const LogKey& l : tlogs) {
    if (l.log_id == id) return &l;
  }
  return nullptr;
}

const LogKey* SigstoreRoot::Ctlog(std::string_view id) const {
  for (const LogKey& l : ctlogs) {
    if (l.log_id == id) return &l;
  }
  return nullptr;
}

}  // namespace aegis::verifier
