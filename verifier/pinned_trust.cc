#include "verifier/pinned_trust.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/base64.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "verifier/common/crypto.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {

Error NotPinned(std::string message) { return Error{VerifyError::kTrust, {}, {}, std::move(message)}; }

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

IdentityPolicy PolicyOf(const KeylessIdentity& id) {
  return IdentityPolicy{id.subject, id.subject_regexp, id.issuer, id.issuer_regexp};
}

bool SamePolicy(const IdentityPolicy& a, const IdentityPolicy& b) {
  return a.identity == b.identity && a.identity_regexp == b.identity_regexp && a.issuer == b.issuer &&
         a.issuer_regexp == b.issuer_regexp;
}

bool Declared(const IdentityPolicy& p) {
  return !p.identity.empty() || !p.identity_regexp.empty() || !p.issuer.empty() || !p.issuer_regexp.empty();
}

Status CheckTransport(const Options& o) {
  if (o.allow_insecure_http) return NotPinned("the trust policy is pinned: --allow-insecure-http is refused");
  if (o.insecure_skip_tls_verify) return NotPinned("the trust policy is pinned: --insecure-skip-tls-verify is refused");
  return Ok{};
}

Status CheckArtifact(const TrustPins& pins, const Options& o) {
  if (pins.artifact_prefixes.empty()) return Ok{};
  for (const std::string& prefix : pins.artifact_prefixes) {
    if (o.artifact.rfind(prefix, 0) == 0) return Ok{};
  }
  return NotPinned(fmt::format("the artifact {} is not under a pinned prefix ({})", RedactUri(o.artifact),
                               fmt::join(pins.artifact_prefixes, ", ")));
}

Status CheckVault(const TrustPins& pins, const Options& o) {
  if (!o.vault.configured()) return Ok{};
  for (const VaultPin& v : pins.vault) {
    if (v.address == o.vault.addr && v.key == o.vault.key) return Ok{};
  }
  return NotPinned(fmt::format("Vault transit key {} at {} is not pinned by the trust policy", o.vault.key,
                               RedactUri(o.vault.addr)));
}

Status CheckFilePinned(const std::string& file, const std::vector<std::string>& pinned, std::string_view what) {
  auto fp = FileFingerprint(file);
  if (!fp) return fp.error();
  if (Contains(pinned, *fp)) return Ok{};
  return Error{VerifyError::kTrust, file, {},
               fmt::format("this {} ({}) is not pinned by the trust policy", what, *fp)};
}

// The roots the image ships, by content (built in: verifier/CMakeLists.txt).
std::vector<std::string> ImageRoots() {
  std::vector<std::string> out;
  std::string_view all = AEGIS_IMAGE_ROOTS;
  for (size_t start = 0; start < all.size();) {
    size_t comma = all.find(',', start);
    if (comma == std::string_view::npos) comma = all.size();
    out.emplace_back(all.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

Expected<TrustPins> ReadTrustPolicy(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error{ErrorKind::kUsage, {}, {}, "AEGIS_TRUST_POLICY is not JSON"};
  auto pins = ParseTrustPins(j);
  if (!pins) return Error{ErrorKind::kUsage, {}, {}, "AEGIS_TRUST_POLICY: " + pins.error().message};
  return pins;
}

Expected<std::string> FileFingerprint(const std::string& path) {
  auto text = ReadInput(path);
  if (!text) return Error{VerifyError::kTrust, path, {}, "cannot read it: " + text.error().message};
  return "sha256:" + Hex(Sha256(*text));
}

Expected<KeylessOptions> ApplyPins(const TrustPins& pins, const Options& o) {
  if (auto st = CheckTransport(o); !st) return st.error();
  if (auto st = CheckArtifact(pins, o); !st) return st.error();
  if (auto st = CheckVault(pins, o); !st) return st.error();
  if (!o.certificate_chain.empty()) {
    if (pins.certificate_authorities.empty()) {
      return NotPinned("the trust policy pins no CA certificate: --certificate-chain is not trusted");
    }
  }
  if (!o.predicate_types.empty()) {
    return NotPinned("the trust policy pins no predicate type: --predicate-type (AEGIS_PREDICATE_TYPES) is not trusted");
  }
  KeylessOptions keyless{o.trusted_root, {}, {}, pins.allow_any_identity, {}};
  if (o.trusted_root.empty()) {
    if (Declared(o.identity)) {
      return Error{ErrorKind::kUsage, {}, {}, "an identity policy needs the Sigstore trusted root it is checked against (--trusted-root)"};
    }
    return keyless;
  }
  if (pins.keyless.empty()) return NotPinned("the trust policy pins no keyless identity: --trusted-root is not trusted");
  if (auto st = CheckFilePinned(o.trusted_root, pins.trusted_roots.empty() ? ImageRoots() : pins.trusted_roots,
                                pins.trusted_roots.empty() ? "Sigstore trusted root (none pinned: the image's own roots are trusted)"
                                                           : "Sigstore trusted root");
      !st) {
    return st.error();
  }
  for (const KeylessIdentity& id : pins.keyless) keyless.pinned.push_back(PolicyOf(id));
  if (Declared(o.identity)) {
    // The pod may name one of the pinned identities (and is then held to it), nothing else.
    auto same = std::find_if(keyless.pinned.begin(), keyless.pinned.end(),
                             [&](const IdentityPolicy& p) { return SamePolicy(p, o.identity); });
    if (same == keyless.pinned.end()) {
      return NotPinned(fmt::format("the keyless identity given ({} from {}) is not pinned by the trust policy",
                                   o.identity.identity.empty() ? o.identity.identity_regexp : o.identity.identity,
                                   o.identity.issuer.empty() ? o.identity.issuer_regexp : o.identity.issuer));
    }
    keyless.pinned = {*same};
  }
  return keyless;
}

}  // namespace aegis::verifier
