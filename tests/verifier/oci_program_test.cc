// verify-and-fetch and `aegis verify` reading oci:// artifacts from a real registry (CNCF
// Distribution with token authentication, tests/support/registry.h), pushed by the real ORAS
// CLI: the files of a signed model, or the model directory packed as one layer.
#include <atomic>

#include "support/http_server.h"
#include "support/registry.h"
#include "verifier/common/crypto.h"
#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

class OciTest : public ServerProgramTest<OciTest, Registry> {
 protected:
  static void SetUpTestSuite() {
    MakeData();
    StartServer();
    if (!ServerUp()) return;
    SignedModel(data_->path(), "resnet", PrivateKey());
    // The model's files, one layer each (their relative paths as titles).
    ASSERT_EQ(server_->Push(data_->File("resnet"), "models/resnet:v1",
                            {"model.sig", "config.pbtxt", "1/model.onnx", "tokenizer.json"}),
              "");
    // The model directory as one packed layer (oras push REF ./resnet).
    ASSERT_EQ(server_->Push(data_->path(), "models/resnet-dir:v1", {"resnet"}), "");
    // Signed, then a file added.
    WriteFile(data_->File("resnet/planted.py"), "import os\n");
    ASSERT_EQ(server_->Push(data_->File("resnet"), "models/planted:v1",
                            {"model.sig", "config.pbtxt", "1/model.onnx", "tokenizer.json", "planted.py"}),
              "");
    fs::remove(data_->File("resnet/planted.py"));
    // KServe modelcars: a base layer (a system with what the model extraction would refuse:
    // an absolute symbolic link, a setuid file), the signed model at /models; and the same
    // with a third layer changing a model file after signing.
    fs::create_directories(data_->File("base/bin"));
    WriteFile(data_->File("base/bin/busybox"), "#!/bin/true\n");
    fs::permissions(data_->File("base/bin/busybox"), fs::perms(04755), fs::perm_options::replace);
    fs::create_symlink("/bin/busybox", data_->File("base/bin/sh"));
    fs::create_directories(data_->File("car/models"));
    fs::copy(data_->File("resnet"), data_->File("car/models"), fs::copy_options::recursive);
    fs::create_directories(data_->File("tamper/models"));
    WriteFile(data_->File("tamper/models/tokenizer.json"), "{\"v\": 2}\n");
    ASSERT_EQ(server_->PushImage({data_->File("base"), data_->File("car")}, "models/modelcar:v1"), "");
    ASSERT_EQ(server_->PushImage({data_->File("base"), data_->File("car"), data_->File("tamper")},
                                 "models/modelcar-tampered:v1"),
              "");
  }
  void SetUp() override {
    ServerProgramTest::SetUp();
    if (IsSkipped()) return;
    fs::create_directories(dir_.File("docker"));
    WriteFile(dir_.File("docker/config.json"), server_->DockerConfig("reader", "read-secret"));
  }
  std::string Ref(const std::string& name) { return "oci://" + server_->host() + "/" + name; }
  RunResult Fetch(const std::string& uri, const std::string& env = "", const std::string& extra = "") {
    return Run(
        "--ca-bundle " + server_->ca_file() + " --key " + PublicKey() + " " + extra + " " + Quote(uri) + " model",
        env.empty() ? "DOCKER_CONFIG=" + dir_.File("docker") : env);
  }
};

