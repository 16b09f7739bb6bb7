// Signature files (docs/SIGNATURES.md): A — sigstore bundle with a message signature
// (cosign sign-blob --bundle), B — legacy base64 `.sig` (or cosign's pre-v3 bundle JSON,
// `{"base64Signature": …}`: the same signature, no metadata bound), C — Vault transit sign response
// (`.sig.json`, signed without `prehashed` over the raw SHA-256 digest), D — OpenSSF
// model-signing bundle (DSSE in-toto statement over a model tree). Verification never trusts what the file says
// about itself: digests are recomputed, keys come from the trusted set only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"
#include "verifier/common/crypto.h"
#include "verifier/trust/keys.h"
#include "verifier/trust/tlog.h"

namespace aegis::verifier {

struct SignatureFile {
  enum class Format { kBundleMessage, kLegacy, kVault, kModelSigning };
  Format format = Format::kLegacy;
  std::string signature;       // raw (A, B, C)
  std::string vault_signature;  // C: "vault:vN:…" as Vault returned it
  std::string digest_algorithm;  // A: messageDigest.algorithm
  std::string digest;            // A: raw messageDigest.digest
  std::string hint;              // A/D: verificationMaterial.publicKey.hint (unauthenticated)
  bool has_tlog = false;         // A/D: tlogEntries present (checked in keyless verification only)
  std::vector<TlogEntry> tlog_entries;
  std::vector<std::string> rfc3161_timestamps;  // A/D: DER TimeStampResp (timestampVerificationData)
  std::string payload_type;      // D
  std::string payload;           // D: raw in-toto statement
  std::vector<std::string> dsse_signatures;  // D: raw
  std::string dsse_envelope_payload_b64;     // D: as it appears (the logged payload hash is over the raw payload)
  std::vector<std::string> certificates;     // DER, leaf first (x509CertificateChain or certificate)
};

// Parses any of the four formats; kSignature when it is none of them.
Expected<SignatureFile> ParseSignatureFile(std::string_view text);

struct Verified {
  std::string key;    // source of the key that verified
  std::string notes;  // e.g. "transparency log entries ignored (offline key verification)"
  std::string subject;  // D: the statement's subject name (the model name)
  std::string subject_sha256 = {};  // D (model-signing): the subject digest, hex (the tree's identity)
  // D: the tree's files the statement signs (relative, '/'-separated); nothing else in
  // the tree is verified, so nothing else may be placed.
  std::vector<std::string> signed_files = {};
  // Keyless: who signed, as the certificate and the log say (empty otherwise).
  struct Signer {
    std::string identity, issuer;
    int64_t log_index = 0, signed_at = 0;
  };
  std::optional<Signer> signer = std::nullopt;
  // The verifying key's "sha256:" + hex SHA-256 of its SPKI DER (what a trust policy pins); for
  // keyless, the certificate's key; "" for Vault (its key stays in Vault).
  std::string key_fingerprint = {};
};

// Formats A, B and C against the artifact's digests (computed while it was downloaded).
// Ed25519 (pure) signs the whole message, not a digest: with `artifact_path` the file is
// mapped and verified in place (the kernel's page cache, not our heap, holds it).
Expected<Verified> VerifyArtifact(const SignatureFile& sig, const Digests& artifact, const std::vector<TrustedKey>& keys,
                                  const std::string& artifact_path = {});

// True when the in-toto statement is a model_signing one (predicateType https://model_signing/…).
bool IsModelSigningStatement(std::string_view payload);

// A DSSE envelope over an artifact (cosign attest-blob, or a keyless DSSE bundle): the
// envelope's signature with `keys` ("dsse-signature: …" otherwise), then a predicate type that
// is allowed — one of `predicate_types`, or with none given model_signing's
// (https://model_signing/…): a signed statement that provenance exists is not an approval to
// serve ("predicate-type: …") — and a subject whose sha256 is the artifact's.
Expected<Verified> VerifyStatementArtifact(const SignatureFile& sig, const Digests& artifact,
                                           const std::vector<TrustedKey>& keys,
                                           const std::vector<std::string>& predicate_types = {});

// Domain separation. A DSSE signature is over PAE bytes, which begin "DSSEv1 "; an artifact
// beginning so could present an envelope's signature as its own (same key, same hash). Such
// an artifact is never signed or verified as an artifact: kSignature names the file.
inline constexpr std::string_view kPaePrefix = "DSSEv1 ";

// The predicate type of cosign's signature of an OCI manifest (cosign v3, `cosign sign`): an
// in-toto statement whose subject is the manifest digest (verifier/cosign_image.h).
inline constexpr const char* kCosignSignPredicate = "https://sigstore.dev/cosign/sign/v1";

// DSSE pre-authentication encoding: the bytes a DSSE signature is over.
std::string Pae(std::string_view type, std::string_view payload);
Status RefusePaeArtifact(const std::string& path);

// Format D against a model tree (a directory, or a single file whose resource is "."): the
// DSSE signature with `keys`, then the statement against the tree (model_tree.h; `ignore`
// adds the caller's --ignore-paths). `signed_files` says what may be placed.
Expected<Verified> VerifyModelTree(const SignatureFile& sig, const std::string& path,
                                   const std::vector<TrustedKey>& keys, const std::vector<std::string>& ignore = {});

}  // namespace aegis::verifier
