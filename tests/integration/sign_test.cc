// The producer side, end to end with independent checkers: `aegis sign` output is verified
// by the openssl CLI (and by verify-and-fetch), keys come from `openssl genpkey` in every
// PEM flavour, Vault signing goes to the in-test Vault, `aegis sign --oms` is compared
// with the real model_signing fixtures' structure, and `aegis pack` output is inspected
// with GNU tar and compared byte for byte across differently created trees.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "support/vault_server.h"

namespace aegis::testing {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::string Unbase64(const std::string& b64, const std::string& dir, const std::string& name) {
  WriteFile(dir + "/" + name + ".b64", b64);
  auto r = RunShell("base64 -d " + name + ".b64 > " + name, dir);
  EXPECT_EQ(r.exit_code, 0);
  return dir + "/" + name;
}

class SignTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.File("src"));
    WriteFile(dir_.File("src/weights.bin"), std::string(70000, 'q') + "artifact");
    Sh("tar czf model.tar.gz -C src . && rm -r src");
  }
  void Sh(const std::string& cmd) {
    auto r = RunShell(cmd, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
  }
  // openssl's verdict on the bundle's signature over model.tar.gz.
  int OpensslVerify(const std::string& pub, const std::string& dgst_flag) {
    json b = json::parse(ReadFile(dir_.File("model.tar.gz.sigstore.json")));
    Unbase64(b["messageSignature"]["signature"], dir_.path(), "sig.der");
    std::string cmd = dgst_flag == "ed25519" ? "openssl pkeyutl -verify -pubin -inkey " + pub + " -rawin -in model.tar.gz -sigfile sig.der"
                                             : "openssl dgst " + dgst_flag + " -verify " + pub + " -signature sig.der model.tar.gz";
    return RunShell(cmd, dir_.path()).exit_code;
  }
  RunResult Vaf(const std::string& args) {
    fs::remove_all(dir_.File("out"));
    return RunShell(std::string("env -i PATH=/usr/bin:/bin ") + VAF_BIN + " --termination-log tl " + args + " model.tar.gz out", dir_.path());
  }
  TempDir dir_;
};

struct KeyCase {
  const char* name;
  const char* make;  // shell: writes k.pem (private) and pub.pem
  const char* dgst;  // openssl dgst flag for the check, or "ed25519"
};

const KeyCase kKeyCases[] = {
    {"p256_pkcs8", "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem", "-sha256"},
    {"p256_sec1", "openssl ecparam -name prime256v1 -genkey -noout -out k.pem", "-sha256"},
    {"p384", "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out k.pem", "-sha384"},
    {"p521", "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out k.pem", "-sha512"},
    {"rsa_pkcs8", "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem", "-sha256"},
    {"rsa_pkcs1", "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k8.pem && openssl rsa -in k8.pem -traditional -out k.pem",
     "-sha256"},
    {"ed25519", "openssl genpkey -algorithm ED25519 -out k.pem", "ed25519"},
};

class SignKeyTest : public SignTest, public ::testing::WithParamInterface<KeyCase> {};

