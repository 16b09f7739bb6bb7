// verify-and-fetch with Vault transit (format C and Vault-made A signatures) against the
// in-test Vault (support/vault_server.h: Vault's transit and Kubernetes auth paths, JSON
// and status codes, real OpenSSL crypto). Signatures are requested with the curl CLI the
// way the seed's script did (`vault write transit/sign/KEY input=…`), not with our code.
#include <gtest/gtest.h>

#include <archive_entry.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/archives.h"
#include "support/http_server.h"
#include "support/test_support.h"
#include "support/vault_server.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace aegis::testing {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

class VaultProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vault_.AddKey("models", "ecdsa-p256");
    vault_.AddKey("models-rsa", "rsa-2048");
    ASSERT_EQ(WriteArchive(dir_.File("m.tar.gz"), ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, std::string(50000, 'v')}}), "");
  }
  // base64 of the artifact's SHA-256 digest, computed by openssl.
  std::string DigestB64(const std::string& file = "m.tar.gz") {
    auto r = RunShell("openssl dgst -sha256 -binary " + file + " | base64 -w0", dir_.path());
    EXPECT_EQ(r.exit_code, 0);
    return r.out;
  }
  // POST /v1/transit/sign/KEY with curl; the raw JSON answer.
  std::string VaultSign(const std::string& key, const json& body) {
    WriteFile(dir_.File("req.json"), body.dump());
    auto r = RunShell("curl -sS -H 'X-Vault-Token: " + std::string(VaultServer::kToken) + "' --data @req.json " + vault_.addr() +
                          "/v1/transit/sign/" + key,
                      dir_.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  // The seed's .sig.json: signed without prehashed, input = base64(SHA-256(artifact)).
  void SeedSignature(const std::string& key = "models", const std::string& alg = "") {
    json body = {{"input", DigestB64()}};
    if (!alg.empty()) body["signature_algorithm"] = alg;
    WriteFile(dir_.File("m.tar.gz.sig.json"), VaultSign(key, body));
  }
  // A cosign-style bundle around a Vault signature made with prehashed: true.
  void VaultBundle(const std::string& key = "models", const std::string& alg = "") {
    json body = {{"input", DigestB64()}, {"prehashed", true}, {"hash_algorithm", "sha2-256"}};
    if (!alg.empty()) body["signature_algorithm"] = alg;
    std::string sig = json::parse(VaultSign(key, body))["data"]["signature"];
    std::string der_b64 = sig.substr(sig.find(':', 7) + 1);
    json bundle = {{"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
                   {"verificationMaterial", {{"publicKey", {{"hint", ""}}}}},
                   {"messageSignature", {{"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", DigestB64()}}}, {"signature", der_b64}}}};
    WriteFile(dir_.File("m.tar.gz.sigstore.json"), bundle.dump());
  }
  RunResult Run(const std::string& args, const std::string& env = "") {
    return RunShell("env -i PATH=/usr/bin:/bin " + env + " " + VAF_BIN + " --termination-log tl --key /nonexistent --allow-insecure-http " + args +
                        " m.tar.gz model",
                    dir_.path());
  }
  std::string VaultArgs(const std::string& key = "models") { return "--vault-addr " + vault_.addr() + " --vault-key " + key; }
  std::string Token() { return std::string("VAULT_TOKEN=") + VaultServer::kToken; }
  std::vector<HttpRequest> Requests(const std::string& prefix) {
    std::vector<HttpRequest> out;
    for (const auto& r : vault_.Log()) {
      if (r.target.rfind(prefix, 0) == 0) out.push_back(r);
    }
    return out;
  }
  void ExpectNoSecrets(const RunResult& r) {
    for (const char* s : {VaultServer::kToken, VaultServer::kLoginToken, VaultServer::kJwt}) {
      EXPECT_EQ(r.out.find(s), std::string::npos);
      EXPECT_EQ(r.err.find(s), std::string::npos) << r.err;
      if (fs::exists(dir_.File("tl"))) {
        EXPECT_EQ(ReadFile(dir_.File("tl")).find(s), std::string::npos);
      }
    }
  }
  bool Placed() { return fs::exists(dir_.File("model/model.bin")); }

  TempDir dir_;
  VaultServer vault_;
};

