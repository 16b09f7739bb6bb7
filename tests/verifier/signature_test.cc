// Signature formats A, B and D against signatures made by independent tools: the openssl
// CLI for every key type, and the real model_signing bundles in tests/testdata/oms.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "verifier/common/verify_error.h"
#include "verifier/trust/signature.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

struct KeyCase {
  const char* name;
  const char* genpkey;  // openssl genpkey arguments
  const char* sign;     // openssl dgst options
};

const KeyCase kKeys[] = {
    {"p256", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256", "-sha256"},
    {"p384", "-algorithm EC -pkeyopt ec_paramgen_curve:P-384", "-sha384"},
    {"p384_sha256", "-algorithm EC -pkeyopt ec_paramgen_curve:P-384", "-sha256"},  // cosign <= 3.1.2
    {"p521", "-algorithm EC -pkeyopt ec_paramgen_curve:P-521", "-sha512"},
    {"p521_sha256", "-algorithm EC -pkeyopt ec_paramgen_curve:P-521", "-sha256"},
    {"rsa_pkcs1", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048", "-sha256"},
    {"rsa_pss", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048",
     "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1"},
};

class SignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveCommand("openssl")) AEGIS_SKIP_WITHOUT_PEER("the openssl CLI is not installed");
    WriteFile(d_.File("artifact.tar.gz"), std::string(300000, 'm') + "model bytes");
  }
  void Sh(const std::string& cmd) {
    auto r = RunShell(cmd, d_.path());
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
  }
  Digests DigestsOf(const std::string& file) {
    MultiHasher h;
    h.Update(ReadFile(d_.File(file)));
    return h.Final();
  }
  std::vector<TrustedKey> Keys(const std::string& path) {
    auto k = LoadTrustedKeys(d_.File(path));
    EXPECT_TRUE(k.ok()) << k.error().Describe();
    return k.ok() ? *k : std::vector<TrustedKey>{};
  }
  // A cosign-style bundle (format A) around a DER signature file.
  std::string Bundle(const std::string& sig_file, const std::string& artifact, const std::string& hint) {
    nlohmann::json b = {
        {"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
        {"verificationMaterial", {{"publicKey", {{"hint", hint}}}}},
        {"messageSignature",
         {{"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", Base64Encode(Sha256(ReadFile(d_.File(artifact))))}}},
          {"signature", Base64Encode(ReadFile(d_.File(sig_file)))}}}};
    return b.dump();
  }
  TempDir d_;
};

TEST_F(SignatureTest, EveryKeyTypeVerifiesAsBundleAndLegacySignature) {
  for (const KeyCase& k : kKeys) {
    SCOPED_TRACE(k.name);
    std::string key = std::string(k.name) + ".key", pub = std::string(k.name) + ".pub";
    Sh(std::string("openssl genpkey ") + k.genpkey + " -out " + key + " 2>/dev/null");
    Sh("openssl pkey -in " + key + " -pubout -out " + pub);
    Sh(std::string("openssl dgst ") + k.sign + " -sign " + key + " -out sig.der artifact.tar.gz");
    Sh("openssl base64 -in sig.der -out artifact.tar.gz.sig");  // wrapped at 64 columns
    auto keys = Keys(pub);
    Digests good = DigestsOf("artifact.tar.gz");

    auto bundle = ParseSignatureFile(Bundle("sig.der", "artifact.tar.gz", keys[0].hint));
    ASSERT_TRUE(bundle.ok());
    EXPECT_EQ(bundle->format, SignatureFile::Format::kBundleMessage);
    EXPECT_TRUE(VerifyArtifact(*bundle, good, keys).ok());
    auto legacy = ParseSignatureFile(ReadFile(d_.File("artifact.tar.gz.sig")));
    ASSERT_TRUE(legacy.ok());
    EXPECT_EQ(legacy->format, SignatureFile::Format::kLegacy);
    auto v = VerifyArtifact(*legacy, good, keys);
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_NE(v->notes.find("binds no metadata"), std::string::npos);

    // A flipped artifact byte, a flipped signature byte: both fail.
    std::string tampered = ReadFile(d_.File("artifact.tar.gz"));
    tampered[1000] ^= 1;
    MultiHasher h;
    h.Update(tampered);
    auto bad = VerifyArtifact(*legacy, h.Final(), keys);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, VerifyError::kSignature);
    SignatureFile flipped = *legacy;
    flipped.signature[flipped.signature.size() / 2] ^= 0x40;
    EXPECT_FALSE(VerifyArtifact(flipped, good, keys).ok());
  }
}

