#include "verifier/trust/trust.h"
#include "util/strings.h"
#include "verifier/common/verify_error.h"

#include <algorithm>
#include <filesystem>

#include <re2/re2.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace aegis::verifier {
namespace {

Error Bad(std::string msg) { return Error{VerifyError::kSignature, {}, {}, std::move(msg)}; }

std::string VaultName(const Vault& v, int version) {
  return fmt::format("vault transit key {} v{} at {}", v.config().key, version, RedactUri(v.config().addr));
}

// Vault's transit public keys as trusted keys (newest first).
Expected<std::vector<TrustedKey>> VaultKeys(const Vault& vault) {
  auto info = vault.ReadKey();
  if (!info) return info.error();
  std::vector<TrustedKey> keys;
  for (auto it = info->public_keys.rbegin(); it != info->public_keys.rend(); ++it) {
    auto k = ParsePublicKey(it->second, VaultName(vault, it->first));
    if (k) keys.push_back(*k);
  }
  if (keys.empty()) return Error{VerifyError::kTrust, RedactUri(vault.config().addr), {}, "the Vault transit key has no usable public key"};
  return keys;
}

// Strings no organisation's policy should admit: a pattern matching the empty string, or both
// an unrelated workflow and an unrelated e-mail, admits everyone.
bool MatchesAnyone(const std::string& pattern, std::initializer_list<std::string_view> strangers) {
  RE2 re(pattern);
  if (!re.ok()) return false;
  if (RE2::PartialMatch("", re)) return true;
  return std::all_of(strangers.begin(), strangers.end(), [&](std::string_view s) { return RE2::PartialMatch(s, re); });
}

// The keys whose fingerprint the trust policy pins; kTrust naming what was found when none is.
Expected<std::vector<TrustedKey>> KeepPinned(std::vector<TrustedKey> keys, const TrustPins& pins, const std::string& where,
                                             std::vector<std::string>& unpinned) {
  std::vector<TrustedKey> kept;
  for (TrustedKey& k : keys) {
    if (std::find(pins.keys.begin(), pins.keys.end(), k.fingerprint) != pins.keys.end()) {
      kept.push_back(std::move(k));
    } else {
      unpinned.push_back(fmt::format("{} ({})", k.source, k.fingerprint));
    }
  }
  if (!kept.empty()) return kept;
  return Error{VerifyError::kTrust, where, {},
               fmt::format("no key here is pinned by the trust policy: found {}; pinned: {}", fmt::join(unpinned, ", "),
                           pins.keys.empty() ? std::string("none") : fmt::format("{}", fmt::join(pins.keys, ", ")))};
}

}  // namespace

Status CheckIdentityPolicy(const IdentityPolicy& policy, bool allow_any) {
  if (!policy.complete()) {
    return Error{ErrorKind::kUsage, {}, {},  // a missing flag: exit 2
                 "keyless verification needs who may have signed: an identity (--certificate-identity or "
                 "--certificate-identity-regexp) and an issuer (--certificate-oidc-issuer or "
                 "--certificate-oidc-issuer-regexp)"};
  }
  if (auto bad = InvalidPattern(policy)) return Error{ErrorKind::kUsage, {}, {}, *bad};
  // Both forms would admit a signer that matches either: one of each is the policy.
  if (!policy.identity.empty() && !policy.identity_regexp.empty()) {
    return Error{ErrorKind::kUsage, {}, {}, "give --certificate-identity or --certificate-identity-regexp, not both"};
  }
  if (!policy.issuer.empty() && !policy.issuer_regexp.empty()) {
    return Error{ErrorKind::kUsage, {}, {}, "give --certificate-oidc-issuer or --certificate-oidc-issuer-regexp, not both"};
  }
  if (allow_any) return Ok{};
  if (!policy.identity_regexp.empty() &&
      MatchesAnyone(policy.identity_regexp, {"https://github.com/someone-else/unrelated/.github/workflows/x.yml@refs/heads/main",
                                             "someone-else@unrelated.invalid"})) {
    return Error{VerifyError::kTrust, {}, {},
                 fmt::format("the identity pattern {:?} matches every signer: anyone with a Sigstore identity could sign "
                             "the model (--allow-any-identity if that is really meant)",
                             policy.identity_regexp)};
  }
  if (!policy.issuer_regexp.empty() &&
      MatchesAnyone(policy.issuer_regexp, {"https://issuer.unrelated.invalid", "https://accounts.unrelated.invalid/x"})) {
    return Error{VerifyError::kTrust, {}, {},
                 fmt::format("the issuer pattern {:?} matches every OIDC issuer: anyone's issuer could vouch for the "
                             "identity (--allow-any-identity if that is really meant)",
                             policy.issuer_regexp)};
  }
  return Ok{};
}