TEST_F(VaultProgramTest, SeedSigJsonVerifiesThroughVault) {
  SeedSignature();
  auto r = Run(VaultArgs(), Token());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Placed());
  auto verify = Requests("/v1/transit/verify/models");
  ASSERT_EQ(verify.size(), 1u);
  json body = json::parse(verify[0].body);
  EXPECT_EQ(body["input"], DigestB64());
  EXPECT_FALSE(body.contains("prehashed")) << "the seed signed without prehashed";
  EXPECT_EQ(verify[0].headers["x-vault-token"], VaultServer::kToken);
  EXPECT_NE(r.err.find("format=vault"), std::string::npos) << r.err;
  ExpectNoSecrets(r);
}

// Same rule as artifact URIs: an http:// Vault is used only on opt-in, since the token and
// the verdict would travel in clear. Without it nothing reaches the server.
TEST_F(VaultProgramTest, PlainHttpVaultNeedsTheOptIn) {
  SeedSignature();
  const size_t before = vault_.Log().size();
  for (const std::string& addr : {vault_.addr(), "HTTP://" + vault_.addr().substr(7)}) {
    auto r = RunShell("env -i PATH=/usr/bin:/bin " + Token() + " " + VAF_BIN + " --termination-log tl --key /nonexistent" +
                          " --vault-addr " + addr + " --vault-key models m.tar.gz model",
                      dir_.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--allow-insecure-http"), std::string::npos) << r.err;
    ExpectNoSecrets(r);
  }
  EXPECT_EQ(vault_.Log().size(), before) << "a request reached the http:// Vault";
  EXPECT_FALSE(Placed());
}

// A Vault (or something posing as one) answering fields of unexpected types: a reason and an
// exit code, never an uncaught nlohmann type_error.
TEST_F(VaultProgramTest, UnexpectedJsonTypesFromVaultAreAReasonNotACrash) {
  SeedSignature();
  testing::HttpServer odd([](const testing::HttpRequest&, testing::HttpConnection& c) {
    c.Respond(200, R"({"data": {"type": 5, "latest_version": "one", "keys": {"1": {"public_key": 7}}, "valid": "yes"}})",
              {"Content-Type: application/json"});
  });
  auto r = Run("--vault-addr " + odd.Url("").substr(0, odd.Url("").size() - 1) + " --vault-key models", Token());
  EXPECT_TRUE(r.exit_code == 4 || r.exit_code == 5 || r.exit_code == 7) << r.exit_code << r.err;
  EXPECT_TRUE(fs::exists(dir_.File("tl"))) << "no termination message";
  EXPECT_FALSE(Placed());
}

// Userinfo in the Vault address (any scheme case) is a credential: never printed, in the
// log lines, the error or the termination message.
TEST_F(VaultProgramTest, UserinfoInTheVaultAddressIsNeverPrinted) {
  SeedSignature();
  std::string host = vault_.addr().substr(7);
  for (const std::string& addr : {"HTTP://vaultuser:hunter2pass@" + host, "http://vaultuser:hunter2pass@" + host}) {
    SCOPED_TRACE(addr);
    auto ok = Run("--vault-addr " + addr + " --vault-key models", Token());
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    auto missing = Run("--vault-addr " + addr + " --vault-key no-such-key", Token());
    EXPECT_EQ(missing.exit_code, 7) << missing.err;
    for (const RunResult* r : {&ok, &missing}) {
      EXPECT_NE(r->err.find("<redacted>@"), std::string::npos) << r->err;
      EXPECT_EQ(r->err.find("hunter2pass"), std::string::npos) << r->err;
      EXPECT_EQ(r->err.find("vaultuser"), std::string::npos) << r->err;
    }
    EXPECT_EQ(ReadFile(dir_.File("tl")).find("hunter2pass"), std::string::npos);
  }
}

TEST_F(VaultProgramTest, SeedSigJsonVerifiesLocallyWithTheMountedPublicKey) {
  SeedSignature();
  WriteFile(dir_.File("vault.pem"), vault_.PublicKeyPem("models", 1));
  auto r = RunShell(std::string("env -i PATH=/usr/bin:/bin ") + VAF_BIN + " --termination-log tl --key vault.pem m.tar.gz model", dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Requests("/v1/transit/verify").empty() && Requests("/v1/transit/keys").empty()) << "no Vault call with a mounted key";
}

TEST_F(VaultProgramTest, PrehashedVaultSignatureInABundleIsTheSameObjectOpensslVerifies) {
  VaultBundle();
  // Independent check: openssl verifies the Vault signature over the artifact with the public key.
  WriteFile(dir_.File("vault.pem"), vault_.PublicKeyPem("models", 1));
  WriteFile(dir_.File("s.b64"), json::parse(ReadFile(dir_.File("m.tar.gz.sigstore.json")))["messageSignature"]["signature"]);
  auto ossl = RunShell("base64 -d s.b64 > s.der && openssl dgst -sha256 -verify vault.pem -signature s.der m.tar.gz", dir_.path());
  EXPECT_EQ(ossl.exit_code, 0) << ossl.out << ossl.err;
  auto r = Run(VaultArgs(), Token());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto verify = Requests("/v1/transit/verify/models");
  ASSERT_FALSE(verify.empty());
  json body = json::parse(verify.back().body);
  EXPECT_EQ(body["prehashed"], true);
  EXPECT_EQ(body["hash_algorithm"], "sha2-256");
  EXPECT_EQ(body["signature"].get<std::string>().rfind("vault:v1:", 0), 0u);
}

TEST_F(VaultProgramTest, RsaPkcs1v15AndPssBothVerifyAndTamperingIsExit5) {
  for (const char* alg : {"pkcs1v15", "pss"}) {
    SCOPED_TRACE(alg);
    fs::remove_all(dir_.File("model"));
    VaultBundle("models-rsa", alg);
    auto r = Run(VaultArgs("models-rsa"), Token());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    bool sent = false;
    for (const auto& q : Requests("/v1/transit/verify/models-rsa")) sent = sent || json::parse(q.body).value("signature_algorithm", "") == alg;
    EXPECT_TRUE(sent) << "signature_algorithm " << alg << " was sent";
  }
  fs::remove_all(dir_.File("model"));
  SeedSignature("models-rsa", "pkcs1v15");
  fs::remove(dir_.File("m.tar.gz.sigstore.json"));
  ASSERT_EQ(Run(VaultArgs("models-rsa"), Token()).exit_code, 0);
  fs::remove_all(dir_.File("model"));
  WriteFile(dir_.File("m.tar.gz"), ReadFile(dir_.File("m.tar.gz")) + "tampered");
  auto bad = Run(VaultArgs("models-rsa"), Token());
  EXPECT_EQ(bad.exit_code, 5) << bad.err;
  EXPECT_NE(ReadFile(dir_.File("tl")).find("says the signature is not valid"), std::string::npos);
  EXPECT_FALSE(Placed());
}

TEST_F(VaultProgramTest, RotatedKeyStillVerifiesOlderSignatures) {
  VaultBundle();
  vault_.Rotate("models");
  auto r = Run(VaultArgs(), Token());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("models v1"), std::string::npos) << r.err;
}

