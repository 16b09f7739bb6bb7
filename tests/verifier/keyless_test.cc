// Keyless (Sigstore) verification against the real bundles in tests/testdata/sigstore
// (cases.tsv: each case's trusted root, identity, issuer and expected outcome, from the
// sigstore projects' own suites; see its README), and mutations of them.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "verifier/common/verify_error.h"
#include "verifier/trust/keyless.h"
#include "verifier/trust/signature.h"

namespace aegis::verifier {
namespace {

std::string Data(const std::string& rel) { return testing::SourcePath("tests/testdata/sigstore/" + rel); }

struct Case {
  std::string name, bundle, artifact, root, identity, issuer, expect, fails_at;
};

std::vector<Case> Cases() {
  std::vector<Case> out;
  std::istringstream in(testing::ReadFile(Data("cases.tsv")));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream cols(line);
    for (std::string c; std::getline(cols, c, '\t');) f.push_back(c);
    if (f.size() >= 8) out.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]});
  }
  return out;
}

const std::string kSlsa = "https://slsa.dev/provenance/v1";

// The whole keyless path for one case: the material, then the signature with the leaf key.
Status Verify(const Case& c, const IdentityPolicy& policy) {
  auto root = SigstoreRoot::Load(Data(c.root));
  if (!root) return root.error();
  auto sig = ParseSignatureFile(testing::ReadFile(Data(c.bundle)));
  if (!sig) return sig.error();
  if (sig->format == SignatureFile::Format::kModelSigning) {
    auto signer = VerifyKeyless(*sig, *root, policy, Sha256(sig->payload));
    if (!signer) return signer.error();
    if (c.artifact.find("model") != std::string::npos) {
      auto v = VerifyModelTree(*sig, Data(c.artifact), {signer->key}, {"ignore-me"});
      if (!v) return v.error();
      return Ok{};
    }
    auto digests = DigestFile(Data(c.artifact));
    if (!digests) return digests.error();
    // The vectors' DSSE statement is SLSA provenance: allowed here by name (kSlsa), as
    // --predicate-type allows it; ProvenanceIsNotAnApprovalByDefault shows the default.
    auto v = VerifyStatementArtifact(*sig, *digests, {signer->key}, {kSlsa});
    if (!v) return v.error();
    return Ok{};
  }
  auto digests = DigestFile(Data(c.artifact));
  if (!digests) return digests.error();
  auto signer = VerifyKeyless(*sig, *root, policy, digests->sha256);
  if (!signer) return signer.error();
  auto v = VerifyArtifact(*sig, *digests, {signer->key}, Data(c.artifact));
  if (!v) return v.error();
  return Ok{};
}

TEST(Keyless, EveryVectorGivesItsExpectedResult) {
  auto cases = Cases();
  ASSERT_GE(cases.size(), 20u);
  size_t ok = 0, refused = 0;
  for (const Case& c : cases) {
    auto st = Verify(c, {c.identity, "", c.issuer, ""});
    if (c.expect == "ok") {
      EXPECT_TRUE(st.ok()) << c.name << ": " << (st ? "" : st.error().message);
      ok += st.ok();
    } else {
      EXPECT_FALSE(st.ok()) << c.name << " was accepted; it must fail at " << c.fails_at;
      if (!st.ok()) {
        EXPECT_EQ(st.error().kind, make_error_code(VerifyError::kSignature)) << c.name << ": " << st.error().message;
        ++refused;
      }
    }
  }
  EXPECT_EQ(ok, 9u);
  EXPECT_EQ(refused, 12u);
}

TEST(Keyless, EachNegativeNamesItsCheck) {
  for (const Case& c : Cases()) {
    if (c.expect != "fail") continue;
    auto st = Verify(c, {c.identity, "", c.issuer, ""});
    ASSERT_FALSE(st.ok()) << c.name;
    std::string check = st.error().message.substr(0, st.error().message.find(':'));
    // Checks run in one order; a case may be refused by an earlier check than the one it
    // was made for, as the vectors' README allows (the log binds the signature too).
    static const std::map<std::string, std::set<std::string>> kAllowed = {
        {"artifact-signature", {"artifact-signature", "tlog-body", "signature does not verify with any of the 1 trusted key(s)",
                                "the bundle's messageDigest does not match the artifact"}},
        {"cert-chain", {"cert-chain", "tlog"}},
        {"tlog-missing", {"tlog-missing"}},
        {"set", {"set"}},
        {"inclusion-proof", {"inclusion-proof"}},
        {"checkpoint", {"checkpoint"}},
        {"sct", {"sct"}},
        {"dsse-signature", {"dsse-signature", "tlog-body"}},
        {"identity", {"identity"}},
        {"issuer", {"issuer"}},
    };
    auto allowed = kAllowed.find(c.fails_at);
    ASSERT_NE(allowed, kAllowed.end()) << c.fails_at;
    EXPECT_TRUE(allowed->second.count(check)) << c.name << " failed at " << check << " (" << st.error().message << ")";
  }
}

