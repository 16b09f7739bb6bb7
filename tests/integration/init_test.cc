// `aegis init`, run as an adopter would: the key it makes signs what the verifier accepts,
// its Secret is the one `kubectl create secret` makes, its constraint is `policy export`'s,
// its printed lint line judges workloads by the chosen scope, and it never overwrites a file.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

#include "support/test_support.h"

namespace aegis::testing {
namespace {

constexpr const char* kBareDeployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: NAME, namespace: NS}\nspec:\n  selector: {matchLabels: {app: a}}\n"
    "  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: s, image: \"redis:7\"}]\n";

std::string Bare(const std::string& name, const std::string& ns) {
  std::string s = kBareDeployment;
  s.replace(s.find("NAME"), 4, name);
  s.replace(s.find("NS"), 2, ns);
  return s;
}

// The line of the printed steps that starts with `prefix` (after the indent).
std::string StepLine(const std::string& out, const std::string& prefix) {
  size_t at = out.find("\n  " + prefix);
  if (at == std::string::npos) return {};
  size_t end = out.find('\n', at + 1);
  return out.substr(at + 3, end - at - 3);
}

TEST(Init, KeysPolicyAndSecretsAnAdopterCanUse) {
  TempDir d;
  auto r = RunAegis("init --namespaces models,serving --secret-manifests", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"signing-key.pem", "cosign.pub", "constrainttemplate.yaml", "constraint.yaml", "secret-models.yaml",
                        "secret-serving.yaml"}) {
    EXPECT_TRUE(std::filesystem::exists(d.File(std::string("aegis/") + f))) << f;
  }
  struct stat st {};
  ASSERT_EQ(::stat(d.File("aegis/signing-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the private key is the owner's only";
  EXPECT_EQ(ReadFile(d.File("aegis/signing-key.pem")).rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(r.out.find("BEGIN PRIVATE KEY"), std::string::npos) << "the key is never printed";

  // The key signs what the verifier accepts, and openssl reads the public half.
  WriteFile(d.File("model.bin"), "weights\n");
  EXPECT_EQ(RunAegis("sign model.bin --key aegis/signing-key.pem", d.path()).exit_code, 0);
  EXPECT_EQ(RunAegis("verify model.bin --key aegis/cosign.pub", d.path()).exit_code, 0);
  EXPECT_EQ(RunShell("openssl pkey -pubin -in aegis/cosign.pub -noout -text", d.path()).out.find("prime256v1") != std::string::npos,
            true);

  // The constraint is exactly the export of the same choices, the key it wrote pinned by the
  // fingerprint openssl computes; the template is the shipped one.
  auto fp = RunShell("openssl pkey -pubin -in aegis/cosign.pub -outform DER | openssl dgst -sha256 -r | cut -c1-64", d.path());
  ASSERT_EQ(fp.exit_code, 0);
  std::string fingerprint = "sha256:" + fp.out.substr(0, 64);
  EXPECT_EQ(ReadFile(d.File("aegis/constraint.yaml")),
            RunAegis("policy export --only constraint --enforcement dryrun --key-fingerprint " + fingerprint).out);
  EXPECT_NE(ReadFile(d.File("aegis/constraint.yaml")).find("trust: {\"keys\":[\"" + fingerprint + "\"]}"), std::string::npos);
  EXPECT_EQ(ReadFile(d.File("aegis/constrainttemplate.yaml")), ReadFile(SourcePath("policies/constrainttemplate.yaml")));
  EXPECT_EQ(RunAegis("policy check aegis", d.path()).exit_code, 0);

  // Every step is one command; the order Gatekeeper needs (template, CRD, constraint).
  EXPECT_NE(r.out.find("\n  kubectl label namespace models aegis.dev/model-serving=true\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  kubectl label namespace serving aegis.dev/model-serving=true\n"), std::string::npos) << r.out;
  size_t tmpl = r.out.find("kubectl apply -f aegis/constrainttemplate.yaml");
  size_t wait = r.out.find("kubectl wait --for=condition=established --timeout=60s crd/aegissignedpod.constraints.gatekeeper.sh");
  size_t cons = r.out.find("kubectl apply -f aegis/constraint.yaml");
  ASSERT_NE(tmpl, std::string::npos);
  ASSERT_NE(wait, std::string::npos);
  ASSERT_NE(cons, std::string::npos);
  EXPECT_LT(tmpl, wait);
  EXPECT_LT(wait, cons);

  // The printed lint line: a model server in a namespace named at init is checked, redis
  // elsewhere is not.
  std::string lint = StepLine(r.out, "aegis lint ");
  ASSERT_FALSE(lint.empty()) << r.out;
  std::filesystem::create_directory(d.File("deploy"));
  WriteFile(d.File("deploy/server.yaml"), Bare("server", "models"));
  WriteFile(d.File("deploy/redis.yaml"), Bare("redis", "cache"));
  auto checked = RunShell("'" AEGIS_BIN "' " + lint.substr(6) + " -f json", d.path());
  EXPECT_EQ(checked.exit_code, 1) << checked.out << checked.err;
  EXPECT_NE(checked.out.find("\"name\": \"server\""), std::string::npos);
  EXPECT_NE(checked.out.find("\"status\": \"out-of-scope\""), std::string::npos) << "redis in cache";

  // The Secret manifest is the one kubectl makes from the same file.
  if (!HaveCommand("kubectl")) AEGIS_SKIP_WITHOUT_PEER("kubectl is not installed: the Secret is not compared");
  auto made = RunShell("kubectl create secret generic cosign-public-key -n models --from-file=cosign.pub=aegis/cosign.pub "
                       "--dry-run=client -o jsonpath='{.data.cosign\\.pub}'",
                       d.path());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(ReadFile(d.File("aegis/secret-models.yaml")).find("  cosign.pub: " + made.out + "\n"), std::string::npos);
  EXPECT_NE(ReadFile(d.File("aegis/secret-models.yaml")).find("  namespace: models\n"), std::string::npos);
}

TEST(Init, NeverOverwritesAndWritesNothingWhenSomethingIsInTheWay) {
  TempDir d;
  ASSERT_EQ(RunAegis("init keys", d.path()).exit_code, 0);
  std::string before = ReadFile(d.File("keys/signing-key.pem")) + ReadFile(d.File("keys/cosign.pub"));
  auto again = RunAegis("init keys --secret-manifests", d.path());
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("refusing to overwrite keys/signing-key.pem, keys/cosign.pub"), std::string::npos) << again.err;
  EXPECT_FALSE(std::filesystem::exists(d.File("keys/secret-models.yaml"))) << "all or nothing";
  EXPECT_EQ(ReadFile(d.File("keys/signing-key.pem")) + ReadFile(d.File("keys/cosign.pub")), before);
  // A planted link where the key would go is not written through.
  std::filesystem::create_directory(d.File("other"));
  std::filesystem::create_symlink("../victim", d.File("other/signing-key.pem"));
  EXPECT_EQ(RunAegis("init other", d.path()).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(d.File("victim")));
}

TEST(Init, AnExistingPublicKeyAndTheOtherScopes) {
  TempDir d;
  ASSERT_EQ(RunShell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out k.pem && "
                     "openssl pkey -in k.pem -pubout -out team.pub",
                     d.path())
                .exit_code,
            0);
  auto r = RunAegis("init --public-key team.pub --scope namespaces --namespaces models,serving --secret-manifests", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d.File("aegis/signing-key.pem"))) << "no key pair is made";
  EXPECT_NE(ReadFile(d.File("aegis/secret-serving.yaml")).find("  team.pub: "), std::string::npos);
  EXPECT_NE(ReadFile(d.File("aegis/constraint.yaml")).find("    namespaces: [\"models\", \"serving\"]\n"), std::string::npos);
  EXPECT_EQ(r.out.find("kubectl label"), std::string::npos) << "nothing to label";

  // The project file of the first init is in the way of a second one's: --no-config.
  auto second = RunAegis("init wl --scope workload-label", d.path());
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("--no-config keeps the project's .aegis.yaml"), std::string::npos) << second.err;
  auto w = RunAegis("init wl --no-config --scope workload-label --label team.example/serves-models", d.path());
  ASSERT_EQ(w.exit_code, 0) << w.err;
  EXPECT_NE(ReadFile(d.File("wl/constraint.yaml")).find("\"team.example/serves-models\": \"true\""), std::string::npos);
  EXPECT_NE(w.out.find("kubectl -n models create secret generic cosign-public-key --from-file=cosign.pub=wl/cosign.pub"),
            std::string::npos)
      << w.out;

  // Bad input names what is wrong, and writes nothing.
  WriteFile(d.File("not-a-key.pub"), "hello\n");
  auto bad = RunAegis("init x --public-key not-a-key.pub", d.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("not-a-key.pub: not a public key the verifier can use"), std::string::npos) << bad.err;
  EXPECT_EQ(RunAegis("init y --namespaces Models", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("init z --label 'bad key=1'", d.path()).exit_code, 2);
  for (const char* dir : {"x", "y", "z"}) EXPECT_FALSE(std::filesystem::exists(d.File(dir))) << dir;
}

}  // namespace
}  // namespace aegis::testing
