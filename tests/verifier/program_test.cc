// The verify-and-fetch program, run as the initContainer runs it: real keys and signatures
// made by the openssl CLI, real archives, a real signature-checking S3 server, a real TLS
// server (openssl s_server) with a test CA, and an in-test HTTP server for network faults.
// Every failure must give its documented exit code, a reason in the termination log, and
// a model directory without model content (no work area left either).
#include <gtest/gtest.h>

#include <archive_entry.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/archives.h"
#include "support/child_process.h"
#include "support/http_server.h"
#include "support/s3rver.h"
#include "support/test_support.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace aegis::testing {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Bytes that do not compress (like model weights), so archives have a real size.
std::string Weights(size_t n) {
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
  std::string OpensslSignature(const std::string& file, const std::string& key) {
    auto r = RunShell("openssl dgst -sha256 -sign " + key + " " + Quote(file) + " | base64 -w0");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  std::string OpensslDigest(const std::string& file) {
    auto r = RunShell("openssl dgst -sha256 -binary " + Quote(file) + " | base64 -w0");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  std::string OpensslHex(const std::string& file) {
    auto r = RunShell("openssl dgst -sha256 -r " + Quote(file) + " | cut -d' ' -f1");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, 64);
  }
  // Format A, as cosign sign-blob --bundle writes it.
  std::string Bundle(const std::string& file, const std::string& key = PrivateKey()) {
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

TEST_F(ProgramTest, HelpDocumentsEveryExitCodeAndEnvironmentVariable) {
  auto r = Run("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s : {"Exit codes:", "  2  usage", "  3  artifact or signature not found", "  4  network", "  5  signature invalid",
                        "  6  archive rejected", "  7  no trust material", "  8  local I/O", "AEGIS_KEY", "AEGIS_EXPECTED_SHA256"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(Run("").exit_code, 2);
  EXPECT_EQ(Run("a b --no-such-flag").exit_code, 2);
}

TEST_F(ProgramTest, PlacesAVerifiedArchiveAndRecordsWhatWasVerified) {
  std::string model = Model();
  auto r = Run("--key " + PublicKey() + " model.tar.gz model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(Dest() + "/resnet/config.pbtxt"), "name: \"resnet\"\n");
  EXPECT_EQ(fs::file_size(Dest() + "/resnet/1/model.onnx"), 200000u);
  json marker = json::parse(ReadFile(Dest() + "/.aegis-verified.json"));
  EXPECT_EQ(marker["sha256"], OpensslHex(model));
  EXPECT_EQ(marker["entries"], json::array({"resnet"}));
  EXPECT_EQ(marker["key"], PublicKey());
  for (const auto& e : fs::directory_iterator(Dest())) {
    std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "resnet" || name == ".aegis-verified.json") << name;
  }
  EXPECT_NE(r.err.find("signature verified"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(OpensslHex(model)), std::string::npos) << "the digest is logged";
  EXPECT_FALSE(fs::exists(TerminationLog()));
}

TEST_F(ProgramTest, ConfiguredThroughEnvironmentWithJsonLogLines) {
  Model();
  auto r = Run("", "AEGIS_ARTIFACT=file://" + dir_.File("model.tar.gz") + " AEGIS_DEST=" + Dest() + " AEGIS_KEY=" + PublicKey() +
                       " AEGIS_LOG_FORMAT=json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(Dest() + "/resnet/1/model.onnx"));
  std::istringstream lines(r.err);
  int n = 0;
  std::set<std::string> events;
  for (std::string line; std::getline(lines, line); ++n) {
    json j = json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    EXPECT_TRUE(j.contains("ts") && j.contains("level") && j.contains("event")) << line;
    events.insert(j["event"].get<std::string>());
  }
  EXPECT_GE(n, 4);
  for (const char* e : {"trusted key", "signature fetched", "artifact fetched", "signature verified", "extracted", "placed"}) {
    EXPECT_TRUE(events.count(e)) << e;
  }
}

TEST_F(ProgramTest, SignatureDiscoveryOrderAndExplicitSignature) {
  std::string model = Model();
  WriteFile(model + ".sig", "bm90IGEgc2lnbmF0dXJl\n");  // base64 garbage: would fail if used
  auto r = Run("--key " + PublicKey() + " model.tar.gz model");
  ASSERT_EQ(r.exit_code, 0) << "the .sigstore.json bundle comes first: " << r.err;
  EXPECT_NE(r.err.find("model.tar.gz.sigstore.json"), std::string::npos);

  fs::remove_all(Dest());
  auto explicit_sig = Run("--key " + PublicKey() + " --signature model.tar.gz.sig model.tar.gz model");
  ExpectFailure(explicit_sig, 5, "does not verify");

  // Only a legacy .sig: accepted, with a warning that it binds no metadata.
  fs::remove(model + ".sigstore.json");
  WriteFile(model + ".sig", OpensslSignature(model, PrivateKey()));
  auto legacy = Run("--key " + PublicKey() + " model.tar.gz model");
  ASSERT_EQ(legacy.exit_code, 0) << legacy.err;
  EXPECT_NE(legacy.err.find("warn: legacy detached signature"), std::string::npos) << legacy.err;
}

TEST_F(ProgramTest, KeyDirectoryWithRotatedKeys) {
  Model();
  fs::create_directories(dir_.File("keys"));
  fs::copy_file(OtherPublicKey(), dir_.File("keys/a-old.pem"));
  fs::copy_file(PublicKey(), dir_.File("keys/b-new.pub"));
  WriteFile(dir_.File("keys/README"), "not a key");
  auto r = Run("--key keys model.tar.gz model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("keys/b-new.pub"), std::string::npos) << "the key that verified is logged";
}

TEST_F(ProgramTest, SingleFileArtifactIsPlacedAsIs) {
  WriteFile(dir_.File("model.onnx"), std::string(5000, 'o'));
  SignBundle(dir_.File("model.onnx"));
  auto r = Run("--key " + PublicKey() + " model.onnx model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(Dest() + "/model.onnx"), std::string(5000, 'o'));
}

TEST_F(ProgramTest, TamperingIsExit5AndPlacesNothing) {
  std::string model = Model();
  std::string good = ReadFile(model), bundle = ReadFile(model + ".sigstore.json");
  std::string key = "--key " + PublicKey() + " ";

  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  WriteFile(model, flipped);
  ExpectFailure(Run(key + "model.tar.gz model"), 5, "messageDigest does not match");
  WriteFile(model, good);

  json b = json::parse(bundle);
  std::string sig = b["messageSignature"]["signature"];
  sig[10] = sig[10] == 'A' ? 'B' : 'A';
  b["messageSignature"]["signature"] = sig;
  WriteFile(model + ".sigstore.json", b.dump());
  ExpectFailure(Run(key + "model.tar.gz model"), 5, "does not verify");

  // A bundle whose digest lies (it names the tampered artifact) with a valid signature
  // over the original: the digest is recomputed, so it fails either way.
  WriteFile(dir_.File("other"), flipped);
  b = json::parse(bundle);
  b["messageSignature"]["messageDigest"]["digest"] = OpensslDigest(dir_.File("other"));
  WriteFile(model + ".sigstore.json", b.dump());
  ExpectFailure(Run(key + "model.tar.gz model"), 5, "messageDigest does not match");

  WriteFile(model + ".sigstore.json", bundle);
  ExpectFailure(Run("--key " + OtherPublicKey() + " model.tar.gz model"), 5, "does not verify with any of the 1 trusted key");

  std::string pin = std::string(64, 'a');
  ExpectFailure(Run(key + "--expected-sha256 " + pin + " model.tar.gz model"), 5, "pin mismatch");

  std::string upper = OpensslHex(model);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto ok = Run(key + "--expected-sha256 " + upper + " model.tar.gz model");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

struct HostileCase {
  std::string name;
  std::function<std::string(const std::string&)> make;  // writes the archive, returns its file name
};

void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.name; }

std::vector<HostileCase> HostileCases() {
  std::vector<HostileCase> cases;
  for (const auto& h : HostileArchives()) {
    cases.push_back({h.name, [h](const std::string& dir) {
                       std::string name = h.format == ArchiveFormat::kZip ? "m.zip" : "m.tar.gz";
                       EXPECT_EQ(WriteArchive(dir + "/" + name, h.format, h.entries), "");
                       return name;
                     }});
  }
  cases.push_back({"decompression_bomb", [](const std::string& dir) {
                     EXPECT_EQ(WriteArchive(dir + "/m.tar.gz", ArchiveFormat::kTarGz,
                                            {{"zeros", AE_IFREG, 0644, std::string(64u << 20, '\0')}}),
                               "");
                     return std::string("m.tar.gz");
                   }});
  cases.push_back({"truncated_gzip", [](const std::string& dir) {
                     std::string p = dir + "/m.tar.gz";
                     EXPECT_EQ(WriteArchive(p, ArchiveFormat::kTarGz, {{"f", AE_IFREG, 0644, std::string(300000, 'r')}}), "");
                     std::string bytes = ReadFile(p);
                     WriteFile(p, bytes.substr(0, bytes.size() / 2));
                     return std::string("m.tar.gz");
                   }});
  cases.push_back({"corrupt_tar_header", [](const std::string& dir) {
                     std::string p = dir + "/m.tar";
                     EXPECT_EQ(WriteArchive(p, ArchiveFormat::kTar, {{"f", AE_IFREG, 0644, "data"}}), "");
                     std::string tar = ReadFile(p);
                     for (size_t i = 148; i < 156; ++i) tar[i] = 'Z';
                     WriteFile(p, tar);
                     return std::string("m.tar");
                   }});
  cases.push_back({"not_an_archive", [](const std::string& dir) {
                     WriteFile(dir + "/m.tar.gz", "just text\n");
                     return std::string("m.tar.gz");
                   }});
  return cases;
}

class HostileProgramTest : public ProgramTest, public ::testing::WithParamInterface<HostileCase> {};

TEST_P(HostileProgramTest, ValidlySignedButHostileArchiveIsExit6) {
  std::string name = GetParam().make(dir_.path());
  SignBundle(dir_.File(name));
  fs::create_directories(Dest());
  auto r = Run("--key " + PublicKey() + " " + name + " model");
  ExpectFailure(r, 6, name);
  // Nothing escaped next to the model directory either.
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    std::string f = e.path().filename().string();
    EXPECT_TRUE(f == name || f == name + ".sigstore.json" || f == "model" || f == "termination-log") << "escaped: " << f;
  }
}

INSTANTIATE_TEST_SUITE_P(Program, HostileProgramTest, ::testing::ValuesIn(HostileCases()),
                         [](const auto& param_info) { return param_info.param.name; });

class ProgramModelSigningTest : public ProgramTest {
 protected:
  std::string Fixture(const std::string& rel) { return SourcePath("tests/testdata/oms/" + rel); }
  // The v1.0.1 model directory (model.sig inside) as a tar.gz, with `change` applied.
  void Pack(const std::function<void(const std::string&)>& change = {}) {
    fs::copy(Fixture("v1.0.1-elliptic-key"), dir_.File("tree"));
    if (change) change(dir_.File("tree"));
    auto r = RunShell("tar czf oms.tar.gz -C tree .", dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::remove_all(dir_.File("tree"));
  }
  std::string Key() { return "--key " + Fixture("signing-key-pub.pem") + " "; }
};

TEST_F(ProgramModelSigningTest, RealBundleInsideTheTreeVerifiesAndUnsignedFilesAreNotPlaced) {
  Pack();
  auto r = Run(Key() + "--ignore-paths ignore-me --expected-name v1.0.1-elliptic-key oms.tar.gz model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(Dest() + "/signme-1"), ReadFile(Fixture("v1.0.1-elliptic-key/signme-1")));
  EXPECT_TRUE(fs::exists(Dest() + "/signme-2"));
  EXPECT_FALSE(fs::exists(Dest() + "/ignore-me")) << "unverified content must not be placed";
  EXPECT_NE(r.err.find("model signature verified"), std::string::npos);
}

TEST_F(ProgramModelSigningTest, EveryTamperedTreeIsExit5) {
  std::string ignore = "--ignore-paths ignore-me ";
  Pack();
  ExpectFailure(Run(Key() + "oms.tar.gz model"), 5, "ignore-me is in the tree but not signed");
  ExpectFailure(Run(Key() + ignore + "--expected-name other oms.tar.gz model"), 5, "not the expected \"other\"");
  ExpectFailure(Run("--key " + PublicKey() + " " + ignore + "oms.tar.gz model"), 5, "does not verify");
  fs::remove(dir_.File("oms.tar.gz"));

  Pack([](const std::string& t) { WriteFile(t + "/signme-1", "changed\n"); });
  ExpectFailure(Run(Key() + ignore + "oms.tar.gz model"), 5, "signme-1 does not match its signed digest");
  fs::remove(dir_.File("oms.tar.gz"));
  Pack([](const std::string& t) { WriteFile(t + "/extra.bin", "added\n"); });
  ExpectFailure(Run(Key() + ignore + "oms.tar.gz model"), 5, "extra.bin is in the tree but not signed");
  fs::remove(dir_.File("oms.tar.gz"));
  Pack([](const std::string& t) { fs::remove(t + "/signme-2"); });
  ExpectFailure(Run(Key() + ignore + "oms.tar.gz model"), 5, "signme-2 is signed but missing");
  fs::remove(dir_.File("oms.tar.gz"));
  Pack([](const std::string& t) {
    json b = json::parse(ReadFile(t + "/model.sig"));
    std::string payload = b["dsseEnvelope"]["payload"];
    payload[20] = payload[20] == 'A' ? 'B' : 'A';
    b["dsseEnvelope"]["payload"] = payload;
    WriteFile(t + "/model.sig", b.dump());
  });
  ExpectFailure(Run(Key() + ignore + "oms.tar.gz model"), 5, "model.sig");
  fs::remove(dir_.File("oms.tar.gz"));
  // A symlink whose target is an ignored file is still a symlink (regression: names were
  // once computed with fs::relative, which resolves symlinks).
  Pack([](const std::string& t) { fs::create_symlink("ignore-me", t + "/evil"); });
  ExpectFailure(Run(Key() + ignore + "oms.tar.gz model"), 5, "evil is a symlink");
  fs::remove(dir_.File("oms.tar.gz"));
  Pack([](const std::string& t) { fs::remove(t + "/model.sig"); });
  ExpectFailure(Run(Key() + ignore + "oms.tar.gz model"), 3, "no signature");
}

TEST_F(ProgramModelSigningTest, DetachedBundleOverASingleFile) {
  fs::copy_file(Fixture("v1.0.0-elliptic-key/signme-1"), dir_.File("signme-1"));
  auto r = Run(Key() + "--signature " + Fixture("v1.0.0-elliptic-key/model.sig") + " --expected-name signme-1 signme-1 model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(Dest() + "/signme-1"), ReadFile(Fixture("v1.0.0-elliptic-key/signme-1")));
  WriteFile(dir_.File("signme-1"), "tampered");
  fs::remove_all(Dest());
  ExpectFailure(Run(Key() + "--signature " + Fixture("v1.0.0-elliptic-key/model.sig") + " signme-1 model"), 5,
                "does not match its signed digest");
}

TEST_F(ProgramTest, MissingArtifactOrSignatureIsExit3) {
  std::string model = Model();
  fs::rename(model, dir_.File("elsewhere"));
  ExpectFailure(Run("--key " + PublicKey() + " model.tar.gz model"), 3, "not found");
  fs::rename(dir_.File("elsewhere"), model);
  fs::remove(model + ".sigstore.json");
  ExpectFailure(Run("--key " + PublicKey() + " model.tar.gz model"), 3,
                "no signature: tried model.tar.gz.sigstore.json, model.tar.gz.sig.json, model.tar.gz.sig");
  ExpectFailure(Run("--key " + PublicKey() + " --signature nope.sig model.tar.gz model"), 3, "nope.sig");
}

TEST_F(ProgramTest, NoTrustMaterialIsExit7) {
  Model();
  fs::create_directories(dir_.File("empty-keys"));
  ExpectFailure(Run("--key empty-keys model.tar.gz model"), 7, "no trusted public key");
  ExpectFailure(Run("--key /nonexistent/cosign model.tar.gz model"), 7, "/nonexistent/cosign");
  // The default is /etc/cosign, where the pod mounts the secret (absent on this machine).
  if (!fs::exists("/etc/cosign")) ExpectFailure(Run("model.tar.gz model"), 7, "/etc/cosign");
}

TEST_F(ProgramTest, ConfigurationErrorsAreExit2) {
  Model();
  std::string key = "--key " + PublicKey() + " ";
  ExpectFailure(Run(key + "http://127.0.0.1:1/m.tar.gz model"), 2, "--allow-insecure-http");
  ExpectFailure(Run(key + "ftp://host/m.tar.gz model"), 2, "unsupported scheme ftp://");
  ExpectFailure(Run(key + "--expected-sha256 abc model.tar.gz model"), 2, "64 hex digits");
  ExpectFailure(Run(key + "file://remote-host/m.tar.gz model"), 2, "must be local");
  ExpectFailure(Run(key + "s3://models/m.tar.gz model"), 2, "no AWS credentials");
  WriteFile(dir_.File("a-file"), "x");
  auto r = Run(key + "model.tar.gz a-file");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(ReadFile(dir_.File("a-file")), "x");
}

TEST_F(ProgramTest, ForeignContentInTheModelDirectoryIsRefusedAndKept) {
  Model();
  fs::create_directories(Dest());
  WriteFile(Dest() + "/precious.txt", "not ours");
  auto r = Run("--key " + PublicKey() + " model.tar.gz model");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(Reason().find("precious.txt"), std::string::npos) << Reason();
  EXPECT_EQ(ReadFile(Dest() + "/precious.txt"), "not ours");
  EXPECT_EQ(std::distance(fs::directory_iterator(Dest()), fs::directory_iterator()), 1);
}

TEST_F(ProgramTest, PreviousModelIsReplacedOnSuccessAndRemovedOnFailure) {
  std::string model = Model();
  ASSERT_EQ(Run("--key " + PublicKey() + " model.tar.gz model").exit_code, 0);
  // A restarted pod fetches the next version into the same volume.
  ASSERT_EQ(WriteArchive(model, ArchiveFormat::kTarGz, {{"v2/model.onnx", AE_IFREG, 0644, "v2"}}), "");
  SignBundle(model);
  fs::create_directories(Dest() + "/.aegis-work-killed/tree");  // a killed run's leftovers
  auto r = Run("--key " + PublicKey() + " model.tar.gz model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(Dest() + "/resnet"));
  EXPECT_FALSE(fs::exists(Dest() + "/.aegis-work-killed"));
  EXPECT_EQ(ReadFile(Dest() + "/v2/model.onnx"), "v2");
  // A tampered next version leaves no model at all, not the old one.
  WriteFile(model, ReadFile(model) + "x");
  ExpectFailure(Run("--key " + PublicKey() + " model.tar.gz model"), 5, "does not match");
}

TEST_F(ProgramTest, LocalIoErrorIsExit8) {
  Model();
  auto r = Run("--key " + PublicKey() + " model.tar.gz /proc/version/model");
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(Reason().find("/proc/version/model"), std::string::npos) << Reason();
}

// ---- Network faults (an in-test HTTP server scripting what object stores do) ----

class NetworkFaultTest : public ProgramTest {
 protected:
  void SetUp() override {
    std::string model = Model();
    body_ = ReadFile(model);
    bundle_ = ReadFile(model + ".sigstore.json");
  }
  // Serves the bundle; the artifact through `artifact`.
  std::unique_ptr<HttpServer> Serve(std::function<void(const HttpRequest&, HttpConnection&)> artifact) {
    return std::make_unique<HttpServer>([this, artifact](const HttpRequest& req, HttpConnection& c) {
      std::string path = req.target.substr(0, req.target.find('?'));
      if (path == "/m.tar.gz.sigstore.json") return c.Respond(200, bundle_);
      if (path == "/m.tar.gz") return artifact(req, c);
      c.Respond(404, "");
    });
  }
  RunResult Fetch(const HttpServer& s, const std::string& extra = "") {
    return Run("--key " + PublicKey() + " --allow-insecure-http --retries 3 " + extra + " " + s.Url("/m.tar.gz") + " model");
  }
  void Whole(const HttpRequest&, HttpConnection& c) { c.Respond(200, body_); }
  std::string body_, bundle_;
};

TEST_F(NetworkFaultTest, NotFoundIs3AndForbiddenIs4WithoutRetries) {
  auto missing = Serve([](const HttpRequest&, HttpConnection& c) { c.Respond(404, "<Error><Code>NoSuchKey</Code></Error>"); });
  ExpectFailure(Fetch(*missing), 3, "not found");
  auto forbidden = Serve([](const HttpRequest&, HttpConnection& c) { c.Respond(403, "<Error><Code>AccessDenied</Code></Error>"); });
  ExpectFailure(Fetch(*forbidden), 4, "HTTP 403");
  EXPECT_EQ(forbidden->requests(), 2) << "the bundle, then one artifact request: 4xx is not retried";
}

TEST_F(NetworkFaultTest, ServerErrorsThenSuccessPlacesTheModel) {
  std::atomic<int> n{0};
  auto s = Serve([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ < 2) return c.Respond(500, "InternalError");
    Whole(req, c);
  });
  auto r = Fetch(*s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("attempts=3"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(Dest() + "/resnet/1/model.onnx"));
}

TEST_F(NetworkFaultTest, TooManyRequestsWithRetryAfterThenSuccess) {
  std::atomic<int> n{0};
  auto s = Serve([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ == 0) return c.Respond(429, "SlowDown", {"Retry-After: 1"});
    Whole(req, c);
  });
  auto r = Fetch(*s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(NetworkFaultTest, ResetMidBodyEveryTimeIsExit4) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, 1000));
    c.Reset();
  });
  ExpectFailure(Fetch(*s), 4, "after 3 attempt(s)");
}

TEST_F(NetworkFaultTest, ResetMidBodyOnceResumesWithRange) {
  std::atomic<int> n{0};
  auto s = Serve([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ == 0) {
      c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, 1000));
      return c.Reset();
    }
    auto range = req.headers.find("range");
    if (range == req.headers.end()) return Whole(req, c);
    size_t from = std::stoul(range->second.substr(6));
    c.Send("HTTP/1.1 206 Partial Content\r\nContent-Length: " + std::to_string(body_.size() - from) + "\r\n\r\n" + body_.substr(from));
  });
  auto r = Fetch(*s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resumed=true"), std::string::npos) << r.err;
}

TEST_F(NetworkFaultTest, TruncatedBodyEveryTimeIsExit4) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" +
           body_.substr(0, body_.size() - 10));
  });
  ExpectFailure(Fetch(*s), 4, "download failed");
}

