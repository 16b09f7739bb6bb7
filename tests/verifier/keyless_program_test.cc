// The keyless vectors (tests/testdata/sigstore/cases.tsv) through both programs as users run
// them: verify-and-fetch with --trusted-root and the identity policy (exit 0 and the file
// placed, or exit 5 and nothing placed, the failed check in the termination log), and
// `aegis verify` (the same verdicts; it prints who signed).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace aegis::testing {
namespace {
namespace fs = std::filesystem;

std::string Data(const std::string& rel) { return SourcePath("tests/testdata/sigstore/" + rel); }

std::string Q(const std::string& s) { return "'" + s + "'"; }

struct Row {
  std::string name, bundle, artifact, root, identity, issuer, expect;
};

std::vector<Row> Rows() {
  std::vector<Row> out;
  std::istringstream in(ReadFile(Data("cases.tsv")));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream cols(line);
    for (std::string c; std::getline(cols, c, '\t');) f.push_back(c);
    if (f.size() >= 7 && f[0] != "staging-rekor2") out.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
  }
  return out;
}

std::string Policy(const Row& r) {
  return " --trusted-root " + Q(Data(r.root)) + " --certificate-identity " + Q(r.identity) + " --certificate-oidc-issuer " +
         Q(r.issuer);
}

TEST(KeylessProgram, VerifyAndFetchGivesEveryVectorsResult) {
  size_t placed = 0, refused = 0;
  for (const Row& r : Rows()) {
    TempDir d;
    bool tree = fs::is_directory(Data(r.artifact));
    std::string artifact = Data(r.artifact);
    if (tree) {  // a model directory: verify-and-fetch takes it as an archive
      ASSERT_EQ(RunShell("tar -C " + Q(artifact) + " -czf " + d.File("model.tar.gz") + " .").exit_code, 0);
      artifact = d.File("model.tar.gz");
    }
    std::string sig = tree ? "" : " --signature " + Q(Data(r.bundle));
    auto run = RunShell(std::string(VAF_BIN) + " --key /nonexistent" + Policy(r) + sig + (tree ? " --ignore-paths ignore-me" : "") +
                        " --termination-log " + d.File("reason") + " file://" + artifact + " " + d.File("dest"));
    if (r.expect == "ok") {
      EXPECT_EQ(run.exit_code, 0) << r.name << "\n" << run.err;
      EXPECT_FALSE(fs::is_empty(d.File("dest"))) << r.name;
      EXPECT_NE(run.err.find("Fulcio certificate for " + r.identity), std::string::npos) << r.name << run.err;
      placed += run.exit_code == 0;
    } else {
      EXPECT_EQ(run.exit_code, 5) << r.name << "\n" << run.err;
      EXPECT_TRUE(!fs::exists(d.File("dest")) || fs::is_empty(d.File("dest"))) << r.name << ": something was placed";
      EXPECT_FALSE(ReadFile(d.File("reason")).empty()) << r.name;
      refused += run.exit_code == 5;
    }
  }
  EXPECT_EQ(placed, 8u);
  EXPECT_EQ(refused, 12u);
}

TEST(KeylessProgram, AegisVerifyShowsWhoSigned) {
  for (const Row& r : Rows()) {
    bool tree = fs::is_directory(Data(r.artifact));
    std::string cmd = "verify " + Q(Data(r.artifact)) + Policy(r) + (tree ? " --ignore-paths ignore-me" : " --signature " + Q(Data(r.bundle)));
    auto text = RunAegis(cmd);
    EXPECT_EQ(text.exit_code, r.expect == "ok" ? 0 : 5) << r.name << "\n" << text.out << text.err;
    if (r.expect == "ok") {
      EXPECT_NE(text.out.find("keyless: identity " + r.identity + ", issuer " + r.issuer + ", Rekor log index "), std::string::npos)
          << r.name << "\n" << text.out;
      auto json = RunAegis(cmd + " --format json");
      auto j = nlohmann::json::parse(json.out, nullptr, false);
      ASSERT_TRUE(j.is_object()) << json.out;
      EXPECT_EQ(j["signer"]["identity"], r.identity) << r.name;
      EXPECT_EQ(j["signer"]["issuer"], r.issuer) << r.name;
      EXPECT_GT(j["signer"]["logIndex"].get<int64_t>(), 0) << r.name;
      EXPECT_EQ(j["signer"]["signedAt"].get<std::string>().size(), 20u) << r.name;  // 2024-03-19T17:26:26Z
    }
  }
}

TEST(KeylessProgram, AnIncompletePolicyIsNoTrustAndABadPatternAUsageError) {
  Row r = Rows().front();
  std::string base = "verify " + Q(Data(r.artifact)) + " --signature " + Q(Data(r.bundle)) + " --trusted-root " + Q(Data(r.root));
  auto no_issuer = RunAegis(base + " --certificate-identity " + Q(r.identity));
  EXPECT_EQ(no_issuer.exit_code, 7) << no_issuer.out << no_issuer.err;
  auto bad = RunAegis(base + " --certificate-identity-regexp '(' --certificate-oidc-issuer " + Q(r.issuer));
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  auto no_root = RunAegis("verify " + Q(Data(r.artifact)) + " --signature " + Q(Data(r.bundle)) + " --certificate-identity " +
                          Q(r.identity) + " --certificate-oidc-issuer " + Q(r.issuer));
  EXPECT_EQ(no_root.exit_code, 2) << "a policy without a trusted root" << no_root.err;
  auto root_missing = RunAegis("verify " + Q(Data(r.artifact)) + " --signature " + Q(Data(r.bundle)) +
                               " --trusted-root /nonexistent.json --certificate-identity " + Q(r.identity) +
                               " --certificate-oidc-issuer " + Q(r.issuer));
  EXPECT_EQ(root_missing.exit_code, 7);
  EXPECT_NE((root_missing.out + root_missing.err).find("/nonexistent.json"), std::string::npos);
}

}  // namespace
}  // namespace aegis::testing