std::string Trust::Describe() const {
  if (vault) return fmt::format("vault transit key {} at {}", vault->config().key, RedactUri(vault->config().addr));
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k.source;
  if (roots) out += (out.empty() ? "" : ", ") + fmt::format("CA certificates in {}", roots->file());
  if (keyless) out += (out.empty() ? "" : ", ") + fmt::format("Sigstore trusted root {}", keyless->root.file);
  return out;
}

Expected<Trust> ResolveTrust(const std::string& key_path, const VaultConfig& vault, const std::string& certificate_chain,
                             const KeylessOptions& keyless, const TrustPins* pins) {
  Trust trust;
  trust.predicate_types = keyless.predicate_types;
  if (!certificate_chain.empty()) {
    auto roots = CertificateRoots::Load(certificate_chain, pins != nullptr ? &pins->certificate_authorities : nullptr);
    if (!roots) return roots.error();
    trust.roots = std::move(*roots);
  }
  const IdentityPolicy& asked = keyless.policy;
  bool no_identity = asked.identity.empty() && asked.identity_regexp.empty() && asked.issuer.empty() && asked.issuer_regexp.empty();
  // A root with usable keys and no identity: the keys' log entries are checked against it. With
  // no usable key (the default directory empty) a missing identity stays a usage error.
  if (!keyless.trusted_root.empty() && no_identity && keyless.pinned.empty() && !key_path.empty() && LoadTrustedKeys(key_path)) {
    auto root = SigstoreRoot::Load(keyless.trusted_root);
    if (!root) return root.error();
    trust.transparency = std::move(*root);
  } else if (!keyless.trusted_root.empty()) {
    std::vector<IdentityPolicy> policies = keyless.pinned.empty() ? std::vector<IdentityPolicy>{keyless.policy} : keyless.pinned;
    for (const IdentityPolicy& policy : policies) {
      if (auto st = CheckIdentityPolicy(policy, keyless.allow_any_identity); !st) return st.error();
    }
    auto root = SigstoreRoot::Load(keyless.trusted_root);
    if (!root) return root.error();
    trust.keyless = Keyless{std::move(*root), std::move(policies), keyless.predicate_types};
  } else if (keyless.policy.complete() || !keyless.policy.identity.empty() || !keyless.policy.identity_regexp.empty()) {
    return Error{ErrorKind::kUsage, {}, {}, "an identity policy needs the Sigstore trusted root it is checked against (--trusted-root)"};
  }
  if (key_path.empty() && !vault.configured() && !trust.roots && !trust.keyless) {
    return Error{VerifyError::kTrust, {}, {},
                 "no trust material: give a public key, CA certificates (--certificate-chain), a Sigstore trusted root "
                 "(--trusted-root), or Vault (address and transit key)"};
  }
  if (!key_path.empty()) {
    auto keys = LoadTrustedKeys(key_path);
    if (keys && pins != nullptr) keys = KeepPinned(std::move(*keys), *pins, key_path, trust.unpinned);
    if (keys) {
      trust.keys = std::move(*keys);
      return trust;
    }
    if (!vault.configured() && !trust.roots && !trust.keyless) return keys.error();
  }
  if (vault.configured()) {
    auto v = Vault::Connect(vault);
    if (!v) return v.error();
    trust.vault = std::move(*v);
  }
  return trust;
}

DigestSet NeededDigests(const Trust& trust) {
  return trust.vault ? DigestSet{false, false} : NeededDigests(trust.keys);
}

namespace {

// The first policy a keyless signer satisfies; the first policy's error when none does.
Expected<KeylessSigner> VerifyKeylessAny(const SignatureFile& sig, const Keyless& keyless, const std::string& digest) {
  std::optional<Error> first;
  for (const IdentityPolicy& policy : keyless.policies) {
    auto signer = VerifyKeyless(sig, keyless.root, policy, digest);
    if (signer) return signer;
    if (!first) first = signer.error();
  }
  return first ? *first : Error{VerifyError::kTrust, {}, {}, "no keyless identity is trusted"};
}

// Keyless: the material first (log, certificate, identity), then the signature with the
// leaf's key, as a key-signed bundle would be.
Expected<Verified> WithSigner(const Expected<KeylessSigner>& signer, Expected<Verified> v) {
  if (!signer) return signer.error();
  if (v) {
    v->key = signer->key.source;
    v->key_fingerprint = signer->key.fingerprint;
    v->notes = fmt::format("keyless: identity {}, issuer {}, Rekor log index {}, signed at {}", signer->identity,
                           signer->issuer, signer->log_index, FormatUtc(signer->signing_time));
    v->signer = Verified::Signer{signer->identity, signer->issuer, signer->log_index, signer->signing_time};
  }
  return v;
}

}  // namespace