TEST_F(OciTest, ArtifactFilesAreFetchedVerifiedAndPlaced) {
  auto r = Fetch(Ref("models/resnet:v1"), "", "--parallel 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  EXPECT_EQ(ReadFile(Dest() + "/1/model.onnx"), Weights(150000));
  EXPECT_NE(r.err.find("oci registry source=\"Bearer token for reader (" + dir_.File("docker/config.json") + "); manifest sha256:"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("oci reference not pinned by digest"), std::string::npos) << "a tag is warned: " << r.err;
  for (const std::string& out : {r.out, r.err}) EXPECT_EQ(out.find("read-secret"), std::string::npos);
}

TEST_F(OciTest, DigestPinnedReferenceIsCheckedAgainstTheManifest) {
  auto first = Fetch(Ref("models/resnet:v1"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  size_t at = first.err.find("manifest sha256:");
  ASSERT_NE(at, std::string::npos);
  std::string digest = first.err.substr(at + 9, 71);
  fs::remove_all(Dest());
  auto r = Fetch(Ref("models/resnet@" + digest));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("not pinned by digest"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  // Another manifest's digest under this name: not in the registry.
  std::string other = digest.substr(0, 70) + (digest.back() == '0' ? "1" : "0");
  ExpectFailure(Fetch(Ref("models/resnet@" + other)), 3, "manifest: HTTP 404");
}

TEST_F(OciTest, PackedDirectoryLayerIsTheModelDirectory) {
  auto r = Fetch(Ref("models/resnet-dir:v1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
}

TEST_F(OciTest, PlantedFilesTamperingAndMissingArtifactsAreRefused) {
  ExpectFailure(Fetch(Ref("models/planted:v1")), 5, "planted.py");
  ExpectFailure(
      Run("--ca-bundle " + server_->ca_file() + " --key " + OtherPublicKey() + " " + Ref("models/resnet:v1") + " model",
          "DOCKER_CONFIG=" + dir_.File("docker")),
      5, "does not verify");
  ExpectFailure(Fetch(Ref("models/none:v1")), 3, "manifest: HTTP 404");
}

// Token auth: anonymous gets no access (exit 4); wrong credentials are refused by the token
// service (exit 4); a mounted pull secret (.dockerconfigjson) works through REGISTRY_AUTH_FILE.
TEST_F(OciTest, RegistryAccessFollowsTheTokenProtocol) {
  ExpectFailure(Fetch(Ref("models/resnet:v1"), "HOME=" + dir_.path()), 4, "HTTP 401 UNAUTHORIZED (refused anonymously");
  WriteFile(dir_.File("bad.json"), server_->DockerConfig("reader", "wrong"));
  auto r = Fetch(Ref("models/resnet:v1"), "REGISTRY_AUTH_FILE=" + dir_.File("bad.json"));
  ExpectFailure(r, 4, "token service refused the credentials");
  for (const std::string& out : {r.out, r.err, Reason()}) EXPECT_EQ(out.find("wrong"), std::string::npos);
  fs::create_directories(dir_.File("pull-secret"));
  WriteFile(dir_.File("pull-secret/.dockerconfigjson"), server_->DockerConfig("reader", "read-secret"));
  auto ok = Fetch(Ref("models/resnet:v1"), "REGISTRY_AUTH_FILE=" + dir_.File("pull-secret/.dockerconfigjson"));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  fs::remove_all(Dest());
  ExpectFailure(Fetch(Ref("models/resnet:v1"), "REGISTRY_AUTH_FILE=/none/config.json"), 2, "/none/config.json");
  ExpectFailure(Fetch("oci://" + server_->host() + "/Models/X:v1"), 2, "is not a repository name");
}

// A KServe modelcar: the model is the image's /models; the base system is never written.
TEST_F(OciTest, ModelcarImageModelsDirectoryIsTheModel) {
  auto r = Fetch(Ref("models/modelcar:v1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  EXPECT_EQ(ReadFile(Dest() + "/1/model.onnx"), Weights(150000));
  EXPECT_FALSE(fs::exists(Dest() + "/bin"));
  fs::remove_all(Dest());
  ExpectFailure(Fetch(Ref("models/modelcar-tampered:v1")), 5, "tokenizer.json");
}

// What Distribution does not do on demand: a 503 before the manifest (retried, as a download
// is), Basic authentication, and a blob redirected to a storage host (another origin), which
// must not receive the credentials. An in-test registry over https answers as the
// distribution-spec says (GET /v2/NAME/manifests/REF, /v2/NAME/blobs/DIGEST, 401 with a
// WWW-Authenticate challenge).
TEST_F(OciTest, ManifestFaultsAreRetriedAndCredentialsStayWithTheRegistry) {
  TempDir certs;
  auto made = RunShell(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout k.pem -out c.pem -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 2>/dev/null",
      certs.path());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string sig = ReadFile(data_->File("resnet/model.sig"));
  const std::string blob_digest = "sha256:" + Hex(verifier::Sha256(sig));
  HttpServer storage([&](const HttpRequest&, HttpConnection& c) { c.Respond(200, sig); },
      TlsConfig{certs.File("c.pem"), certs.File("k.pem"), ""});
  std::atomic<int> manifests{0};
  const std::string manifest = json({{"schemaVersion", 2},
                                     {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                     {"config", {{"mediaType", "application/vnd.oci.empty.v1+json"}, {"digest", "sha256:" + std::string(64, '4')}, {"size", 2}}},
                                     {"layers", json::array({{{"mediaType", "application/octet-stream"},
                                                              {"digest", blob_digest},
                                                              {"size", sig.size()},
                                                              {"annotations", {{"org.opencontainers.image.title", "model.sig"}}}}})}})
                                   .dump();
  HttpServer registry(
      [&](const HttpRequest& req, HttpConnection& c) {
        if (req.headers.count("authorization") == 0 || req.headers.at("authorization") != "Basic cmVhZGVyOnJlYWQtc2VjcmV0") {
          return c.Respond(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})", {"WWW-Authenticate: Basic realm=\"test\""});
        }
        if (req.target == "/v2/m/manifests/v1" && ++manifests == 1) return c.Respond(503, "", {"Retry-After: 0"});
        // The tag, then the digest it resolved to (what is fetched once the signatures were looked for).
        if (req.target == "/v2/m/manifests/v1" || req.target == "/v2/m/manifests/sha256:" + Hex(verifier::Sha256(manifest))) {
          return c.Respond(200, manifest, {"Content-Type: application/vnd.oci.image.manifest.v1+json"});
        }
        if (req.target == "/v2/m/blobs/" + blob_digest) return c.Respond(307, "", {"Location: " + storage.Url("/blob?sig=presigned")});
        c.Respond(404, R"({"errors":[{"code":"BLOB_UNKNOWN"}]})");
      },
      TlsConfig{certs.File("c.pem"), certs.File("k.pem"), ""});
  std::string host = registry.Url("").substr(8);
  while (!host.empty() && host.back() == '/') host.pop_back();
  WriteFile(dir_.File("auth.json"), json({{"auths", {{host, {{"auth", "cmVhZGVyOnJlYWQtc2VjcmV0"}}}}}}).dump());
  auto r = Run("--ca-bundle " + certs.File("c.pem") + " --key " + PublicKey() + " oci://" + host + "/m:v1 model",
               "REGISTRY_AUTH_FILE=" + dir_.File("auth.json"));
  // Only model.sig is in this artifact: fetched and read, its files are missing (exit 5).
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("oci registry source=\"Basic, user reader"), std::string::npos) << r.err;
  EXPECT_EQ(manifests.load(), 2) << "the 503 is retried";
  auto stored = storage.Log();  // the server's own record, under its lock
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].headers.count("authorization"), 0u) << "the registry's credentials followed the redirect";
}

TEST_F(OciTest, AegisVerifyChecksTheArtifact) {
  std::string cmd = "env -i PATH=/usr/bin:/bin DOCKER_CONFIG=" + dir_.File("docker") + " " + AEGIS_BIN +
                    " verify --ca-bundle " + server_->ca_file() + " --key " + PublicKey() + " ";
  auto r = RunShell(cmd + Ref("models/resnet:v1"), dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunShell(cmd + Ref("models/planted:v1"), dir_.path());
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
}

// A registry whose token realm is an internal address (cloud metadata, a private network, this
// node) is refused before anything is sent there, as ORAS and cosign refuse it; the registry's
// own host may serve its tokens (the real registry above does, on another port).
TEST_F(OciTest, ATokenRealmAtAnInternalAddressIsRefused) {
  for (const std::string realm : {"https://169.254.169.254/latest/meta-data", "https://10.0.0.7/token", "https://[fd00:ec2::254]/token"}) {
    SCOPED_TRACE(realm);
    TempDir certs;
    ASSERT_EQ(MakeTestServerCertificate(certs.path(), "realm-test-ca"), "");
    HttpServer registry([&](const HttpRequest&, HttpConnection& c) {
      c.Respond(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})", {"WWW-Authenticate: Bearer realm=\"" + realm + "\",service=\"r\""});
    }, TlsConfig{certs.File("server.pem"), certs.File("server.key"), ""});
    std::string host = registry.Url("").substr(8);
    while (!host.empty() && host.back() == '/') host.pop_back();
    ExpectFailure(Run("--ca-bundle " + certs.File("ca.pem") + " --key " + PublicKey() + " oci://" + host + "/m:v1 model"), 4,
                  "a loopback, private or link-local address");
    EXPECT_EQ(registry.Log().size(), 1u) << "one challenge, nothing more";
  }
}

}  // namespace
}  // namespace aegis::testing
