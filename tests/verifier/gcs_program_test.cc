// verify-and-fetch and `aegis verify` fetching gs:// from the real Cloud Storage emulator
// (fake-gcs-server, tests/support/fake_gcs.h): the JSON API's media downloads and its
// 404s, with the Google credential chain in front (its token endpoints in-test, as in
// google_auth_test.cc: fake-gcs-server accepts any token, so refusals come from them).
#include "support/fake_gcs.h"
#include "support/http_server.h"
#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

class ProgramGcsTest : public GcsProgramTest<ProgramGcsTest> {
 protected:
  static void SetUpTestSuite() {
    MakeData();
    std::string dir = data_->File("models/resnet");
    fs::create_directories(dir);
    fs::create_directories(data_->File("models/tampered"));
    WriteArchive(dir + "/m.tar.gz", ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, Weights(300000)}});
    auto sig = RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " m.tar.gz | base64 -w0 > m.tar.gz.sig", dir);
    ASSERT_EQ(sig.exit_code, 0) << sig.err;
    std::string bad = ReadFile(dir + "/m.tar.gz");
    bad[bad.size() / 2] ^= 1;
    WriteFile(data_->File("models/tampered/m.tar.gz"), bad);
    fs::copy_file(dir + "/m.tar.gz.sig", data_->File("models/tampered/m.tar.gz.sig"));
    StartServer(data_->path());
  }
};

TEST_F(ProgramGcsTest, PublicObjectIsFetchedAnonymouslyVerifiedAndPlaced) {
  auto r = Run("--key " + PublicKey() + " gs://models/resnet/m.tar.gz model", Emulator());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 300000u);
  EXPECT_NE(r.err.find("signature fetched uri=gs://models/resnet/m.tar.gz.sig"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("google credentials source=\"anonymous: no Google credentials"), std::string::npos) << r.err;
}

TEST_F(ProgramGcsTest, MissingObjectIsExit3AndTamperedIsExit5) {
  ExpectFailure(Run("--key " + PublicKey() + " gs://models/resnet/none.tar.gz model", Emulator()), 3, "gs://models/resnet/none.tar.gz");
  ExpectFailure(Run("--key " + PublicKey() + " gs://models/tampered/m.tar.gz model", Emulator()), 5, "does not verify");
  ExpectFailure(Run("--key " + PublicKey() + " gs://models/resnet/m.tar.gz model", Emulator() + " GOOGLE_APPLICATION_CREDENTIALS=/none.json"),
                2, "/none.json");
}

// A service account whose key the token endpoint refuses: exit 4, nothing placed, and
// neither the key nor the assertion in any output.
TEST_F(ProgramGcsTest, RefusedCredentialsAreExit4WithoutSecrets) {
  HttpServer token([](const HttpRequest&, HttpConnection& c) {
    c.Respond(400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
  });
  auto key = RunShell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null");
  ASSERT_EQ(key.exit_code, 0);
  json sa = {{"type", "service_account"}, {"private_key", key.out}, {"client_email", "fetcher@p.iam.gserviceaccount.com"},
             {"token_uri", token.Url("/token")}};
  WriteFile(dir_.File("sa.json"), sa.dump());
  auto r = Run("--key " + PublicKey() + " gs://models/resnet/m.tar.gz model",
               Emulator() + " GOOGLE_APPLICATION_CREDENTIALS=" + dir_.File("sa.json"));
  ExpectFailure(r, 4, "the endpoint refused the credentials: HTTP 400 invalid_grant");
  std::string key_line = key.out.substr(key.out.find('\n') + 1, 40);
  for (const std::string& out : {r.out, r.err, Reason()}) EXPECT_EQ(out.find(key_line), std::string::npos) << "the private key";
}

// GKE Workload Identity: the token comes from the metadata server and is said to.
TEST_F(ProgramGcsTest, MetadataServerTokenIsUsedAndNeverShown) {
  HttpServer metadata([](const HttpRequest& req, HttpConnection& c) {
    if (req.headers.count("metadata-flavor") == 0) return c.Respond(403, "");
    c.Respond(200, R"({"access_token":"ya29.workload-identity-secret","expires_in":3599,"token_type":"Bearer"})");
  });
  std::string host = metadata.Url("").substr(7);
  while (!host.empty() && host.back() == '/') host.pop_back();
  auto r = Run("--key " + PublicKey() + " gs://models/resnet/m.tar.gz model",
               "STORAGE_EMULATOR_HOST=" + server_->host() + " GCE_METADATA_HOST=" + host);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("google credentials source=\"metadata server (" + host + ")\""), std::string::npos) << r.err;
  for (const std::string& out : {r.out, r.err, ReadFile(Dest() + "/.aegis-verified.json")}) {
    EXPECT_EQ(out.find("ya29.workload-identity-secret"), std::string::npos);
  }
}

TEST_F(ProgramGcsTest, AegisVerifyChecksAGsArtifactAsTheVerifierWould) {
  auto ok = RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + Emulator() + " " + AEGIS_BIN + " verify --key " +
                     PublicKey() + " gs://models/resnet/m.tar.gz");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("verified: gs://models/resnet/m.tar.gz"), std::string::npos) << ok.out;
  auto bad = RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + Emulator() + " " + AEGIS_BIN + " verify --key " +
                      PublicKey() + " gs://models/tampered/m.tar.gz");
  EXPECT_EQ(bad.exit_code, 5) << bad.out << bad.err;
}

}  // namespace
}  // namespace aegis::testing