TEST_F(VaultProgramTest, KubernetesAuthLogsInWithTheServiceAccountToken) {
  SeedSignature();
  WriteFile(dir_.File("sa-token"), std::string(VaultServer::kJwt) + "\n");
  auto r = Run(VaultArgs() + " --vault-role model-fetcher --vault-jwt-file sa-token");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto login = Requests("/v1/auth/kubernetes/login");
  ASSERT_EQ(login.size(), 1u);
  EXPECT_EQ(json::parse(login[0].body)["role"], "model-fetcher");
  EXPECT_EQ(Requests("/v1/transit/verify/models").at(0).headers["x-vault-token"], VaultServer::kLoginToken);
  ExpectNoSecrets(r);

  fs::remove_all(dir_.File("model"));
  auto mount = Run(VaultArgs() + " --vault-role model-fetcher --vault-auth-mount k8s-prod --vault-jwt-file sa-token");
  EXPECT_EQ(mount.exit_code, 0) << mount.err;
  EXPECT_EQ(Requests("/v1/auth/k8s-prod/login").size(), 1u);

  auto wrong_role = Run(VaultArgs() + " --vault-role nobody --vault-jwt-file sa-token");
  EXPECT_EQ(wrong_role.exit_code, 2) << wrong_role.err;
  EXPECT_NE(ReadFile(dir_.File("tl")).find("invalid role name"), std::string::npos);
  WriteFile(dir_.File("bad-token"), "eyJ.not-the-token.sig");
  auto denied = Run(VaultArgs() + " --vault-role model-fetcher --vault-jwt-file bad-token");
  EXPECT_NE(denied.exit_code, 0);
  ExpectNoSecrets(denied);
  EXPECT_EQ(denied.err.find("eyJ.not-the-token.sig"), std::string::npos);
}