TEST_P(SignKeyTest, BundleVerifiesWithOpensslVerifyAndFetchAndAegisVerify) {
  Sh(std::string(GetParam().make) + " 2>/dev/null && openssl pkey -in k.pem -pubout -out pub.pem");
  auto s = RunAegis("sign model.tar.gz --key k.pem", dir_.path());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(s.out, "model.tar.gz.sigstore.json\n");
  json b = json::parse(ReadFile(dir_.File("model.tar.gz.sigstore.json")));
  EXPECT_EQ(b["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
  EXPECT_EQ(OpensslVerify("pub.pem", GetParam().dgst), 0) << "openssl rejects aegis sign's signature";
  auto placed = Vaf("--key pub.pem");
  EXPECT_EQ(placed.exit_code, 0) << placed.err;
  EXPECT_EQ(RunAegis("verify model.tar.gz --key pub.pem", dir_.path()).exit_code, 0);
  // And the signature is bound to these bytes.
  WriteFile(dir_.File("model.tar.gz"), ReadFile(dir_.File("model.tar.gz")) + "!");
  EXPECT_NE(OpensslVerify("pub.pem", GetParam().dgst), 0);
  EXPECT_EQ(RunAegis("verify model.tar.gz --key pub.pem", dir_.path()).exit_code, 5);
}

INSTANTIATE_TEST_SUITE_P(Sign, SignKeyTest, ::testing::ValuesIn(kKeyCases), [](const auto& param_info) { return std::string(param_info.param.name); });
void PrintTo(const KeyCase& k, std::ostream* os) { *os << k.name; }

TEST_F(SignTest, EncryptedKeysNeedTheirPassword) {
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass pass:correct-horse -out k.pem && "
     "openssl pkey -in k.pem -passin pass:correct-horse -pubout -out pub.pem");
  ASSERT_NE(ReadFile(dir_.File("k.pem")).find("ENCRYPTED"), std::string::npos);
  auto none = RunAegis("sign model.tar.gz --key k.pem", dir_.path());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("encrypted"), std::string::npos) << none.err;
  WriteFile(dir_.File("pw"), "wrong\n");
  auto wrong = RunAegis("sign model.tar.gz --key k.pem --password-file pw", dir_.path());
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_.File("model.tar.gz.sigstore.json")));
  WriteFile(dir_.File("pw"), "correct-horse\n");
  ASSERT_EQ(RunAegis("sign model.tar.gz --key k.pem --password-file pw", dir_.path()).exit_code, 0);
  EXPECT_EQ(OpensslVerify("pub.pem", "-sha256"), 0);
  fs::remove(dir_.File("model.tar.gz.sigstore.json"));
  auto env = RunShell("AEGIS_PASSWORD=correct-horse " + std::string(AEGIS_BIN) + " sign model.tar.gz --key k.pem", dir_.path());
  EXPECT_EQ(env.exit_code, 0) << env.err;
  EXPECT_EQ(env.err.find("correct-horse"), std::string::npos);
}

TEST_F(SignTest, UsageErrors) {
  EXPECT_EQ(RunAegis("sign model.tar.gz", dir_.path()).exit_code, 2) << "no key";
  EXPECT_EQ(RunAegis("sign nope.tar.gz --key k.pem", dir_.path()).exit_code, 2);
  WriteFile(dir_.File("k.pem"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
  auto bad = RunAegis("sign model.tar.gz --key k.pem", dir_.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("k.pem"), std::string::npos) << bad.err;
}

// The output never replaces an input (a private key was once destroyed so), and only regular
// files are signed: a FIFO would block, a pipe has no stable bytes (Ed25519 signed the empty
// message).
TEST_F(SignTest, OutputNeverOverwritesAnInputAndOnlyFilesAreSigned) {
  Sh("openssl genpkey -algorithm ed25519 -out k.pem");
  const std::string key = ReadFile(dir_.File("k.pem"));
  const std::string artifact = ReadFile(dir_.File("model.tar.gz"));
  for (const char* out : {"k.pem", "./k.pem", "model.tar.gz"}) {
    SCOPED_TRACE(out);
    auto r = RunAegis(std::string("sign model.tar.gz --key k.pem -o ") + out, dir_.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("would overwrite the input"), std::string::npos) << r.err;
  }
  fs::create_symlink("k.pem", dir_.File("alias.pem"));
  EXPECT_EQ(RunAegis("sign model.tar.gz --key k.pem -o alias.pem", dir_.path()).exit_code, 2) << "a link to the key is the key";
  EXPECT_EQ(ReadFile(dir_.File("k.pem")), key);
  EXPECT_EQ(ReadFile(dir_.File("model.tar.gz")), artifact);
  Sh("mkfifo fifo");
  auto fifo = RunAegis("sign fifo --key k.pem", dir_.path());  // would block forever before
  EXPECT_EQ(fifo.exit_code, 2);
  EXPECT_NE(fifo.err.find("not a regular file"), std::string::npos) << fifo.err;
  auto pipe = RunShell(std::string("printf data | ") + AEGIS_BIN + " sign /dev/stdin --key k.pem -o p.json", dir_.path());
  EXPECT_EQ(pipe.exit_code, 2) << pipe.err;
  EXPECT_FALSE(fs::exists(dir_.File("p.json")));
}

// cosign's encrypted key format, malformed in each part: a clear error naming the file,
// never a crash (real cosign keys are in tests/interop/cosign_test.sh).
TEST_F(SignTest, MalformedCosignKeysAreRefusedWithTheFileNamed) {
  auto key = [&](const std::string& doc) {
    std::string b64 = RunShell("base64 -w0", dir_.path(), doc).out;
    WriteFile(dir_.File("c.key"), "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n" + b64 +
                                      "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    return RunShell("COSIGN_PASSWORD=pw " + std::string(AEGIS_BIN) + " sign model.tar.gz --key c.key", dir_.path());
  };
  const std::string kdf = R"({"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"c2FsdA=="})";
  const std::string cipher = R"({"name":"nacl/secretbox","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})";
  for (const std::string& doc :
       {std::string("not json"), R"({"kdf":{"name":"pbkdf2"},"cipher":)" + cipher + R"(,"ciphertext":"AAAA"})",
        R"({"kdf":{"name":"scrypt","params":{"N":1000,"r":8,"p":1},"salt":"c2FsdA=="},"cipher":)" + cipher + R"(,"ciphertext":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})",
        R"({"kdf":)" + kdf + R"(,"cipher":{"name":"nacl/secretbox","nonce":"AAAA"},"ciphertext":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})",
        R"({"kdf":)" + kdf + R"(,"cipher":)" + cipher + R"(,"ciphertext":"AAAA"})",
        R"({"kdf":)" + kdf + R"(,"cipher":)" + cipher + R"(,"ciphertext":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})"}) {
    auto r = key(doc);
    EXPECT_EQ(r.exit_code, 2) << doc << "\n" << r.err;
    EXPECT_NE(r.err.find("c.key"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_.File("model.tar.gz.sigstore.json")));
  }
}

