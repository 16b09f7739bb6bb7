// The order of work of verify-and-fetch (docs/VERIFIER.md): signature first, then the
// artifact streamed to a file while hashed, verification before any archive parsing
// (formats A, B), extraction to staging, tree verification (format D), placement.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.h"
#include "verifier/common/log.h"
#include "verifier/common/progress.h"
#include "verifier/options.h"
#include "verifier/sources/s3.h"

namespace aegis::verifier {

// Everything a run needs from outside: the environment and where to log.
struct RunContext {
  Env env;
  Logger* log = nullptr;
  // Where download progress goes (aegis verify: a line on its terminal); unset: the log.
  Progress::Sink progress;
};

// What a successful run verified and placed.
struct RunSummary {
  std::string artifact;   // as displayed (no query string)
  std::string signature;  // where the signature came from
  std::string format;     // sigstore-bundle, legacy-sig, vault, model-signing
  std::string sha256;     // hex, of the artifact
  uint64_t bytes = 0;
  std::string key;        // what verified it
  std::string notes;
  std::optional<Verified::Signer> signer;  // keyless
  std::vector<std::string> placed;  // top-level entries in <dest-dir>
  std::string key_fingerprint;      // "sha256:…" of the verifying key's SPKI ("" for Vault)
  int64_t verified_at = 0;          // when the model was placed (Unix seconds)
};

// Verifies and places the model, or leaves <dest-dir> without model content.
Expected<RunSummary> VerifyAndFetch(const Options& options, const RunContext& context);

// What can be known without the model, for admission (`aegis verify --signature-only`): the
// signature found as VerifyAndFetch finds it, verified with the same trust over the digest it
// signs — a bundle's messageDigest, a model-signing statement's subject, an OCI manifest's
// digest (cosign), or --expected-sha256 for the formats that carry none (legacy .sig, Vault).
// The model is never fetched: whether its bytes are that digest is the verifier's check when the
// pod starts. <dest-dir> holds only a work area while it runs. Errors as VerifyAndFetch's;
// kSignature for an Ed25519 key (it signs the bytes, not a digest) or a digest-less format
// without a pin; kNotFound when no signature is outside the model.
Expected<RunSummary> CheckSignature(const Options& options, const RunContext& context);

// What the termination log says on success (docs/VERIFIER.md, "Termination message"): one line
// of JSON, keys sorted, at most 4096 bytes — the artifact (as displayed), the digest placed
// (sha256:…: the file's, a signed directory's subject, or an image's manifest), the signature
// format and where it came from, the signer (key source and fingerprint, or keyless identity,
// issuer and Rekor log index), verifiedAt (RFC 3339 UTC), version 1.
std::string ProvenanceRecord(const RunSummary& summary);

// The reason for the termination log: at most 4096 bytes, cut at a UTF-8 boundary.
std::string TerminationMessage(const Error& error);

// Writes the termination log; failure to write it is only logged.
void WriteTerminationLog(const std::string& path, const std::string& message, Logger& log);

}  // namespace aegis::verifier
