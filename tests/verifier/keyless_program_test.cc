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
    if (f.size() >= 7) out.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
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
    // The DSSE vector is SLSA provenance, allowed by name (by default only model_signing's is).
    std::string sig = tree ? "" : " --signature " + Q(Data(r.bundle)) + " --predicate-type https://slsa.dev/provenance/v1";
    auto run = RunShell(std::string(VAF_BIN) + " --key /nonexistent" + Policy(r) + sig + (tree ? " --ignore-paths ignore-me" : "") +
                        " --termination-log " + d.File("reason") + " file://" + artifact + " " + d.File("dest"));
    if (r.expect == "ok") {
      EXPECT_EQ(run.exit_code, 0) << r.name << "\n" << run.err;
      EXPECT_FALSE(fs::is_empty(d.File("dest"))) << r.name;
      EXPECT_NE(run.err.find("Fulcio certificate for " + r.identity), std::string::npos) << r.name << run.err;
      // The success record names who signed, as the certificate and the log say.
      if (run.exit_code == 0) {
        auto record = nlohmann::json::parse(ReadFile(d.File("reason")));
        EXPECT_EQ(record["signer"]["identity"], r.identity) << r.name;
        EXPECT_EQ(record["signer"]["issuer"], r.issuer) << r.name;
        EXPECT_GT(record["signer"]["logIndex"].get<int64_t>(), 0) << r.name;
        EXPECT_EQ(record["verified"], true) << r.name;
      }
      placed += run.exit_code == 0;
    } else {
      EXPECT_EQ(run.exit_code, 5) << r.name << "\n" << run.err;
      EXPECT_TRUE(!fs::exists(d.File("dest")) || fs::is_empty(d.File("dest"))) << r.name << ": something was placed";
      EXPECT_FALSE(ReadFile(d.File("reason")).empty()) << r.name;
      refused += run.exit_code == 5;
    }
  }
  EXPECT_EQ(placed, 9u);
  EXPECT_EQ(refused, 12u);
}

// The wrong kind of trust for a bundle is named as such: a keyless bundle with a key, a key
// bundle with only a trusted root, and a trusted root without an identity (a usage error).
TEST(KeylessProgram, TheWrongKindOfTrustIsNamed) {
  const Row r = Rows()[2];  // prod-v03, a keyless bundle that verifies with its identity
  ASSERT_EQ(r.expect, "ok");
  TempDir d;
  ASSERT_EQ(RunShell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + d.File("k.pem") +
                     " && openssl pkey -in " + d.File("k.pem") + " -pubout -out " + d.File("k.pub"))
                .exit_code,
            0);
  std::string base = std::string(VAF_BIN) + " --termination-log " + d.File("reason") + " --signature " + Q(Data(r.bundle));
  auto with_key = RunShell(base + " --key " + d.File("k.pub") + " file://" + Data(r.artifact) + " " + d.File("dest"));
  EXPECT_EQ(with_key.exit_code, 5) << with_key.err;
  EXPECT_NE(with_key.err.find("this bundle is keyless (signed with a Fulcio certificate)"), std::string::npos) << with_key.err;
  auto no_identity = RunShell(base + " --key /nonexistent --trusted-root " + Q(Data(r.root)) + " file://" + Data(r.artifact) +
                              " " + d.File("dest"));
  EXPECT_EQ(no_identity.exit_code, 2) << no_identity.err;
  EXPECT_NE(no_identity.err.find("an identity (--certificate-identity"), std::string::npos) << no_identity.err;
  // A bundle signed by a key (aegis sign), checked with only a trusted root.
  WriteFile(d.File("m.bin"), "weights");
  ASSERT_EQ(RunAegis("sign " + d.File("m.bin") + " --key " + d.File("k.pem")).exit_code, 0);
  auto key_bundle = RunShell(std::string(VAF_BIN) + " --termination-log " + d.File("reason") + " --key /nonexistent" + Policy(r) +
                             " file://" + d.File("m.bin") + " " + d.File("dest2"));
  EXPECT_EQ(key_bundle.exit_code, 7) << key_bundle.err;
  EXPECT_NE(key_bundle.err.find("this bundle is signed by a key, not keyless"), std::string::npos) << key_bundle.err;
}