TEST_F(VaultProgramTest, TokenFileAndNamespaceHeader) {
  VaultServer ns("team-a");
  ns.AddKey("models", "ecdsa-p256");
  json body = {{"input", DigestB64()}};
  WriteFile(dir_.File("req.json"), body.dump());
  auto sig = RunShell("curl -sS -H 'X-Vault-Token: " + std::string(VaultServer::kToken) +
                          "' -H 'X-Vault-Namespace: team-a' --data @req.json " + ns.addr() + "/v1/transit/sign/models",
                      dir_.path());
  WriteFile(dir_.File("m.tar.gz.sig.json"), sig.out);
  WriteFile(dir_.File("token"), std::string(VaultServer::kToken) + "\n");
  std::string args = "--vault-addr " + ns.addr() + " --vault-key models --vault-token-file token";
  auto without = Run(args);
  EXPECT_EQ(without.exit_code, 4) << without.err;
  EXPECT_NE(ReadFile(dir_.File("tl")).find("permission denied"), std::string::npos);
  auto with = Run(args + " --vault-namespace team-a");
  EXPECT_EQ(with.exit_code, 0) << with.err;
  auto env_form = Run("", "VAULT_ADDR=" + ns.addr() + " AEGIS_VAULT_KEY=models VAULT_NAMESPACE=team-a " + Token());
  EXPECT_EQ(env_form.exit_code, 0) << env_form.err;
  ExpectNoSecrets(with);
}

TEST_F(VaultProgramTest, VaultFailuresFailClosed) {
  SeedSignature();
  vault_.FailNext(1);
  auto five = Run(VaultArgs(), Token());
  EXPECT_EQ(five.exit_code, 4) << five.err;
  EXPECT_FALSE(Placed());
  EXPECT_NE(ReadFile(dir_.File("tl")).find("HTTP 500"), std::string::npos);

  auto unreachable = Run("--vault-addr http://127.0.0.1:1 --vault-key models", Token());
  EXPECT_EQ(unreachable.exit_code, 4) << unreachable.err;

  auto no_key = Run(VaultArgs("no-such-key"), Token());
  EXPECT_EQ(no_key.exit_code, 7) << no_key.err;

  auto no_token = Run(VaultArgs());
  EXPECT_EQ(no_token.exit_code, 2) << no_token.err;

  auto nothing = Run("");
  EXPECT_EQ(nothing.exit_code, 7) << "no key and no Vault: " << nothing.err;

  WriteFile(dir_.File("m.tar.gz"), ReadFile(dir_.File("m.tar.gz")) + "x");
  auto invalid = Run(VaultArgs(), Token());
  EXPECT_EQ(invalid.exit_code, 5) << invalid.err;
  EXPECT_FALSE(Placed());
  ExpectNoSecrets(invalid);
}

}  // namespace
}  // namespace aegis::testing