TEST_F(NetworkFaultTest, StallPastTheTimeoutIsExit4) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, 100));
    c.WaitForClientClose(10);
  });
  auto r = Run("--key " + PublicKey() + " --allow-insecure-http --retries 1 --stall-timeout 1 " + s->Url("/m.tar.gz") + " model");
  ExpectFailure(r, 4, "download failed");
}

TEST_F(NetworkFaultTest, SignedUrlQueryStringsNeverReachTheOutput) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) { c.Respond(500, ""); });
  std::string url = s->Url("/m.tar.gz") + "?X-Amz-Signature=deadbeefsecretsignature&X-Amz-Credential=AKIA";
  auto r = Run("--key " + PublicKey() + " --allow-insecure-http --retries 1 --signature " + s->Url("/m.tar.gz.sigstore.json") +
               " '" + url + "' model");
  EXPECT_EQ(r.exit_code, 4);
  for (const std::string* text : {&r.out, &r.err}) EXPECT_EQ(text->find("deadbeefsecretsignature"), std::string::npos) << *text;
  EXPECT_EQ(Reason().find("deadbeefsecretsignature"), std::string::npos) << Reason();
}

// ---- HTTPS with a test CA (openssl s_server, an independent TLS implementation) ----

TEST_F(ProgramTest, HttpsNeedsTheCaBundleOrAnExplicitWarnedOptOut) {
  auto pki = RunShell(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 2 "
      "-subj /CN=aegis-test-ca && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key "
      "-out srv.csr -subj /CN=127.0.0.1 && printf 'subjectAltName=IP:127.0.0.1\\n' > ext && openssl x509 -req -in srv.csr "
      "-CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext",
      dir_.path());
  ASSERT_EQ(pki.exit_code, 0) << pki.err;
  Model();
  ChildProcess server({"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", "srv.pem", "-key", "srv.key", "-WWW"},
                      dir_.path());
  std::optional<std::string> line;
  while ((line = server.ReadLine(10000)) && !line->starts_with("ACCEPT ")) {
  }
  ASSERT_TRUE(line) << "openssl s_server did not start";
  std::string base = "https://127.0.0.1:" + line->substr(line->rfind(':') + 1);
  std::string args = "--key " + PublicKey() + " --retries 1 --signature " + base + "/model.tar.gz.sigstore.json " + base +
                     "/model.tar.gz model";
  auto untrusted = Run(args);
  ExpectFailure(untrusted, 4, "certificate");
  auto trusted = Run("--ca-bundle ca.pem " + args);
  ASSERT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_TRUE(fs::exists(Dest() + "/resnet/config.pbtxt"));
  fs::remove_all(Dest());
  auto opt_out = Run("--insecure-skip-tls-verify " + args);
  ASSERT_EQ(opt_out.exit_code, 0) << opt_out.err;
  EXPECT_NE(opt_out.err.find("warn: TLS certificate verification is OFF"), std::string::npos) << opt_out.err;
}

