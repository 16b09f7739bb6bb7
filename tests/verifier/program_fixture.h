// The fixture of the verify-and-fetch program tests: keys made once by the openssl CLI,
// signed model archives, and running the program with a clean environment.
#pragma once

#include <gtest/gtest.h>

#include <archive_entry.h>

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "support/archives.h"
#include "support/azurite.h"
#include "support/fake_gcs.h"
#include "support/registry.h"
#include "support/s3rver.h"
#include "support/test_support.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace aegis::testing {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Bytes that do not compress (like model weights), so archives have a real size.
inline std::string Weights(size_t n) {
  std::string out(n, '\0');
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x);
  }
  return out;
}

inline std::set<std::string> Placed(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).string());
  }
  return out;
}

// A model directory signed with `aegis sign --oms` (interoperable with model_signing:
// tests/interop/model_signing_test.sh), written under `root`/`rel`.
inline void SignedModel(const std::string& root, const std::string& rel, const std::string& key) {
  std::string dir = root + "/" + rel;
  fs::create_directories(dir + "/1");
  WriteFile(dir + "/config.pbtxt", "name: \"resnet\"\n");
  WriteFile(dir + "/1/model.onnx", Weights(150000));
  WriteFile(dir + "/tokenizer.json", "{\"v\": 1}\n");
  auto r = RunAegis("sign --oms --key " + key + " " + Quote(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

inline const std::set<std::string> kSigned = {".aegis-verified.json", "config.pbtxt", "1/model.onnx", "tokenizer.json"};

class ProgramTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new TempDir();
    for (const char* name : {"key", "other"}) {
      auto r = RunShell(std::string("openssl ecparam -name prime256v1 -genkey -noout -out ") + name +
                            ".pem && openssl ec -in " + name + ".pem -pubout -out " + name + "-pub.pem",
                        keys_->path());
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  static void TearDownTestSuite() { delete keys_; }

  static std::string PrivateKey() { return keys_->File("key.pem"); }
  static std::string PublicKey() { return keys_->File("key-pub.pem"); }
  static std::string OtherPublicKey() { return keys_->File("other-pub.pem"); }

  std::string Dest() const { return dir_.File("model"); }
  std::string TerminationLog() const { return dir_.File("termination-log"); }

  // Runs the program with a clean environment plus `env` ("NAME=value …").
  RunResult Run(const std::string& args, const std::string& env = "") {
    std::string cmd = "env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + env + " " + VAF_BIN +
                      " --termination-log " + TerminationLog() + " " + args;
    return RunShell(cmd, dir_.path());
  }

  // The DER signature over `file` made by openssl, base64.
  static std::string OpensslSignature(const std::string& file, const std::string& key) {
    auto r = RunShell("openssl dgst -sha256 -sign " + key + " " + Quote(file) + " | base64 -w0");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  static std::string OpensslDigest(const std::string& file) {
    auto r = RunShell("openssl dgst -sha256 -binary " + Quote(file) + " | base64 -w0");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  static std::string OpensslHex(const std::string& file) {
    auto r = RunShell("openssl dgst -sha256 -r " + Quote(file) + " | cut -d' ' -f1");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, 64);
  }
  // Format A, as cosign sign-blob --bundle writes it.
  static std::string Bundle(const std::string& file, const std::string& key = PrivateKey()) {
    json b = {{"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
              {"verificationMaterial", {{"publicKey", {{"hint", "not-checked"}}}}},
              {"messageSignature",
               {{"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", OpensslDigest(file)}}},
                {"signature", OpensslSignature(file, key)}}}};
    return b.dump();
  }
  void SignBundle(const std::string& file) { WriteFile(file + ".sigstore.json", Bundle(file)); }

  // A valid model archive in the work dir, signed with a bundle.
  std::string Model(const std::string& name = "model.tar.gz") {
    std::string path = dir_.File(name);
    EXPECT_EQ(WriteArchive(path, ArchiveFormat::kTarGz,
                           {{"resnet/", AE_IFDIR, 0755},
                            {"resnet/config.pbtxt", AE_IFREG, 0644, "name: \"resnet\"\n"},
                            {"resnet/1/model.onnx", AE_IFREG, 0644, Weights(200000)}}),
              "");
    SignBundle(path);
    return path;
  }

  // No model content and no work area in the model directory.
  void ExpectNoModel() {
    if (!fs::exists(Dest())) return;
    for (const auto& e : fs::directory_iterator(Dest())) ADD_FAILURE() << "left in the model directory: " << e.path();
  }
  std::string Reason() { return fs::exists(TerminationLog()) ? ReadFile(TerminationLog()) : ""; }

  void ExpectFailure(const RunResult& r, int code, const std::string& reason) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    ExpectNoModel();
    EXPECT_NE(Reason().find(reason), std::string::npos) << "termination log: " << Reason() << "\nstderr: " << r.err;
    EXPECT_LE(Reason().size(), 4096u);
  }

  static inline TempDir* keys_ = nullptr;
  TempDir dir_;
};

// A ProgramTest suite with an S3 server of its own (the SigV4-checking s3rver), once per suite.
// `Suite` (the derived fixture, CRTP) gives each suite its own server. Its SetUpTestSuite calls
// StartS3() and then Put()s its objects; the first failure skips every test (a failure with
// AEGIS_REQUIRE_PEERS=1).
template <class Suite>
class S3ProgramTest : public ProgramTest {
 protected:
  static bool StartS3() {
    ProgramTest::SetUpTestSuite();
    s3_ = new S3rver();
    skip_ = s3_->skip_reason();
    return skip_.empty();
  }
  static void Put(const std::string& file, const std::string& key) {
    if (skip_.empty()) skip_ = s3_->Put(file, key);
  }
  static void TearDownTestSuite() {
    delete s3_;
    s3_ = nullptr;
    ProgramTest::TearDownTestSuite();
  }
  void SetUp() override {
    if (!skip_.empty()) AEGIS_SKIP_WITHOUT_PEER(skip_);
  }
  // The environment of a pod with the server's credentials (`secret`: another secret key).
  static std::string Creds(const std::string& secret = kS3SecretKey) {
    return "AWS_ACCESS_KEY_ID=" + kS3AccessKey + " AWS_SECRET_ACCESS_KEY=" + secret +
           " AWS_ENDPOINT_URL_S3=" + s3_->endpoint();
  }
  static inline S3rver* s3_ = nullptr;
  static inline std::string skip_;
};

// A ProgramTest suite with a server of its own (`Server`: FakeGcs, Azurite, Registry…, with a
// skip_reason()), once per suite. `Suite` (the derived fixture, CRTP) gives each suite its own.
// Its SetUpTestSuite calls MakeData(), StartServer(arguments…) and fills the server; a server
// that cannot start skips every test (a failure with AEGIS_REQUIRE_PEERS=1). A fixture's own
// SetUp calls this one first and returns when IsSkipped().
template <class Suite, class Server>
class ServerProgramTest : public ProgramTest {
 protected:
  static void MakeData() {
    ProgramTest::SetUpTestSuite();
    data_ = new TempDir();
  }
  template <class... Args>
  static void StartServer(Args&&... args) {
    server_ = new Server(std::forward<Args>(args)...);
  }
  static bool ServerUp() { return server_->skip_reason().empty(); }
  static void TearDownTestSuite() {
    delete server_;
    delete data_;
    server_ = nullptr;
    data_ = nullptr;
    ProgramTest::TearDownTestSuite();
  }
  void SetUp() override {
    if (!ServerUp()) AEGIS_SKIP_WITHOUT_PEER(server_->skip_reason());
  }
  static inline TempDir* data_ = nullptr;
  static inline Server* server_ = nullptr;
};

// The GCS server (fake-gcs-server over data_'s folders, each top-level folder a bucket): write the
// objects under data_ first, then StartServer(data_->path()).
template <class Suite>
class GcsProgramTest : public ServerProgramTest<Suite, FakeGcs> {
 protected:
  // The environment of a pod that reaches the server as Google's client libraries do.
  static std::string Emulator() {
    return "STORAGE_EMULATOR_HOST=" + ServerProgramTest<Suite, FakeGcs>::server_->host() + " NO_GCE_CHECK=true";
  }
};

}  // namespace aegis::testing
