#include "cli/trust_flags.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace aegis::cli {

void AddTrustFlags(CLI::App& sub, TrustFlags& f) {
  const char* group = "Pinned trust (parameters.trust)";
  sub.add_option("--key-fingerprint", f.key_fingerprints,
                 "Pin a public key: sha256: and the hex SHA-256 of its DER (openssl pkey -pubin -in KEY -outform DER | "
                 "sha256sum); repeatable")
      ->allow_extra_args(false)->group(group);
  sub.add_option("--certificate-identity", f.identity.subject, "Pin a keyless signer's identity (certificate SAN)")->group(group);
  sub.add_option("--certificate-identity-regexp", f.identity.subject_regexp, "… or an RE2 pattern for it")->group(group);
  sub.add_option("--certificate-oidc-issuer", f.identity.issuer, "… and its OIDC issuer")->group(group);
  sub.add_option("--certificate-oidc-issuer-regexp", f.identity.issuer_regexp, "… or an RE2 pattern for it")->group(group);
  sub.add_option("--trusted-root-fingerprint", f.trusted_root_fingerprints,
                 "Pin a Sigstore trusted_root.json by sha256:HEX of the file (default: the roots the verifier image ships)")
      ->allow_extra_args(false)->group(group);
  sub.add_option("--ca-fingerprint", f.ca_fingerprints, "Pin a CA certificate (model signing with a certificate): sha256:HEX of its DER")
      ->allow_extra_args(false)->group(group);
  sub.add_option("--vault-addr", f.vault_addr, "Pin a Vault (with --vault-key): its address")->group(group);
  sub.add_option("--vault-key", f.vault_key, "… and its transit key")->group(group);
  sub.add_option("--artifact-prefix", f.artifact_prefixes, "Only artifacts under this prefix, e.g. s3://prod-models/ (repeatable)")
      ->allow_extra_args(false)->group(group);
  sub.add_flag("--allow-any-identity", f.allow_any_identity, "Allow a keyless pattern that matches every signer")->group(group);
}

Expected<std::optional<TrustPins>> PinsFrom(const TrustFlags& f) {
  auto bad = [](std::string m) { return Error{ErrorKind::kUsage, {}, {}, std::move(m)}; };
  TrustPins p;
  for (auto [flag, list, out] : {std::tuple{"--key-fingerprint", &f.key_fingerprints, &p.keys},
                                 std::tuple{"--trusted-root-fingerprint", &f.trusted_root_fingerprints, &p.trusted_roots},
                                 std::tuple{"--ca-fingerprint", &f.ca_fingerprints, &p.certificate_authorities}}) {
    for (const std::string& fp : *list) {
      if (!IsSha256Fingerprint(fp)) return bad(fmt::format("{} {}: not sha256: and 64 lower-case hex digits", flag, fp));
      out->push_back(fp);
    }
  }
  const KeylessIdentity& id = f.identity;
  bool any_identity = !id.subject.empty() || !id.subject_regexp.empty() || !id.issuer.empty() || !id.issuer_regexp.empty();
  if (any_identity) {
    if (id.subject.empty() == id.subject_regexp.empty()) {
      return bad("a pinned identity needs one of --certificate-identity and --certificate-identity-regexp");
    }
    if (id.issuer.empty() == id.issuer_regexp.empty()) {
      return bad("a pinned identity needs one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp");
    }
    p.keyless.push_back(id);
  }
  if (f.vault_addr.empty() != f.vault_key.empty()) return bad("--vault-addr and --vault-key go together");
  if (!f.vault_addr.empty()) p.vault.push_back({f.vault_addr, f.vault_key});
  p.artifact_prefixes = f.artifact_prefixes;
  p.allow_any_identity = f.allow_any_identity;
  if (p.keys.empty() && p.keyless.empty() && p.vault.empty() && p.trusted_roots.empty() &&
      p.certificate_authorities.empty() && p.artifact_prefixes.empty()) {
    if (p.allow_any_identity) return bad("--allow-any-identity goes with a pinned keyless identity");
    return std::optional<TrustPins>();
  }
  return std::optional<TrustPins>(std::move(p));
}

}  // namespace aegis::cli