TEST_F(SignatureTest, WrongKeyFailsAndRotationFindsTheRightOne) {
  Sh("mkdir keys && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signer.key");
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key");
  Sh("openssl pkey -in other.key -pubout -out keys/a-old.pem && openssl pkey -in signer.key -pubout -out keys/b-new.pub");
  Sh("openssl dgst -sha256 -sign signer.key -out sig.der artifact.tar.gz");
  auto all = Keys("keys");
  ASSERT_EQ(all.size(), 2u);
  auto only_old = Keys("keys/a-old.pem");
  // The hint names the wrong key: it only reorders, the right key still verifies.
  auto sig = ParseSignatureFile(Bundle("sig.der", "artifact.tar.gz", only_old[0].hint));
  ASSERT_TRUE(sig.ok());
  auto v = VerifyArtifact(*sig, DigestsOf("artifact.tar.gz"), all);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_NE(v->key.find("b-new.pub"), std::string::npos);
  auto wrong = VerifyArtifact(*sig, DigestsOf("artifact.tar.gz"), only_old);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("does not verify"), std::string::npos);
}

TEST_F(SignatureTest, BundleDigestThatLiesIsRejected) {
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.key && openssl pkey -in k.key -pubout -out k.pub");
  WriteFile(d_.File("other"), "a different artifact");
  Sh("openssl dgst -sha256 -sign k.key -out sig.der artifact.tar.gz");
  auto sig = ParseSignatureFile(Bundle("sig.der", "other", ""));
  ASSERT_TRUE(sig.ok());
  auto v = VerifyArtifact(*sig, DigestsOf("artifact.tar.gz"), Keys("k.pub"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("messageDigest does not match"), std::string::npos);
}

TEST_F(SignatureTest, Ed25519AndPkcs1PublicKeys) {
  Sh("openssl genpkey -algorithm ED25519 -out ed.key && openssl pkey -in ed.key -pubout -out ed.pub");
  WriteFile(d_.File("msg"), "DSSEv1 28 application/vnd.in-toto+json 2 {}");
  Sh("openssl pkeyutl -sign -inkey ed.key -rawin -in msg -out ed.sig");
  auto ed = Keys("ed.pub");
  ASSERT_EQ(ed[0].type, KeyType::kEd25519);
  EXPECT_TRUE(VerifyMessage(ed[0], ReadFile(d_.File("msg")), ReadFile(d_.File("ed.sig"))));
  EXPECT_FALSE(VerifyMessage(ed[0], "other", ReadFile(d_.File("ed.sig"))));
  Sh("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out r.key && "
     "openssl rsa -in r.key -RSAPublicKey_out -out r1.pem 2>/dev/null");
  ASSERT_NE(ReadFile(d_.File("r1.pem")).find("BEGIN RSA PUBLIC KEY"), std::string::npos);
  Sh("openssl dgst -sha256 -sign r.key -out r.sig artifact.tar.gz");
  auto rsa = Keys("r1.pem");
  EXPECT_EQ(rsa[0].type, KeyType::kRsa);
  EXPECT_TRUE(VerifyDigests(rsa[0], DigestsOf("artifact.tar.gz"), ReadFile(d_.File("r.sig"))));
}

// A key directory is a Secret volume (keys are symlinks into ..data): a looping link is
// reported as one problem, the other keys still load.
TEST_F(SignatureTest, LoopingKeyLinkInADirectoryIsAProblemNotACrash) {
  fs::create_directories(d_.File("keys"));
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.key && openssl pkey -in k.key -pubout -out keys/good.pem");
  fs::create_symlink("loop.pem", d_.File("keys/loop.pem"));
  auto keys = LoadTrustedKeys(d_.File("keys"));
  ASSERT_TRUE(keys.ok()) << keys.error().Describe();
  EXPECT_EQ(keys->size(), 1u);
  fs::remove(d_.File("keys/good.pem"));
  auto none = LoadTrustedKeys(d_.File("keys"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, VerifyError::kTrust);
}

TEST_F(SignatureTest, RsaKeysUnder2048BitsAreNotTrusted) {
  Sh("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out weak.key 2>/dev/null && "
     "openssl pkey -in weak.key -pubout -out weak.pub");
  auto weak = LoadTrustedKeys(d_.File("weak.pub"));
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().kind, VerifyError::kTrust);
  EXPECT_NE(weak.error().Describe().find("1024 bits is too weak"), std::string::npos) << weak.error().Describe();
}

TEST_F(SignatureTest, Ed25519LegacySignatureOverTheWholeArtifactFile) {
  // Pure Ed25519 signs the message itself, not a digest: the artifact file is mapped.
  Sh("openssl genpkey -algorithm ED25519 -out ed.key && openssl pkey -in ed.key -pubout -out ed.pub && "
     "openssl pkeyutl -sign -inkey ed.key -rawin -in artifact.tar.gz | base64 -w0 > artifact.tar.gz.sig");
  auto sig = ParseSignatureFile(ReadFile(d_.File("artifact.tar.gz.sig")));
  ASSERT_TRUE(sig.ok());
  auto keys = Keys("ed.pub");
  auto v = VerifyArtifact(*sig, DigestsOf("artifact.tar.gz"), keys, d_.File("artifact.tar.gz"));
  ASSERT_TRUE(v.ok()) << v.error().Describe();
  EXPECT_FALSE(VerifyArtifact(*sig, DigestsOf("artifact.tar.gz"), keys).ok()) << "without the file there is nothing to check";
  WriteFile(d_.File("artifact.tar.gz"), ReadFile(d_.File("artifact.tar.gz")) + "x");
  EXPECT_FALSE(VerifyArtifact(*sig, DigestsOf("artifact.tar.gz"), keys, d_.File("artifact.tar.gz")).ok());
}

TEST_F(SignatureTest, OnlyTheDigestsTheKeysNeedAreComputed) {
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out a.key && openssl pkey -in a.key -pubout -out a.pub");
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out b.key && openssl pkey -in b.key -pubout -out b.pub");
  DigestSet p256 = NeededDigests(Keys("a.pub"));
  EXPECT_FALSE(p256.sha384 || p256.sha512);
  std::vector<TrustedKey> both = Keys("a.pub");
  both.push_back(Keys("b.pub")[0]);
  DigestSet mixed = NeededDigests(both);
  EXPECT_TRUE(mixed.sha384);
  EXPECT_FALSE(mixed.sha512);
  MultiHasher h(p256);
  h.Update("abc");
  Digests d = h.Final();
  EXPECT_EQ(Hex(d.sha256), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(d.sha384.empty() && d.sha512.empty());
}

TEST_F(SignatureTest, NoUsableKeyIsATrustError) {
  fs::create_directories(d_.File("empty"));
  EXPECT_EQ(LoadTrustedKeys(d_.File("empty")).error().kind, VerifyError::kTrust);
  EXPECT_EQ(LoadTrustedKeys(d_.File("missing")).error().kind, VerifyError::kTrust);
  WriteFile(d_.File("junk.pem"), "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n");
  EXPECT_EQ(LoadTrustedKeys(d_.File("junk.pem")).error().kind, VerifyError::kTrust);
}

TEST(SignatureFile, GarbageIsASignatureError) {
  for (const char* text : {"", "{}", "{\"mediaType\": \"text/plain\"}", "not base64!", "[1, 2]",
                           "{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\"}"}) {
    auto s = ParseSignatureFile(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.error().kind, VerifyError::kSignature);
  }
}

// The real model_signing bundles (tests/testdata/oms, see its README).
class ModelSigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(testing::SourcePath("tests/testdata/oms"), d_.File("oms"), fs::copy_options::recursive);
    auto k = LoadTrustedKeys(d_.File("oms/signing-key-pub.pem"));
    ASSERT_TRUE(k.ok()) << k.error().Describe();
    keys_ = *k;
    ASSERT_EQ(keys_[0].type, KeyType::kEcP384);
  }
  Expected<Verified> Verify(const std::string& bundle_dir, const std::string& tree, std::vector<std::string> ignore = {}) {
    auto sig = ParseSignatureFile(ReadFile(d_.File("oms/" + bundle_dir + "/model.sig")));
    if (!sig) return sig.error();
    return VerifyModelTree(*sig, d_.File("oms/" + tree), keys_, ignore);
  }
  void ExpectFails(const Expected<Verified>& v, const std::string& why) {
    ASSERT_FALSE(v.ok()) << "accepted, expected: " << why;
    EXPECT_EQ(v.error().kind, VerifyError::kSignature);
    EXPECT_NE(v.error().message.find(why), std::string::npos) << v.error().message;
  }
  TempDir d_;
  std::vector<TrustedKey> keys_;
};