// ---- S3: the real signature-checking server ----

class ProgramS3Test : public ProgramTest {
 protected:
  static void SetUpTestSuite() {
    ProgramTest::SetUpTestSuite();
    s3_ = new S3rver();
    skip_ = s3_->skip_reason();
    if (!skip_.empty()) return;
    TempDir d;
    WriteArchive(d.File("m.tar.gz"), ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, std::string(100000, 'm')}});
    auto sig = RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " m.tar.gz | base64 -w0 > m.tar.gz.sig", d.path());
    if (sig.exit_code != 0) skip_ = sig.err;
    for (const char* f : {"m.tar.gz", "m.tar.gz.sig"}) {
      if (skip_.empty()) skip_ = s3_->Put(d.File(f), std::string("resnet/") + f);
    }
  }
  static void TearDownTestSuite() {
    delete s3_;
    ProgramTest::TearDownTestSuite();
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
  }
  std::string Creds(const std::string& secret = kS3SecretKey) {
    return "AWS_ACCESS_KEY_ID=" + kS3AccessKey + " AWS_SECRET_ACCESS_KEY=" + secret + " AWS_ENDPOINT_URL_S3=" + s3_->endpoint();
  }
  void ExpectNoSecret(const RunResult& r, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets) {
      EXPECT_EQ(r.out.find(s), std::string::npos) << "stdout shows a secret";
      EXPECT_EQ(r.err.find(s), std::string::npos) << "stderr shows a secret";
      EXPECT_EQ(Reason().find(s), std::string::npos) << "the termination log shows a secret";
      if (fs::exists(Dest() + "/.aegis-verified.json")) {
        EXPECT_EQ(ReadFile(Dest() + "/.aegis-verified.json").find(s), std::string::npos);
      }
    }
  }
  static inline S3rver* s3_ = nullptr;
  static inline std::string skip_;
};