Expected<Verified> VerifyArtifactWith(const Trust& trust, const SignatureFile& sig, const Digests& artifact,
                                      const std::string& artifact_path) {
  if (trust.keyless && !sig.certificates.empty() && !sig.tlog_entries.empty()) {
    if (!artifact_path.empty()) {
      if (Status s = RefusePaeArtifact(artifact_path); !s) return s.error();
    }
    if (sig.format == SignatureFile::Format::kModelSigning) {  // a DSSE statement over the artifact
      auto signer = VerifyKeylessAny(sig, *trust.keyless, Sha256(sig.payload));
      if (!signer) return signer.error();
      return WithSigner(signer, VerifyStatementArtifact(sig, artifact, {signer->key}, trust.keyless->predicate_types));
    }
    auto signer = VerifyKeylessAny(sig, *trust.keyless, artifact.sha256);
    if (!signer) return signer.error();
    return WithSigner(signer, VerifyArtifact(sig, artifact, {signer->key}, artifact_path));
  }
  if (trust.keyless && !sig.certificates.empty()) {
    return Error{VerifyError::kSignature, {}, {}, "tlog-missing: the bundle has no transparency-log entry"};
  }
  if (!trust.vault && trust.keys.empty()) {
    if (trust.keyless) {
      return Error{VerifyError::kTrust, {}, {},
                   "this bundle is signed by a key, not keyless (it carries no certificate): verify it with the "
                   "public key (--key)"};
    }
    return Error{VerifyError::kTrust, {}, {}, "no public key is trusted (--key): CA certificates only verify model-signing bundles"};
  }
  if (!artifact_path.empty()) {
    if (Status s = RefusePaeArtifact(artifact_path); !s) return s.error();
  }
  if (!trust.vault) {
    if (trust.transparency && sig.certificates.empty()) {  // a keyless bundle is refused below, saying so
      if (Status st = VerifyKeyLogEntries(sig, *trust.transparency, trust.keys, artifact.sha256); !st) return st.error();
    }
    auto v = VerifyArtifact(sig, artifact, trust.keys, artifact_path);
    if (v && trust.transparency) v->notes = "transparency log entries verified against the trusted root";
    if (!v && !trust.keyless && !sig.certificates.empty()) {
      // A keyless bundle checked against keys: say what it needs instead.
      return Bad("this bundle is keyless (signed with a Fulcio certificate) and no trusted key verifies it: pass "
                 "--trusted-root and the signer's identity (--certificate-identity[-regexp], "
                 "--certificate-oidc-issuer[-regexp])");
    }
    return v;
  }
  if (sig.format == SignatureFile::Format::kModelSigning) return Bad("a model-signing bundle signs a model tree, not an archive");
  if (sig.format == SignatureFile::Format::kBundleMessage && !sig.digest.empty() &&
      (sig.digest_algorithm != "SHA2_256" || sig.digest != artifact.sha256)) {
    return Bad("the bundle's messageDigest does not match the artifact");
  }
  const Vault& vault = *trust.vault;
  auto info = vault.ReadKey();
  if (!info) return info.error();
  bool rsa = info->type.rfind("rsa", 0) == 0;
  std::vector<std::string> algorithms = rsa ? std::vector<std::string>{"pkcs1v15", "pss"} : std::vector<std::string>{""};
  VaultSignRequest req;
  req.input = Base64Encode(artifact.sha256);
  std::vector<std::pair<int, std::string>> attempts;  // version, "vault:vN:…"
  if (sig.format == SignatureFile::Format::kVault) {
    // The seed's .sig.json: signed without prehashed over the 32 digest bytes.
    auto parsed = ParseVaultSignature(sig.vault_signature);
    if (!parsed) return parsed.error();
    attempts.emplace_back(parsed->version, sig.vault_signature);
  } else {
    // A DER signature over the artifact: Vault's prehashed form; the key version is not
    // recorded, so the hint picks it first and every version is tried.
    req.prehashed = true;
    std::vector<int> versions;
    for (auto it = info->public_keys.rbegin(); it != info->public_keys.rend(); ++it) {
      auto k = ParsePublicKey(it->second, "vault");
      bool hinted = k && !sig.hint.empty() && k->hint == sig.hint;
      versions.insert(hinted ? versions.begin() : versions.end(), it->first);
    }
    if (versions.empty() && info->latest_version > 0) versions.push_back(info->latest_version);
    for (int v : versions) attempts.emplace_back(v, fmt::format("vault:v{}:{}", v, Base64Encode(sig.signature)));
  }
  for (const auto& [version, signature] : attempts) {
    for (const auto& alg : algorithms) {
      req.signature_algorithm = alg;
      auto valid = vault.Verify(req, signature);
      if (!valid) return valid.error();
      if (*valid) return Verified{VaultName(vault, version), alg.empty() ? "" : "signature algorithm " + alg, {}, {}};
    }
  }
  return Bad(fmt::format("Vault transit key {} says the signature is not valid", vault.config().key));
}