TEST(Keyless, IdentityAndIssuerPatternsAreRe2Searches) {
  Case c = Cases().front();  // prod-v01
  ASSERT_EQ(c.name, "prod-v01");
  EXPECT_TRUE(Verify(c, {"", "^https://github\\.com/sigstore-conformance/", "", "^https://token\\.actions\\.githubusercontent\\.com$"}));
  EXPECT_TRUE(Verify(c, {"", "extremely-dangerous", c.issuer, ""})) << "unanchored, as cosign (Go's MatchString)";
  auto wrong = Verify(c, {"", "^https://github\\.com/someone-else/", c.issuer, ""});
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("identity:"), std::string::npos);
  auto bad = Verify(c, {"", "(", c.issuer, ""});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, make_error_code(ErrorKind::kUsage));
  auto none = Verify(c, {c.identity, "", "", ""});
  ASSERT_FALSE(none) << "an identity without an issuer is not a policy";
  EXPECT_EQ(none.error().kind, make_error_code(ErrorKind::kUsage)) << "a missing flag is a usage error, exit 2";
}

// A signed in-toto statement over the artifact is accepted only for an allowed predicate type:
// model_signing's by default. The real prod-dsse vector (SLSA v1 provenance, valid in every other
// respect) is refused unless its type is named, and naming another type does not admit it.
TEST(Keyless, ProvenanceIsNotAnApprovalByDefault) {
  auto root = SigstoreRoot::Load(Data("roots/prod.json"));
  ASSERT_TRUE(root);
  auto sig = ParseSignatureFile(testing::ReadFile(Data("prod-dsse/bundle.sigstore.json")));
  ASSERT_TRUE(sig);
  auto digests = DigestFile(Data("prod-dsse/artifact"));
  ASSERT_TRUE(digests);
  std::vector<Case> cases = Cases();
  Case c = *std::find_if(cases.begin(), cases.end(), [](const Case& k) { return k.name == "prod-dsse"; });
  auto signer = VerifyKeyless(*sig, *root, {c.identity, "", c.issuer, ""}, Sha256(sig->payload));
  ASSERT_TRUE(signer) << signer.error().message;
  auto by_default = VerifyStatementArtifact(*sig, *digests, {signer->key});
  ASSERT_FALSE(by_default);
  EXPECT_EQ(by_default.error().message,
            "predicate-type: the statement's predicateType \"https://slsa.dev/provenance/v1\" is not one allowed "
            "(model_signing's; --predicate-type)");
  EXPECT_FALSE(VerifyStatementArtifact(*sig, *digests, {signer->key}, {"https://in-toto.io/attestation/vulns"}));
  EXPECT_TRUE(VerifyStatementArtifact(*sig, *digests, {signer->key}, {kSlsa}));
}