TEST_F(ProgramS3Test, SignedGetPlacesTheModel) {
  auto r = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", Creds());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 100000u);
  EXPECT_NE(r.err.find("source=environment"), std::string::npos) << r.err;
  ExpectNoSecret(r, {kS3SecretKey});
}

TEST_F(ProgramS3Test, WrongSecretIsExit4AndNeverShown) {
  auto r = Run("--key " + PublicKey() + " --retries 1 s3://models/resnet/m.tar.gz model", Creds("wrong-secret-value"));
  ExpectFailure(r, 4, "HTTP 403");
  ExpectNoSecret(r, {"wrong-secret-value"});
}

TEST_F(ProgramS3Test, MissingObjectIsExit3) {
  ExpectFailure(Run("--key " + PublicKey() + " s3://models/resnet/none.tar.gz model", Creds()), 3, "s3://models/resnet/none.tar.gz");
}

TEST_F(ProgramS3Test, KserveEndpointVariablesAndSharedCredentialsWithSessionToken) {
  WriteFile(dir_.File("credentials"), "[serving]\naws_access_key_id = " + kS3AccessKey + "\naws_secret_access_key = " +
                                          kS3SecretKey + "\naws_session_token = SessionTokenValue123\n");
  std::string env = "S3_ENDPOINT=" + s3_->endpoint().substr(7) + " S3_USE_HTTPS=0 AWS_SHARED_CREDENTIALS_FILE=" +
                    dir_.File("credentials") + " AWS_PROFILE=serving";
  auto r = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectNoSecret(r, {kS3SecretKey, "SessionTokenValue123"});
}

