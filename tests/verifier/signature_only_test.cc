// `aegis verify --signature-only` (verifier::CheckSignature): what admission can know without
// the model, against the real S3 server (SigV4-checking s3rver). The signature is found and
// verified as verify-and-fetch finds and verifies it, over the digest it signs; the model is
// never fetched (a signature whose model does not exist still verifies), so a tampered model
// under a valid bundle passes here and is refused by verify-and-fetch when the pod starts —
// the division of labour the admission check and the verifier share (docs/VERIFIER.md).
#include <gtest/gtest.h>

#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

class SignatureOnlyTest : public S3ProgramTest<SignatureOnlyTest> {
 protected:
  static void SetUpTestSuite() {
    if (!StartS3()) return;
    data_ = new TempDir();
    WriteFile(data_->File("good.tar.gz"), Weights(50000));
    WriteFile(data_->File("tampered.tar.gz"), Weights(50001));
    WriteFile(data_->File("unsigned.tar.gz"), Weights(10));
    WriteFile(data_->File("legacy.tar.gz"), Weights(20000));
    auto sig =
        RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " legacy.tar.gz | base64 -w0 > legacy.tar.gz.sig",
                 data_->path());
    if (sig.exit_code != 0) skip_ = sig.err;
    std::string bundle = Bundle(data_->File("good.tar.gz"));
    WriteFile(data_->File("good.tar.gz.sigstore.json"), bundle);
    WriteFile(data_->File("tampered.tar.gz.sigstore.json"), bundle);  // the good model's bundle
    WriteFile(data_->File("ghost.tar.gz.sigstore.json"), bundle);     // a bundle whose model is not there
    for (const char* f :
         {"good.tar.gz", "good.tar.gz.sigstore.json", "tampered.tar.gz", "tampered.tar.gz.sigstore.json",
          "unsigned.tar.gz", "legacy.tar.gz", "legacy.tar.gz.sig", "ghost.tar.gz.sigstore.json"}) {
      Put(data_->File(f), std::string("m/") + f);
    }
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
    S3ProgramTest::TearDownTestSuite();
  }
  RunResult Verify(const std::string& args, const std::string& key = PublicKey()) {
    return RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + Creds() + " " + AEGIS_BIN +
                        " verify -o json --key " + key + " " + args,
                    dir_.path());
  }
  static json Out(const RunResult& r) { return json::parse(r.out, nullptr, false); }
  static inline TempDir* data_ = nullptr;
};

TEST_F(SignatureOnlyTest, ASignedArtifactIsVerifiedWithoutFetchingIt) {
  auto r = Verify("--signature-only s3://models/m/good.tar.gz");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json j = Out(r);
  EXPECT_EQ(j["sha256"], OpensslHex(data_->File("good.tar.gz"))) << "the digest the bundle signs";
  EXPECT_EQ(j["signatureOnly"], true);
  EXPECT_EQ(j["format"], "sigstore-bundle");
  // The model is never read: a bundle whose model does not exist verifies here, and only here.
  auto ghost = Verify("--signature-only s3://models/m/ghost.tar.gz");
  EXPECT_EQ(ghost.exit_code, 0) << ghost.out << ghost.err;
  EXPECT_EQ(Verify("s3://models/m/ghost.tar.gz").exit_code, 3) << "verify-and-fetch needs the model";
}

// Attacks the admission check stops: no signature, a signer the platform does not trust.
TEST_F(SignatureOnlyTest, AnUnsignedOrUntrustedArtifactIsRefused) {
  auto unsigned_ = Verify("--signature-only s3://models/m/unsigned.tar.gz");
  EXPECT_EQ(unsigned_.exit_code, 3) << unsigned_.out;
  EXPECT_NE(Out(unsigned_)["error"].get<std::string>().find("no signature next to the artifact"), std::string::npos)
      << unsigned_.out;
  auto untrusted = Verify("--signature-only s3://models/m/good.tar.gz", OtherPublicKey());
  EXPECT_EQ(untrusted.exit_code, 5) << untrusted.out;
  // Mutation: the trusted key verifies the same signature.
  EXPECT_EQ(Verify("--signature-only s3://models/m/good.tar.gz").exit_code, 0);
}

// A valid bundle next to other bytes: admission sees a trusted signer of the good digest (and
// says which digest), a digest pin refuses it, and verify-and-fetch refuses the bytes.
TEST_F(SignatureOnlyTest, ATamperedModelIsCaughtByItsPinOrByTheVerifier) {
  std::string good = OpensslHex(data_->File("good.tar.gz")), tampered = OpensslHex(data_->File("tampered.tar.gz"));
  auto r = Verify("--signature-only s3://models/m/tampered.tar.gz");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Out(r)["sha256"], good) << "what the signature signs, not the bytes there";
  auto pinned = Verify("--signature-only --expected-sha256 " + tampered + " s3://models/m/tampered.tar.gz");
  EXPECT_EQ(pinned.exit_code, 5) << pinned.out;
  EXPECT_NE(Out(pinned)["error"].get<std::string>().find("pin mismatch"), std::string::npos) << pinned.out;
  auto full = Verify("s3://models/m/tampered.tar.gz");
  EXPECT_EQ(full.exit_code, 5) << full.out;
  EXPECT_NE(Out(full)["error"].get<std::string>().find("messageDigest does not match"), std::string::npos) << full.out;
}

// A legacy .sig carries no digest: checkable without the model only against a pin.
TEST_F(SignatureOnlyTest, ADigestlessSignatureNeedsAPin) {
  std::string digest = OpensslHex(data_->File("legacy.tar.gz"));
  auto bare = Verify("--signature-only s3://models/m/legacy.tar.gz");
  EXPECT_EQ(bare.exit_code, 5) << bare.out;
  EXPECT_NE(Out(bare)["error"].get<std::string>().find("carries no digest"), std::string::npos) << bare.out;
  auto pinned = Verify("--signature-only --expected-sha256 sha256:" + digest + " s3://models/m/legacy.tar.gz");
  EXPECT_EQ(pinned.exit_code, 0) << pinned.out;
  EXPECT_EQ(Out(pinned)["sha256"], digest);
  std::string wrong(64, '0');
  EXPECT_EQ(Verify("--signature-only --expected-sha256 " + wrong + " s3://models/m/legacy.tar.gz").exit_code, 5);
}

}  // namespace
}  // namespace aegis::testing