TEST(KeylessProgram, AegisVerifyShowsWhoSigned) {
  for (const Row& r : Rows()) {
    bool tree = fs::is_directory(Data(r.artifact));
    std::string cmd = "verify " + Q(Data(r.artifact)) + Policy(r) +
                      (tree ? " --ignore-paths ignore-me"
                            : " --signature " + Q(Data(r.bundle)) + " --predicate-type https://slsa.dev/provenance/v1");
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

// A missing flag is a usage error (exit 2), as a bad pattern is: the trust material is there.
TEST(KeylessProgram, AnIncompletePolicyAndABadPatternAreUsageErrors) {
  Row r = Rows().front();
  std::string base = "verify " + Q(Data(r.artifact)) + " --signature " + Q(Data(r.bundle)) + " --trusted-root " + Q(Data(r.root));
  auto no_issuer = RunAegis(base + " --certificate-identity " + Q(r.identity));
  EXPECT_EQ(no_issuer.exit_code, 2) << no_issuer.out << no_issuer.err;
  auto bad = RunAegis(base + " --certificate-identity-regexp '(' --certificate-oidc-issuer " + Q(r.issuer));
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  auto both = RunAegis(base + " --certificate-identity " + Q(r.identity) + " --certificate-identity-regexp x --certificate-oidc-issuer " +
                       Q(r.issuer));
  EXPECT_EQ(both.exit_code, 2) << "either form would admit a signer: one of them is the policy";
  auto no_root = RunAegis("verify " + Q(Data(r.artifact)) + " --signature " + Q(Data(r.bundle)) + " --certificate-identity " +
                          Q(r.identity) + " --certificate-oidc-issuer " + Q(r.issuer));
  EXPECT_EQ(no_root.exit_code, 2) << "a policy without a trusted root" << no_root.err;
  auto root_missing = RunAegis("verify " + Q(Data(r.artifact)) + " --signature " + Q(Data(r.bundle)) +
                               " --trusted-root /nonexistent.json --certificate-identity " + Q(r.identity) +
                               " --certificate-oidc-issuer " + Q(r.issuer));
  EXPECT_EQ(root_missing.exit_code, 7);
  EXPECT_NE((root_missing.out + root_missing.err).find("/nonexistent.json"), std::string::npos);
}

// `aegis render --keyless` makes a verifier that the keyless policy admits and that, run with
// exactly the rendered environment and arguments (the ConfigMap mount mapped to the vectors'
// trusted root), places a keyless-signed model — and refuses it for another identity.
TEST(KeylessProgram, RenderedKeylessVerifierVerifiesWithItsOwnEnvironment) {
  Row r = Rows()[2];  // prod-v03
  ASSERT_EQ(r.name, "prod-v03");
  TempDir d;
  fs::copy_file(Data(r.artifact), d.File("model.bin"));
  fs::copy_file(Data(r.bundle), d.File("model.bin.sigstore.json"));
  ASSERT_EQ(RunAegis("policy export --only constraint --allow-keyless --namespaces models > " + d.File("policy.yaml")).exit_code, 0);
  WriteFile(d.File("pod.json"), R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "server", "namespace": "models"},
  "spec": {"containers": [{"name": "server", "image": "busybox", "args": ["--model-dir=/models"]}]}})");
  for (const auto& [identity, want] : {std::pair<std::string, int>{r.identity, 0}, {"https://github.com/someone/else", 5}}) {
    auto rendered = RunAegis("render --allow-unpinned --keyless --policy policy.yaml --certificate-identity " + Q(identity) +
                                 " --certificate-oidc-issuer " + Q(r.issuer) + " --artifact file://" + d.File("model.bin") + " pod.json",
                             d.path());
    ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
    WriteFile(d.File("rendered.json"), rendered.out);
    EXPECT_EQ(RunAegis("lint --policy policy.yaml rendered.json", d.path()).exit_code, 0) << "the keyless policy admits it";
    auto pod = nlohmann::json::parse(rendered.out);
    const auto& init = pod["spec"]["initContainers"][0];
    std::string env;
    for (const auto& e : init["env"]) {
      std::string value = e["value"].get<std::string>();
      if (e["name"] == "AEGIS_TRUSTED_ROOT") {  // the ConfigMap's mount, /etc/sigstore
        EXPECT_EQ(value, "/etc/sigstore/trusted_root.json");
        value = Data(r.root);
      }
      env += " " + e["name"].get<std::string>() + "=" + Q(value);
    }
    bool mounted = false;
    for (const auto& m : init["volumeMounts"]) mounted = mounted || m["mountPath"] == "/etc/sigstore";
    EXPECT_TRUE(mounted);
    fs::remove_all(d.File("dest"));
    auto run = RunShell("env -i PATH=/usr/bin:/bin" + env + " " + VAF_BIN + " --termination-log " + d.File("reason") + " " +
                        Q(init["args"][0].get<std::string>()) + " " + d.File("dest"));
    EXPECT_EQ(run.exit_code, want) << identity << "\n" << run.err;
    EXPECT_EQ(fs::exists(d.File("dest/model.bin")), want == 0) << identity;
  }
}

}  // namespace
}  // namespace aegis::testing