TEST(Keyless, TrustedRootTimesAndRefusals) {
  EXPECT_EQ(ParseRfc3339("2021-03-07T03:20:29Z"), 1615087229);
  EXPECT_EQ(ParseRfc3339("2022-12-31T23:59:59.999Z"), 1672531199);
  EXPECT_EQ(ParseRfc3339("2022-01-01T01:00:00+01:00"), 1640995200);
  for (const char* bad : {"", "2022-13-01T00:00:00Z", "2022-01-01 00:00:00Z", "2022-01-01T00:00:00", "2022-01-01T00:00:00.Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
  auto root = SigstoreRoot::Load(Data("roots/prod.json"));
  ASSERT_TRUE(root) << root.error().message;
  EXPECT_GE(root->cas.size(), 2u);
  EXPECT_GE(root->tlogs.size(), 1u);
  EXPECT_GE(root->ctlogs.size(), 2u);
  EXPECT_FALSE(SigstoreRoot::Parse("{}", "x.json"));
  EXPECT_FALSE(SigstoreRoot::Parse(R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"})", "x.json"));
  // A key or authority without validFor.start is a malformed root, not one valid forever: the
  // real production root, mutated one field at a time, is refused naming the field.
  const nlohmann::json prod = nlohmann::json::parse(aegis::testing::ReadFile(Data("roots/prod.json")));
  for (const auto& [path, field] : std::vector<std::pair<nlohmann::json::json_pointer, std::string>>{
           {nlohmann::json::json_pointer("/tlogs/0/publicKey/validFor/start"), "tlogs[0].publicKey.validFor.start"},
           {nlohmann::json::json_pointer("/ctlogs/1/publicKey/validFor/start"), "ctlogs[1].publicKey.validFor.start"},
           {nlohmann::json::json_pointer("/certificateAuthorities/0/validFor/start"), "certificateAuthorities[0].validFor.start"},
           {nlohmann::json::json_pointer("/tlogs/0/publicKey/validFor"), "tlogs[0].publicKey.validFor.start"}}) {
    nlohmann::json mutated = prod;
    mutated[path.parent_pointer()].erase(path.back());
    auto refused = SigstoreRoot::Parse(mutated.dump(), "trusted_root.json");
    ASSERT_FALSE(refused) << field;
    EXPECT_NE(refused.error().message.find(field + " is missing"), std::string::npos) << refused.error().message;
    EXPECT_EQ(refused.error().kind, make_error_code(VerifyError::kTrust));
  }
  auto missing = SigstoreRoot::Load("/nonexistent/trusted_root.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, make_error_code(VerifyError::kTrust));
}

// Mutations of a good bundle: each flips one thing an attacker controls, and is refused by
// the check that guards it.
TEST(Keyless, MutatedBundlesAreRefusedByTheirCheck) {
  Case c = Cases()[2];  // prod-v03: a certificate, an inclusion proof with checkpoint and a SET
  ASSERT_EQ(c.name, "prod-v03");
  auto root = SigstoreRoot::Load(Data(c.root));
  ASSERT_TRUE(root);
  auto good = ParseSignatureFile(testing::ReadFile(Data(c.bundle)));
  ASSERT_TRUE(good);
  auto digests = DigestFile(Data(c.artifact));
  ASSERT_TRUE(digests);
  IdentityPolicy policy{c.identity, "", c.issuer, ""};
  ASSERT_TRUE(VerifyKeyless(*good, *root, policy, digests->sha256));
  auto expect = [&](const SignatureFile& s, const std::string& check) {
    auto r = VerifyKeyless(s, *root, policy, digests->sha256);
    ASSERT_FALSE(r) << check;
    EXPECT_EQ(r.error().message.substr(0, check.size() + 1), check + ":") << r.error().message;
  };
  SignatureFile s = *good;
  s.tlog_entries.front().log_index += 1;  // the promise no longer covers it
  expect(s, "set");
  s = *good;
  s.tlog_entries.front().integrated_time += 86400 * 365;  // signed "later": outside the leaf's 10 minutes
  expect(s, "set");
  s = *good;
  s.tlog_entries.front().tree_size += 1;
  expect(s, "inclusion-proof");
  s = *good;
  s.tlog_entries.front().hashes.pop_back();
  expect(s, "inclusion-proof");
  s = *good;
  s.tlog_entries.front().log_id[0] ^= 1;
  expect(s, "tlog");
  s = *good;
  s.tlog_entries.clear();
  expect(s, "tlog-missing");
  s = *good;
  s.tlog_entries.front().signed_entry_timestamp.clear();
  s.tlog_entries.front().has_proof = false;
  expect(s, "tlog");
  // An inclusion proof without the SET: the proof holds, but integratedTime is not covered by
  // anything signed, so it cannot date the signature (moved 500 s or not).
  for (int64_t moved : {0, 500}) {
    s = *good;
    s.tlog_entries.front().signed_entry_timestamp.clear();
    s.tlog_entries.front().integrated_time += moved;
    auto undated = VerifyKeyless(s, *root, policy, digests->sha256);
    ASSERT_FALSE(undated) << moved;
    EXPECT_NE(undated.error().message.find("tlog: the entry's integratedTime is not signed"), std::string::npos)
        << undated.error().message;
  }
  // The checkpoint must be signed by the entry's own log: the entry claims a second log of the
  // root (the real log's key under another id, so nothing else tells them apart) while only the
  // real log signed its checkpoint.
  SigstoreRoot two_logs = *root;
  LogKey other_log = two_logs.tlogs.front();
  other_log.log_id = std::string(32, '\x42');
  two_logs.tlogs.push_back(other_log);
  s = *good;
  s.tlog_entries.front().log_id = other_log.log_id;
  auto checkpoint = VerifyKeyless(s, two_logs, policy, digests->sha256);
  ASSERT_FALSE(checkpoint);
  EXPECT_NE(checkpoint.error().message.find("checkpoint: no signature on the checkpoint is by the entry's own log"),
            std::string::npos)
      << checkpoint.error().message;
  // Another artifact's digest: the log entry is not for it.
  auto r = VerifyKeyless(*good, *root, policy, Sha256("another artifact"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("tlog-body: the logged digest is not the artifact's"), std::string::npos);
  // The root's CT logs do not include the SCT's log (as if the SCT were removed: removing it
  // from the certificate would break Fulcio's signature first).
  SigstoreRoot no_ct = *root;
  no_ct.ctlogs.clear();
  auto sct = VerifyKeyless(*good, no_ct, policy, digests->sha256);
  ASSERT_FALSE(sct);
  EXPECT_EQ(sct.error().message.substr(0, 4), "sct:") << sct.error().message;
  // A certificate swapped for another valid Fulcio certificate (prod-dsse's).
  auto other = ParseSignatureFile(testing::ReadFile(Data("prod-dsse/bundle.sigstore.json")));
  ASSERT_TRUE(other);
  s = *good;
  s.certificates = other->certificates;
  expect(s, "tlog-body");
}

// The public-good roots shipped in the package and the image (verifier/sigstore-roots) are the
// vectors' roots, so every vector above also checks them; each loads with its timestamp authority.
TEST(Keyless, ShippedRootsAreTheVectorsRoots) {
  for (const char* name : {"prod.json", "staging.json"}) {
    std::string shipped = testing::SourcePath(std::string("verifier/sigstore-roots/") + name);
    EXPECT_EQ(testing::ReadFile(shipped), testing::ReadFile(Data(std::string("roots/") + name))) << name;
    auto root = SigstoreRoot::Load(shipped);
    ASSERT_TRUE(root) << root.error().message;
    EXPECT_EQ(root->tsas.size(), 1u) << name;
  }
}

// Rekor v2 (staging-rekor2): no integrated time and no SET; the entry is dated by the bundle's
// RFC 3161 timestamp, which must be by a timestamp authority of the root over this signature.
TEST(Keyless, RekorV2IsDatedByItsTimestamp) {
  Case c;
  for (const Case& x : Cases()) {
    if (x.name == "staging-rekor2") c = x;
  }
  ASSERT_EQ(c.name, "staging-rekor2");
  auto root = SigstoreRoot::Load(Data(c.root));
  ASSERT_TRUE(root) << root.error().message;
  ASSERT_EQ(root->tsas.size(), 1u);
  auto good = ParseSignatureFile(testing::ReadFile(Data(c.bundle)));
  ASSERT_TRUE(good);
  ASSERT_EQ(good->rfc3161_timestamps.size(), 1u);
  ASSERT_EQ(good->tlog_entries.front().integrated_time, 0);
  auto digests = DigestFile(Data(c.artifact));
  ASSERT_TRUE(digests);
  IdentityPolicy policy{c.identity, "", c.issuer, ""};
  auto signer = VerifyKeyless(*good, *root, policy, digests->sha256);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(FormatUtc(signer->signing_time), "2025-06-09T11:57:38Z") << "the TSA's genTime";
  EXPECT_EQ(signer->log_index, 645);

  auto expect = [&](const SignatureFile& s, const SigstoreRoot& r, const std::string& check) {
    auto v = VerifyKeyless(s, r, policy, digests->sha256);
    ASSERT_FALSE(v) << check;
    EXPECT_EQ(v.error().kind, make_error_code(VerifyError::kSignature));
    EXPECT_EQ(v.error().message.substr(0, check.size() + 1), check + ":") << v.error().message;
  };
  SignatureFile s = *good;
  s.rfc3161_timestamps.clear();
  expect(s, *root, "tlog");  // nothing dates the entry
  s = *good;
  s.signature[3] ^= 1;  // the timestamp is over another signature
  expect(s, *root, "timestamp");
  s = *good;
  s.rfc3161_timestamps.front()[s.rfc3161_timestamps.front().size() - 5] ^= 1;  // the TSA's signature
  expect(s, *root, "timestamp");
  s = *good;
  s.rfc3161_timestamps.front().pop_back();
  expect(s, *root, "timestamp");
  s = *good;
  s.rfc3161_timestamps.push_back("not DER");  // every timestamp must verify, not one of them
  expect(s, *root, "timestamp");
  s = *good;
  std::string& note = s.tlog_entries.front().checkpoint;  // the Ed25519 signed note
  note[note.size() - 6] = note[note.size() - 6] == 'A' ? 'B' : 'A';
  expect(s, *root, "checkpoint");
  s = *good;
  s.tlog_entries.front().version = "0.0.1";
  expect(s, *root, "tlog-body");
  // The trusted root decides who may date a signature, and when.
  SigstoreRoot r = *root;
  r.tsas.clear();
  expect(*good, r, "timestamp");
  r = *root;
  r.tsas.front().valid.start = signer->signing_time + 1;
  expect(*good, r, "timestamp");
  r = *root;
  r.tsas.front().chain = root->cas.front().chain;  // a Fulcio CA is no timestamp authority
  expect(*good, r, "timestamp");
  r = *root;
  for (LogKey& log : r.tlogs) log.valid.end = signer->signing_time - 1;
  expect(*good, r, "tlog");
  r = *root;
  for (CertificateAuthority& ca : r.cas) ca.valid.end = signer->signing_time - 1;
  expect(*good, r, "cert-chain");
}

// Rekor v2's dsse 0.0.2 body (rekor-tiles DSSELogEntryV002: payloadHash {algorithm, digest},
// signatures [{content, verifier {x509Certificate {rawBytes}}}]; the vectors hold only a
// hashedrekord one): it binds the payload hash, the signature and the certificate.
TEST(Keyless, RekorV2DsseBodyBindsPayloadSignatureAndCertificate) {
  LoggedMaterial m;
  m.certificate_der = "leaf DER";
  m.signature = "signature bytes";
  m.digest_sha256 = Sha256("payload");
  auto entry = [&](const std::string& algorithm, const std::string& digest, const std::string& sig, const std::string& cert) {
    nlohmann::json signature = {{"content", Base64Encode(sig)}};
    signature["verifier"]["keyDetails"] = "PKIX_ECDSA_P256_SHA_256";
    signature["verifier"]["x509Certificate"]["rawBytes"] = Base64Encode(cert);
    nlohmann::json body = {{"apiVersion", "0.0.2"}, {"kind", "dsse"}};
    body["spec"]["dsseV002"]["payloadHash"] = {{"algorithm", algorithm}, {"digest", Base64Encode(digest)}};
    body["spec"]["dsseV002"]["signatures"] = nlohmann::json::array({signature});
    TlogEntry e;
    e.kind = "dsse";
    e.version = "0.0.2";
    e.body = body.dump();
    return e;
  };
  EXPECT_TRUE(VerifyLoggedBody(entry("SHA2_256", m.digest_sha256, m.signature, m.certificate_der), m));
  for (const TlogEntry& bad : {entry("SHA2_384", m.digest_sha256, m.signature, m.certificate_der),
                               entry("SHA2_256", Sha256("another payload"), m.signature, m.certificate_der),
                               entry("SHA2_256", m.digest_sha256, "another signature", m.certificate_der),
                               entry("SHA2_256", m.digest_sha256, m.signature, "another certificate")}) {
    auto st = VerifyLoggedBody(bad, m);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().message.substr(0, 10), "tlog-body:") << st.error().message;
  }
  TlogEntry v1 = entry("SHA2_256", m.digest_sha256, m.signature, m.certificate_der);
  v1.version = "0.0.1";  // the entry and its body disagree on the version
  EXPECT_FALSE(VerifyLoggedBody(v1, m));
}

}  // namespace
}  // namespace aegis::verifier
