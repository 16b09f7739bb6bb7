// Rekor transparency-log entries of a Sigstore bundle (verificationMaterial.tlogEntries) and
// their offline checks: the RFC 6962 inclusion proof, the signed checkpoint (a signed note)
// that commits to the proof's root, the signed entry timestamp (the inclusion promise), and
// the logged body matching the bundle. Each failure names its check.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.h"
#include "verifier/trust/sigstore_root.h"

namespace aegis::verifier {

struct TlogEntry {
  int64_t log_index = 0;
  std::string log_id;  // raw
  std::string kind, version;
  int64_t integrated_time = 0;      // 0: none (Rekor v2)
  std::string body;                 // canonicalizedBody, decoded
  std::string signed_entry_timestamp;  // raw; empty when absent
  bool has_proof = false;
  int64_t proof_index = 0, tree_size = 0;
  std::string root_hash;            // raw
  std::vector<std::string> hashes;  // raw
  std::string checkpoint;           // the signed note, as text
};

// What the logged body must say for the bundle in hand.
struct LoggedMaterial {
  std::string certificate_der;  // the leaf (keyless); empty when a key signed
  std::vector<std::string> key_fingerprints;  // a key signed: "sha256:<hex of SPKI DER>" of each trusted key
  std::string signature;        // message signature, or one DSSE signature (raw)
  std::string digest_sha256;    // hashedrekord: the artifact's; dsse, intoto: the payload's (raw)
  std::string pae_sha256;       // a DSSE bundle: SHA-256 of its PAE, what a hashedrekord entry logs (raw); else empty
};

// The entry's log is in the root and was valid at `at` (the integrated time, or for a Rekor v2
// entry, which has none, the RFC 3161 timestamp's); every proof the entry carries verifies
// (inclusion proof and checkpoint, signed entry timestamp); at least one of them is present;
// the body is this bundle's: hashedrekord (0.0.1, Rekor v2's 0.0.2; over a DSSE envelope it logs
// the PAE's digest), dsse (0.0.1, 0.0.2) or intoto (0.0.2, what cosign attest logs), each naming
// the bundle's signature and its signer (the certificate, or one of the trusted keys).
// kSignature "<check>: …" otherwise.
Status VerifyTlogEntry(const TlogEntry& e, const SigstoreRoot& root, const LoggedMaterial& m, int64_t at);

// The building blocks, for tests.
Status VerifyInclusionProof(const TlogEntry& e);
// The checkpoint must be signed by the entry's own log (`log`), not any log of the root.
Status VerifyCheckpoint(const TlogEntry& e, const LogKey& log);
Status VerifySignedEntryTimestamp(const TlogEntry& e, const LogKey& log);
Status VerifyLoggedBody(const TlogEntry& e, const LoggedMaterial& m);

}  // namespace aegis::verifier