TEST_F(SignTest, VaultTransitSignsWhatOpensslAndVerifyAndFetchAccept) {
  VaultServer vault;
  vault.AddKey("models", "ecdsa-p256");
  vault.AddKey("models-rsa", "rsa-2048");
  for (const char* key : {"models", "models-rsa"}) {
    SCOPED_TRACE(key);
    WriteFile(dir_.File("vault.pem"), vault.PublicKeyPem(key, 1));
    auto s = RunShell(std::string("VAULT_TOKEN=") + VaultServer::kToken + " " + AEGIS_BIN + " sign model.tar.gz --allow-insecure-http --vault-addr " +
                          vault.addr() + " --vault-key " + key,
                      dir_.path());
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(s.err.find(VaultServer::kToken), std::string::npos);
    EXPECT_EQ(OpensslVerify("vault.pem", "-sha256"), 0) << "the Vault signature is a plain DER/PKCS#1 signature";
    auto local = Vaf("--key vault.pem");
    EXPECT_EQ(local.exit_code, 0) << local.err;
    auto via_vault = RunShell(std::string("env -i PATH=/usr/bin:/bin VAULT_TOKEN=") + VaultServer::kToken + " " + VAF_BIN +
                                  " --termination-log tl --key /none --allow-insecure-http --vault-addr " + vault.addr() +
                                  " --vault-key " + key + " model.tar.gz out2",
                              dir_.path());
    EXPECT_EQ(via_vault.exit_code, 0) << via_vault.err;
    fs::remove_all(dir_.File("out2"));
    auto gate = RunShell(std::string("VAULT_TOKEN=") + VaultServer::kToken + " " + AEGIS_BIN + " verify model.tar.gz --format json --allow-insecure-http --vault-addr " +
                             vault.addr() + " --vault-key " + key,
                         dir_.path());
    EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;
    EXPECT_NE(gate.out.find("vault transit key"), std::string::npos) << gate.out;
    EXPECT_EQ(gate.out.find(VaultServer::kToken), std::string::npos);
  }
  bool prehashed = false;
  for (const auto& r : vault.Log()) {
    if (r.target == "/v1/transit/sign/models-rsa") {
      json body = json::parse(r.body);
      prehashed = body["prehashed"] == true && body["hash_algorithm"] == "sha2-256" && body["signature_algorithm"] == "pkcs1v15";
    }
  }
  EXPECT_TRUE(prehashed) << "RSA signing asks Vault for prehashed sha2-256 with pkcs1v15";
}