Expected<Verified> VerifyTreeWith(const Trust& trust, const SignatureFile& sig, const std::string& path,
                                  const std::vector<std::string>& ignore) {
  if (trust.keyless && !sig.certificates.empty() && (!sig.tlog_entries.empty() || !trust.roots)) {
    auto signer = VerifyKeylessAny(sig, *trust.keyless, Sha256(sig.payload));
    if (!signer) return signer.error();
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec) && !IsModelSigningStatement(sig.payload)) {
      auto digests = DigestFile(path, DigestSet{false, false});  // another statement over one file (SLSA, …)
      if (!digests) return digests.error();
      return WithSigner(signer, VerifyStatementArtifact(sig, *digests, {signer->key}, trust.keyless->predicate_types));
    }
    return WithSigner(signer, VerifyModelTree(sig, path, {signer->key}, ignore));
  }
  if (!sig.certificates.empty()) {  // signed with a certificate: the CA roots decide, not the keys
    if (!trust.roots) {
      return Error{VerifyError::kTrust, {}, {},
                   "the bundle is signed with a certificate: give the CA certificates it must chain to (--certificate-chain)"};
    }
    auto leaf = trust.roots->VerifyChain(sig.certificates);
    if (!leaf) return leaf.error();
    return VerifyModelTree(sig, path, {*leaf}, ignore);
  }
  if (!trust.vault && trust.keys.empty()) {
    return Error{VerifyError::kTrust, {}, {}, "the bundle carries no certificate and no public key is trusted (--key)"};
  }
  std::vector<TrustedKey> keys = trust.keys;
  if (trust.vault) {
    auto from_vault = VaultKeys(*trust.vault);
    if (!from_vault) return from_vault.error();
    keys = std::move(*from_vault);
  } else if (trust.transparency) {
    if (Status st = VerifyKeyLogEntries(sig, *trust.transparency, keys, Sha256(sig.payload)); !st) return st.error();
  }
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec) && !IsModelSigningStatement(sig.payload)) {
    auto digests = DigestFile(path, DigestSet{false, false});  // another statement over one file (cosign attest-blob, …)
    if (!digests) return digests.error();
    auto v = VerifyStatementArtifact(sig, *digests, keys, trust.predicate_types);
    if (v && trust.transparency) v->notes = "transparency log entries verified against the trusted root";
    return v;
  }
  auto v = VerifyModelTree(sig, path, keys, ignore);
  if (v && trust.transparency) v->notes = "transparency log entries verified against the trusted root";
  return v;
}

Expected<Verified> VerifyStatementWith(const Trust& trust, const SignatureFile& sig, const Digests& subject,
                                       const std::vector<std::string>& predicate_types) {
  if (sig.format != SignatureFile::Format::kModelSigning) return Error{VerifyError::kSignature, {}, {}, "not a DSSE envelope"};
  if (!sig.certificates.empty()) {
    if (!trust.keyless) {
      return Error{VerifyError::kSignature, {}, {}, "this signature is keyless (a Fulcio certificate): pass --trusted-root and the signer's identity"};
    }
    if (sig.tlog_entries.empty()) return Error{VerifyError::kSignature, {}, {}, "tlog-missing: the bundle has no transparency-log entry"};
    auto signer = VerifyKeylessAny(sig, *trust.keyless, Sha256(sig.payload));
    if (!signer) return signer.error();
    return WithSigner(signer, VerifyStatementArtifact(sig, subject, {signer->key}, predicate_types));
  }
  if (trust.vault) {
    auto keys = VaultKeys(*trust.vault);
    if (!keys) return keys.error();
    return VerifyStatementArtifact(sig, subject, *keys, predicate_types);
  }
  if (trust.keys.empty()) {
    return Error{VerifyError::kTrust, {}, {}, "this signature is signed by a key, not keyless (it carries no certificate): verify it with the public key (--key)"};
  }
  if (trust.transparency) {
    if (Status st = VerifyKeyLogEntries(sig, *trust.transparency, trust.keys, Sha256(sig.payload)); !st) return st.error();
  }
  return VerifyStatementArtifact(sig, subject, trust.keys, predicate_types);
}

}  // namespace aegis::verifier