TEST_F(ModelSigningTest, RealBundlesVerify) {
  auto single = Verify("v1.0.0-elliptic-key", "v1.0.0-elliptic-key/signme-1");
  EXPECT_TRUE(single.ok()) << single.error().message;
  auto tree = Verify("v1.0.1-elliptic-key", "v1.0.1-elliptic-key", {"ignore-me"});
  EXPECT_TRUE(tree.ok()) << tree.error().message;
}

TEST_F(ModelSigningTest, EveryTamperingFails) {
  ExpectFails(Verify("v1.0.1-elliptic-key", "v1.0.1-elliptic-key"), "ignore-me is in the tree but not signed");
  WriteFile(d_.File("oms/v1.0.1-elliptic-key/signme-2"), "changed\n");
  ExpectFails(Verify("v1.0.1-elliptic-key", "v1.0.1-elliptic-key", {"ignore-me"}), "signme-2 does not match");
  fs::remove(d_.File("oms/v1.0.1-elliptic-key/signme-2"));
  ExpectFails(Verify("v1.0.1-elliptic-key", "v1.0.1-elliptic-key", {"ignore-me"}), "signme-2 is signed but missing");
  fs::copy(testing::SourcePath("tests/testdata/oms/v1.0.1-elliptic-key/signme-2"), d_.File("oms/v1.0.1-elliptic-key/signme-2"));
  WriteFile(d_.File("oms/v1.0.1-elliptic-key/extra.bin"), "x");
  ExpectFails(Verify("v1.0.1-elliptic-key", "v1.0.1-elliptic-key", {"ignore-me"}), "extra.bin is in the tree but not signed");
}