class OmsSignTest : public SignTest {
 protected:
  void SetUp() override {
    SignTest::SetUp();
    fs::create_directories(dir_.File("resnet/1"));
    WriteFile(dir_.File("resnet/config.pbtxt"), "name: \"resnet\"\n");
    WriteFile(dir_.File("resnet/1/model.onnx"), std::string(30000, 'o'));
    WriteFile(dir_.File("resnet/README"), "not signed");
    Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out k.pem && openssl pkey -in k.pem -pubout -out pub.pem");
  }
};

TEST_F(OmsSignTest, BundleHasTheRealModelSigningStructure) {
  auto s = RunAegis("sign --oms resnet --key k.pem --ignore-paths README", dir_.path());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  json mine = json::parse(ReadFile(dir_.File("resnet/model.sig")));
  json real = json::parse(ReadFile(SourcePath("tests/testdata/oms/v1.0.1-elliptic-key/model.sig")));
  // Same shape as model_signing's own output, key for key.
  for (const char* k : {"mediaType", "verificationMaterial", "dsseEnvelope"}) EXPECT_TRUE(mine.contains(k)) << k;
  EXPECT_EQ(mine["mediaType"], real["mediaType"]);
  // model_signing >= 1.1's verification material: the hint is hex SHA-256 of the public key's
  // PEM (its `verify key` refuses a bundle whose hint names another key); no raw key.
  auto pem_sha = RunShell("sha256sum pub.pem | cut -c1-64", dir_.path());
  EXPECT_EQ(mine["verificationMaterial"]["publicKey"]["hint"].get<std::string>() + "\n", pem_sha.out);
  EXPECT_FALSE(mine["verificationMaterial"]["publicKey"].contains("rawBytes"));
  EXPECT_TRUE(mine["verificationMaterial"]["tlogEntries"].empty());
  EXPECT_EQ(mine["dsseEnvelope"]["payloadType"], real["dsseEnvelope"]["payloadType"]);
  EXPECT_TRUE(mine["dsseEnvelope"]["signatures"][0]["keyid"].is_null());
  json st = json::parse(ReadFile(Unbase64(mine["dsseEnvelope"]["payload"], dir_.path(), "payload")));
  json real_st = json::parse(ReadFile(Unbase64(real["dsseEnvelope"]["payload"], dir_.path(), "real-payload")));
  EXPECT_EQ(st["_type"], real_st["_type"]);
  EXPECT_EQ(st["predicateType"], real_st["predicateType"]);
  EXPECT_EQ(st["subject"][0]["name"], "resnet");
  EXPECT_EQ(st["predicate"]["serialization"]["method"], "files");
  // As model_signing 1.1 records them: the ignored paths (git paths by default, model.sig).
  EXPECT_EQ(st["predicate"]["serialization"]["ignore_paths"],
            json::parse(R"([".git", ".gitattributes", ".github", ".gitignore", "README", "model.sig"])"));
  std::vector<std::string> names;
  for (const auto& r : st["predicate"]["resources"]) names.push_back(r["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"1/model.onnx", "config.pbtxt"}));
  // The subject digest is SHA-256 over the concatenated raw digests (checked with openssl).
  auto concat = RunShell("cat resnet/1/model.onnx | openssl dgst -sha256 -binary > d && cat resnet/config.pbtxt | "
                         "openssl dgst -sha256 -binary >> d && openssl dgst -sha256 -r d | cut -c1-64",
                         dir_.path());
  EXPECT_EQ(st["subject"][0]["digest"]["sha256"].get<std::string>() + "\n", concat.out);
}

TEST_F(OmsSignTest, FileNamesThatAreNotUtf8AreRefusedWithTheFileNamed) {
  WriteFile(dir_.File("resnet/1/w\xff.bin"), "weights");
  auto s = RunAegis("sign --oms resnet --key k.pem", dir_.path());
  EXPECT_EQ(s.exit_code, 2) << s.err;  // found by the verify-then-place fuzzer: the statement dump threw
  EXPECT_NE(s.err.find("not valid UTF-8"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find("w\\xff.bin"), std::string::npos) << "the file, escaped: " << s.err;
  EXPECT_FALSE(fs::exists(dir_.File("resnet/model.sig")));
}

// Domain separation: a DSSE signature is over PAE(type, payload). Taken out of a model-signing
// bundle and put into a message-signature bundle for an "artifact" whose bytes are that PAE,
// it is a valid ECDSA-SHA256 signature over the artifact. Neither side accepts that: the
// verifier refuses an artifact that is a PAE encoding, and `aegis sign` refuses to sign one.
TEST_F(OmsSignTest, AnEnvelopeSignatureIsNeverAnArtifactSignature) {
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k256.pem && openssl pkey -in k256.pem -pubout -out pub256.pem");
  ASSERT_EQ(RunAegis("sign --oms resnet --key k256.pem", dir_.path()).exit_code, 0);
  json oms = json::parse(ReadFile(dir_.File("resnet/model.sig")));
  std::string type = oms["dsseEnvelope"]["payloadType"];
  std::string payload = ReadFile(Unbase64(oms["dsseEnvelope"]["payload"], dir_.path(), "payload"));
  WriteFile(dir_.File("model.tar.gz"), "DSSEv1 " + std::to_string(type.size()) + " " + type + " " + std::to_string(payload.size()) + " " + payload);
  auto digest = RunShell("openssl dgst -sha256 -binary model.tar.gz | base64 -w0", dir_.path());
  json forged = {{"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
                 {"verificationMaterial", {{"publicKey", {{"hint", ""}}}}},
                 {"messageSignature", {{"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", digest.out}}},
                                       {"signature", oms["dsseEnvelope"]["signatures"][0]["sig"]}}}};
  WriteFile(dir_.File("model.tar.gz.sigstore.json"), forged.dump());
  // The forged bundle is a valid signature over those bytes (openssl agrees)…
  Unbase64(oms["dsseEnvelope"]["signatures"][0]["sig"], dir_.path(), "sig.der");
  EXPECT_EQ(RunShell("openssl dgst -sha256 -verify pub256.pem -signature sig.der model.tar.gz", dir_.path()).exit_code, 0);
  // …and still refused as an artifact signature.
  auto r = Vaf("--key pub256.pem --artifact-type file");
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("DSSE"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.File("out/model.tar.gz")));
  auto verify = RunAegis("verify model.tar.gz --key pub256.pem", dir_.path());
  EXPECT_EQ(verify.exit_code, 5) << verify.err;
  auto sign = RunAegis("sign model.tar.gz --key k256.pem --output again.json", dir_.path());
  EXPECT_EQ(sign.exit_code, 2) << sign.err;
  EXPECT_NE(sign.err.find("DSSE"), std::string::npos) << sign.err;
}

TEST_F(OmsSignTest, VerifyAndFetchAcceptsItAndRejectsTamperedTrees) {
  ASSERT_EQ(RunAegis("sign --oms resnet --key k.pem --ignore-paths README", dir_.path()).exit_code, 0);
  EXPECT_EQ(RunAegis("verify resnet --key pub.pem --ignore-paths README --expected-name resnet", dir_.path()).exit_code, 0);
  auto pinned = RunAegis("verify resnet --key pub.pem --ignore-paths README --expected-sha256 " + std::string(64, 'a'), dir_.path());
  EXPECT_EQ(pinned.exit_code, 2) << "a pin that cannot apply is refused, not ignored";
  EXPECT_NE(pinned.err.find("--expected-sha256"), std::string::npos) << pinned.err;
  fs::remove(dir_.File("resnet/README"));
  ASSERT_EQ(RunAegis("pack resnet model.tar.gz", dir_.path()).exit_code, 0);
  fs::remove(dir_.File("model.tar.gz.sigstore.json"));
  auto ok = Vaf("--key pub.pem --expected-name resnet");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(dir_.File("out/1/model.onnx")));

  for (const char* change : {"echo changed > resnet/config.pbtxt", "echo added > resnet/new.bin", "rm resnet/1/model.onnx"}) {
    SCOPED_TRACE(change);
    fs::remove_all(dir_.File("tampered"));
    fs::copy(dir_.File("resnet"), dir_.File("tampered"), fs::copy_options::recursive);
    Sh(std::string(change).replace(std::string(change).find("resnet"), 6, "tampered"));
    EXPECT_EQ(RunAegis("verify tampered --key pub.pem", dir_.path()).exit_code, 5);
    ASSERT_EQ(RunAegis("pack tampered model.tar.gz", dir_.path()).exit_code, 0);
    auto r = Vaf("--key pub.pem");
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_FALSE(fs::exists(dir_.File("out/config.pbtxt")));
  }
}