TEST_F(ProgramS3Test, WebIdentityTokensAndStsCredentialsNeverAppearInAnyOutput) {
  const std::string web_token = "eyJhbGciOiJSUzI1NiJ9.web-identity-token-value.sig";
  const std::string session = "StsSessionTokenValue456";
  HttpServer sts([&](const HttpRequest&, HttpConnection& c) {
    c.Respond(200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>" +
                       kS3AccessKey + "</AccessKeyId><SecretAccessKey>" + kS3SecretKey + "</SecretAccessKey><SessionToken>" +
                       session + "</SessionToken></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  });
  WriteFile(dir_.File("token"), web_token + "\n");
  std::string env = "AWS_ROLE_ARN=arn:aws:iam::1:role/r AWS_WEB_IDENTITY_TOKEN_FILE=" + dir_.File("token") +
                    " AWS_ENDPOINT_URL_STS=" + sts.Url("") + " AWS_ENDPOINT_URL_S3=" + s3_->endpoint();
  auto ok = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", env);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(sts.requests(), 1) << "credentials are resolved once for the signature and the artifact";
  ExpectNoSecret(ok, {web_token, session, kS3SecretKey});
  fs::remove_all(Dest());
  auto failed = Run("--key " + OtherPublicKey() + " s3://models/resnet/m.tar.gz model", env);
  ExpectFailure(failed, 5, "does not verify");
  ExpectNoSecret(failed, {web_token, session, kS3SecretKey});
}

}  // namespace
}  // namespace aegis::testing