TEST_F(ModelSigningTest, EditedPayloadAndWrongKeyFail) {
  std::string path = d_.File("oms/v1.0.1-elliptic-key/model.sig");
  auto bundle = nlohmann::json::parse(ReadFile(path));
  auto payload = Base64Decode(bundle["dsseEnvelope"]["payload"].get<std::string>());
  ASSERT_TRUE(payload.ok());
  std::string edited = *payload;
  edited.replace(edited.find("signme-2"), 8, "signme-3");
  bundle["dsseEnvelope"]["payload"] = Base64Encode(edited);
  WriteFile(path, bundle.dump());
  ExpectFails(Verify("v1.0.1-elliptic-key", "v1.0.1-elliptic-key", {"ignore-me"}), "does not verify");
  // The bundle carries its own key (rawBytes): never trusted. A different trusted key fails.
  auto r = RunShell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out o.key && "
                    "openssl pkey -in o.key -pubout -out o.pub", d_.path());
  ASSERT_EQ(r.exit_code, 0);
  keys_ = *LoadTrustedKeys(d_.File("o.pub"));
  ExpectFails(Verify("v1.0.0-elliptic-key", "v1.0.0-elliptic-key/signme-1"), "does not verify");
}

}  // namespace
}  // namespace aegis::verifier

namespace aegis::verifier {
namespace {

// Found by the signature fuzzer: padding-only input underflowed the decoded length.
TEST(Base64, PaddingIsValidatedStrictly) {
  for (const char* bad : {"====", "A===", "=AAA", "AA=A", "AAA", "AA==AA=="}) EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  EXPECT_EQ(*Base64Decode("QUJD"), "ABC");
  EXPECT_EQ(*Base64Decode("QUI="), "AB");
  EXPECT_EQ(*Base64Decode("QQ==\n"), "A");
  EXPECT_EQ(Base64Encode("AB"), "QUI=");
}

}  // namespace
}  // namespace aegis::verifier