TEST_F(SignTest, AegisVerifyReportsLikeTheInitContainer) {
  Sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem && openssl pkey -in k.pem -pubout -out pub.pem");
  EXPECT_EQ(RunAegis("verify model.tar.gz --key pub.pem", dir_.path()).exit_code, 3) << "no signature yet";
  EXPECT_EQ(RunAegis("verify model.tar.gz", dir_.path()).exit_code, 7) << "no trust material";
  ASSERT_EQ(RunAegis("sign model.tar.gz --key k.pem", dir_.path()).exit_code, 0);
  auto ok = RunAegis("verify model.tar.gz --key pub.pem --format json", dir_.path());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  json j = json::parse(ok.out);
  EXPECT_EQ(j["verified"], true);
  EXPECT_EQ(j["format"], "sigstore-bundle");
  EXPECT_EQ(j["sha256"].get<std::string>().size(), 64u);
  auto pin = RunAegis("verify model.tar.gz --key pub.pem --format json --expected-sha256 " + std::string(64, '0'), dir_.path());
  EXPECT_EQ(pin.exit_code, 5);
  json jp = json::parse(pin.out);
  EXPECT_EQ(jp["verified"], false);
  EXPECT_EQ(jp["exitCode"], 5);
  EXPECT_NE(jp["error"].get<std::string>().find("pin mismatch"), std::string::npos);
  // The temporary model directory is gone afterwards.
  fs::create_directories(dir_.File("tmp"));
  auto again = RunShell("TMPDIR=" + dir_.File("tmp") + " " + AEGIS_BIN + " verify model.tar.gz --key pub.pem", dir_.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(fs::is_empty(dir_.File("tmp")));
}

// ---- aegis pack ----

class PackTest : public ::testing::Test {
 protected:
  // The same logical tree, created in a given order with given timestamps and modes.
  void MakeTree(const std::string& root, bool reverse, long mtime, unsigned file_mode) {
    std::vector<std::pair<std::string, std::string>> files = {
        {"a.txt", "alpha"}, {"sub/b.bin", std::string(5000, 'b')}, {"sub/deeper/c.json", "{}"},
        {std::string(120, 'n') + "/long-name-" + std::string(60, 'x') + ".bin", "long"}};
    if (reverse) std::reverse(files.begin(), files.end());
    for (const auto& [name, data] : files) {
      fs::create_directories(fs::path(root + "/" + name).parent_path());
      WriteFile(root + "/" + name, data);
      chmod((root + "/" + name).c_str(), file_mode);
    }
    fs::create_symlink("b.bin", root + "/sub/link-to-b");
    chmod((root + "/a.txt").c_str(), 0755);
    RunShell("find " + root + " -exec touch -h -d @" + std::to_string(mtime) + " {} +");
  }
  TempDir dir_;
};

TEST_F(PackTest, SameTreeSameBytesWhateverTheCreationOrderTimesAndModes) {
  MakeTree(dir_.File("one"), false, 1000000000, 0644);
  MakeTree(dir_.File("two"), true, 1700000000, 0600);
  auto a = RunAegis("pack one one.tar.gz", dir_.path());
  auto b = RunAegis("pack two two.tar.gz", dir_.path());
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  std::string one = ReadFile(dir_.File("one.tar.gz")), two = ReadFile(dir_.File("two.tar.gz"));
  EXPECT_EQ(one, two) << "not deterministic";
  EXPECT_EQ(one.substr(0, 2), std::string("\x1f\x8b", 2));
  EXPECT_EQ(one.substr(4, 4), std::string(4, '\0')) << "the gzip header carries no timestamp";
  EXPECT_EQ(a.out.substr(0, 64), b.out.substr(0, 64));
  // GNU tar's view: sorted names, owner 0/0, epoch 0, normalised modes, the symlink kept.
  auto list = RunShell("tar --numeric-owner -tvzf one.tar.gz", dir_.path());
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("-rwxr-xr-x 0/0               5 1970-01-01 00:00 a.txt"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("-rw-r--r-- 0/0            5000 1970-01-01 00:00 sub/b.bin"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("link-to-b -> b.bin"), std::string::npos) << list.out;
  EXPECT_LT(list.out.find(" a.txt"), list.out.find(" sub/b.bin"));
  auto names = RunShell("tar -tzf one.tar.gz", dir_.path());
  std::string sorted = RunShell("tar -tzf one.tar.gz | LC_ALL=C sort", dir_.path()).out;
  EXPECT_EQ(names.out, sorted);
  // SOURCE_DATE_EPOCH sets the timestamps instead.
  auto sde = RunShell("SOURCE_DATE_EPOCH=1234567890 " + std::string(AEGIS_BIN) + " pack one sde.tar.gz && tar --numeric-owner -tvzf sde.tar.gz",
                      dir_.path());
  EXPECT_NE(sde.out.find("2009-02-13"), std::string::npos) << sde.out;
}

TEST_F(PackTest, RefusesEscapingSymlinksAndSpecialFilesWithoutWritingOutput) {
  fs::create_directories(dir_.File("m"));
  WriteFile(dir_.File("m/ok"), "x");
  fs::create_symlink("../../etc/passwd", dir_.File("m/escape"));
  auto r = RunAegis("pack m out.tar.gz", dir_.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("leaves the model directory"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.File("out.tar.gz")));
  fs::remove(dir_.File("m/escape"));
  fs::create_symlink("/etc/passwd", dir_.File("m/absolute"));
  EXPECT_EQ(RunAegis("pack m out.tar.gz", dir_.path()).exit_code, 2);
  fs::remove(dir_.File("m/absolute"));
  // A chain: each link inside lexically, together outside.
  fs::create_directories(dir_.File("m/d"));
  fs::create_symlink("..", dir_.File("m/d/up"));
  fs::create_symlink("d/up/d/up/../../x", dir_.File("m/chain"));
  auto chain = RunAegis("pack m out.tar.gz", dir_.path());
  EXPECT_EQ(chain.exit_code, 2);
  EXPECT_NE(chain.err.find("m/chain"), std::string::npos) << chain.err;
  EXPECT_FALSE(fs::exists(dir_.File("out.tar.gz")));
  fs::remove(dir_.File("m/chain"));
  fs::remove(dir_.File("m/d/up"));
  ASSERT_EQ(mkfifo(dir_.File("m/pipe").c_str(), 0644), 0);
  auto fifo = RunAegis("pack m out.tar.gz", dir_.path());
  EXPECT_EQ(fifo.exit_code, 2);
  EXPECT_NE(fifo.err.find("special file"), std::string::npos) << fifo.err;
  EXPECT_FALSE(fs::exists(dir_.File("out.tar.gz")));
  for (const auto& e : fs::directory_iterator(dir_.path())) EXPECT_EQ(e.path().filename().string().find(".aegis-pack-"), std::string::npos);
}

}  // namespace
}  // namespace aegis::testing
