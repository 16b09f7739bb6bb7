// A Sigstore trusted root (trusted_root.json, media type
// application/vnd.dev.sigstore.trustedroot+json;version=0.1): the Fulcio certificate
// authorities, the Rekor transparency logs, the certificate-transparency logs and the RFC 3161
// timestamp authorities, each with its validity window. Read from a file the operator mounts; nothing is fetched.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;

namespace aegis::verifier {

struct ValidFor {
  int64_t start = 0;               // seconds since the epoch
  std::optional<int64_t> end;      // absent: still valid
  bool Contains(int64_t t) const { return t >= start && (!end || t <= *end); }
};

struct LogKey {  // a Rekor or CT log
  std::string log_id;  // raw: SHA-256 of the key's DER SubjectPublicKeyInfo
  std::string base_url;
  std::shared_ptr<EVP_PKEY> key;
  ValidFor valid;
};

struct CertificateAuthority {  // a Fulcio CA, or a timestamp authority
  std::vector<std::shared_ptr<X509>> chain;  // as listed: the leaf or intermediates first, the root last
  std::string uri;
  ValidFor valid;
};

struct SigstoreRoot {
  std::string file;
  std::vector<CertificateAuthority> cas;
  std::vector<CertificateAuthority> tsas;  // may be empty
  std::vector<LogKey> tlogs;
  std::vector<LogKey> ctlogs;

  // kTrust naming the file and what is wrong when it is not a usable trusted root.
  static Expected<SigstoreRoot> Load(const std::string& path);
  static Expected<SigstoreRoot> Parse(std::string_view json_text, const std::string& source);
  const LogKey* Tlog(std::string_view log_id) const;
  const LogKey* Ctlog(std::string_view log_id) const;
};

// RFC 3339 ("2021-03-07T03:20:29Z", fractions and offsets allowed) to epoch seconds.
std::optional<int64_t> ParseRfc3339(std::string_view text);
// Epoch seconds as "2024-03-19T17:26:26Z".
std::string FormatUtc(int64_t seconds);

}  // namespace aegis::verifier
