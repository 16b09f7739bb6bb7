// The front door (issue 32): what a newcomer runs first is a test. The README's quick start is
// run as written; the project file (.aegis.yaml) and its precedence; kubectl's -o/-f; help and
// typos; render reconciling hand-written verifiers and keeping a pinned image; an unknown
// namespace that hides findings fails --fail-on-warn.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "support/test_support.h"

namespace aegis {
namespace {

using testing::ReadFile;
using testing::ReadmeSteps;
using testing::RunReadmeStep;
using testing::RunAegis;
using testing::RunShell;
using testing::SourcePath;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kDigest = "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";

constexpr const char* kTriton =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: triton}\nspec:\n  selector: {matchLabels: {app: t}}\n"
    "  template:\n    metadata: {labels: {app: t}}\n    spec:\n      containers:\n        - name: triton\n"
    "          image: nvcr.io/nvidia/tritonserver:24.05-py3\n          args: [tritonserver, --model-repository=/models]\n";

// Followed literally with a registry's name for REG: every aegis line works without a flag
// the README does not show (kubectl, aws, skopeo and the image build need a cluster and a
// registry: tests/cluster runs those steps; the canary needs the cluster too).
TEST(FrontDoor, TheQuickStartWorksAsWritten) {
  TempDir d;
  std::filesystem::create_directories(d.File("deploy"));
  WriteFile(d.File("deploy/triton.yaml"), kTriton);
  WriteFile(d.File("model.tar.gz"), "model bytes");
  size_t ran = 0;
  for (const std::string& line : ReadmeSteps("## Quick start")) {
    if (line.starts_with("aegis canary")) continue;  // needs a cluster: tests/cluster runs it
    auto r = RunReadmeStep(line, d.path());
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    ++ran;
  }
  EXPECT_GE(ran, 5u);  // init, sign, render, lint, policy export
  EXPECT_NE(ReadFile(d.File("deploy/triton.yaml")).find(std::string("registry.example.com/aegis/verify-and-fetch@") + kDigest),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(d.File("model.tar.gz.sigstore.json")));
  // The pre-commit hook's call after the quick start: the pinned image is kept, nothing to change.
  auto again = RunAegis("render --diff deploy/triton.yaml", d.path());
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(again.out, "");
}

// The keyless section's export and render steps, as written (the verify step needs the
// bucket; tests/verifier/keyless_program_test.cc runs a rendered keyless verifier).
TEST(FrontDoor, TheKeylessSectionWorksAsWritten) {
  std::vector<std::string> steps = ReadmeSteps("### Keyless: models signed with Sigstore");
  ASSERT_EQ(steps.size(), 3u);  // init, render, verify (verify needs the bucket: keyless_program_test)
  TempDir d;
  std::filesystem::create_directories(d.File("deploy"));
  WriteFile(d.File("deploy/triton.yaml"), kTriton);
  WriteFile(d.File("trusted_root.json"), ReadFile(SourcePath("tests/testdata/sigstore/roots/prod.json")));
  for (size_t i = 0; i < 2; ++i) {
    auto r = RunReadmeStep(steps[i], d.path());
    EXPECT_EQ(r.exit_code, 0) << steps[i] << "\n" << r.out << r.err;
  }
  std::string rendered = ReadFile(d.File("deploy/triton.yaml"));
  EXPECT_NE(rendered.find("AEGIS_CERTIFICATE_OIDC_ISSUER"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("configMap:"), std::string::npos) << rendered;
  EXPECT_EQ(rendered.find("cosign-public-key"), std::string::npos) << "no key Secret in keyless mode";
  // The root the ConfigMap will hold is pinned by its SHA-256, with the identity.
  std::string constraint = ReadFile(d.File("aegis/constraint.yaml"));
  EXPECT_NE(constraint.find("\"trustedRoots\":[\"sha256:6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66\"]"),
            std::string::npos) << constraint;
  EXPECT_NE(rendered.find("AEGIS_TRUST_POLICY"), std::string::npos) << rendered;
  auto lint = RunAegis("lint --fail-on-warn deploy/", d.path());  // the policy and labels from .aegis.yaml
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
}

// The render and lint steps `aegis init` prints work as printed (DIGEST and the file named).
TEST(FrontDoor, TheStepsInitPrintsWork) {
  TempDir d;
  auto init = RunAegis("init --namespaces models --verifier-image registry.example.com/aegis/verify-and-fetch --require-digest",
                       d.path());
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::filesystem::create_directories(d.File("deploy"));
  WriteFile(d.File("deploy/model-server.yaml"), kTriton);
  size_t ran = 0;
  std::istringstream lines(init.out);
  for (std::string line; std::getline(lines, line);) {
    line.erase(0, line.find_first_not_of(' '));
    if (!line.starts_with("aegis render") && !line.starts_with("aegis lint")) continue;
    if (size_t at = line.find("sha256:DIGEST"); at != std::string::npos) line.replace(at, 13, kDigest);
    auto r = RunReadmeStep(line, d.path());
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    ++ran;
  }
  EXPECT_EQ(ran, 2u) << init.out;
}

// Without a project file and with the built-in policy, render --diff and lint agree on a
// verifier image the policy refuses: lint reports AEGIS004, render would replace it.
TEST(FrontDoor, RenderDiffAndLintAgreeOnARefusedImage) {
  TempDir d;
  WriteFile(d.File("x.yaml"), kTriton);
  ASSERT_EQ(RunAegis("render -i --policy " + SourcePath("policies/constraint-audit.yaml") +
                         " --image registry.example.com/aegis/verify-and-fetch --artifact s3://m/a.tgz x.yaml",
                     d.path())
                .exit_code,
            2)
      << "the audit policy allows only the shipped image";
  auto any = d.File("any.yaml");
  WriteFile(any, "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\nmetadata: {name: any}\nspec: {parameters: {}}\n");
  ASSERT_EQ(RunAegis("render -i --policy any.yaml --image registry.example.com/aegis/verify-and-fetch@" + std::string(kDigest) +
                         " --artifact s3://m/a.tgz x.yaml",
                     d.path())
                .exit_code,
            0);
  auto lint = RunAegis("lint --namespace-labels models=aegis.dev/model-serving=true -n models x.yaml", d.path());
  EXPECT_EQ(lint.exit_code, 1);
  EXPECT_NE(lint.out.find("[AEGIS004]"), std::string::npos) << lint.out;
  auto diff = RunAegis("render --diff x.yaml", d.path());
  EXPECT_EQ(diff.exit_code, 1) << "not clean: " << diff.out << diff.err;
  EXPECT_NE(diff.out.find("+          image: \"localhost/aegis/verify-and-fetch:0.1.0\""), std::string::npos) << diff.out;
}

// The README's two commands are what CI runs, in order.
TEST(FrontDoor, CiRunsBothReadmeCommands) {
  std::string readme = ReadFile(SourcePath("README.md"));
  size_t begin = readme.find("```sh\n") + 6;
  std::istringstream in(readme.substr(begin, readme.find("```", begin) - begin));
  std::string ci = ReadFile(SourcePath(".ci/run")), line;
  size_t last = 0, commands = 0;
  while (std::getline(in, line)) {
    std::string command = line.substr(0, line.find("  #"));
    while (!command.empty() && command.back() == ' ') command.pop_back();
    if (command.empty()) continue;
    size_t at = ci.find("\n" + command + "\n");
    ASSERT_NE(at, std::string::npos) << command << " is not run by .ci/run";
    EXPECT_GT(at, last) << command << " runs out of the README's order";
    last = at;
    ++commands;
  }
  EXPECT_EQ(commands, 2u);
}

TEST(FrontDoor, OutputFlagsSpeakKubectl) {
  TempDir d;
  WriteFile(d.File("x.yaml"), kTriton);
  auto json = RunAegis("lint -o json -f x.yaml", d.path());
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(json.out.starts_with("{")) << json.out;
  EXPECT_FALSE(std::filesystem::exists(d.File("json")));
  auto file = RunAegis("lint -o sarif --output-file r.sarif -o text x.yaml", d.path());
  EXPECT_EQ(file.exit_code, 0) << file.err;
  EXPECT_NE(ReadFile(d.File("r.sarif")).find("\"version\": \"2.1.0\""), std::string::npos);
  EXPECT_NE(file.out.find("aegis lint:"), std::string::npos);
  // The earlier spelling works for one release, with a warning naming the new one.
  auto old = RunAegis("lint -f json -o old.json x.yaml", d.path());
  EXPECT_EQ(old.exit_code, 0) << old.err;
  EXPECT_TRUE(ReadFile(d.File("old.json")).starts_with("{"));
  EXPECT_NE(old.err.find("use -o json"), std::string::npos) << old.err;
  EXPECT_NE(old.err.find("use --output-file old.json"), std::string::npos) << old.err;
  auto bad = RunAegis("lint -o yaml x.yaml", d.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("-o yaml: not an output format (one of text, json, sarif, junit, github)"), std::string::npos) << bad.err;
}

TEST(FrontDoor, HelpAndTyposAreAnswered) {
  auto typo = RunAegis("lnt x");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown command \"lnt\"; did you mean \"lint\"?"), std::string::npos) << typo.err;
  auto help = RunAegis("help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* name : {"init", "lint", "render", "policy", "sign", "verify", "pack", "canary", "status"}) {
    EXPECT_NE(help.out.find(std::string("  ") + name + " "), std::string::npos) << name << "\n" << help.out;
    auto sub = RunAegis(std::string("help ") + name);
    EXPECT_EQ(sub.exit_code, 0) << name << sub.err;
    EXPECT_NE(sub.out.find(std::string("Usage: aegis ") + name), std::string::npos) << sub.out;
  }
  // Every command's help names its exit codes and where it is documented.
  for (const char* command :
       {"init", "lint", "render", "sign", "verify", "pack", "canary", "status", "policy export", "policy check"}) {
    auto h = RunAegis(std::string(command) + " --help");
    EXPECT_NE(h.out.find("Exit codes"), std::string::npos) << command;
    EXPECT_TRUE(h.out.find("docs/") != std::string::npos || h.out.find("README") != std::string::npos) << command << h.out;
  }
  // The README's rule table lists every rule the linter reports.
  std::string readme = ReadFile(SourcePath("README.md"));
  for (const char* id : {"AEGIS001", "AEGIS002", "AEGIS003", "AEGIS004", "AEGIS005", "AEGIS006"}) {
    EXPECT_NE(readme.find(std::string("| ") + id + " |"), std::string::npos) << id;
  }
}

// A hand-written verifier (the pattern's name, any image, no args) is reconciled, not refused.
TEST(FrontDoor, RenderCompletesAHandWrittenVerifier) {
  TempDir d;
  WriteFile(d.File("w.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: models}\nspec:\n  initContainers:\n"
            "    - name: verify-model\n      image: busybox:1.36\n  containers:\n    - name: s\n      image: s:1\n");
  auto r = RunAegis("render -i --artifact s3://m/a.tgz w.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("verifier image busybox:1.36 → localhost/aegis/verify-and-fetch:0.1.0"), std::string::npos) << r.err;
  auto lint = RunAegis("lint --namespace-labels models=aegis.dev/model-serving=true w.yaml", d.path());
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
}

// A PVC-backed Deployment (the server mounts the claim at its model path) with --artifact
// pvc://CLAIM/PATH: the server's mount becomes the verified copy's, the verifier reads the
// claim; the result lints clean and a second render changes nothing.
TEST(FrontDoor, RenderTakesOverAPvcBackedServer) {
  TempDir d;
  WriteFile(d.File("pvc.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: t, namespace: models}\nspec:\n"
            "  selector: {matchLabels: {app: t}}\n  template:\n    metadata: {labels: {app: t}}\n    spec:\n"
            "      containers:\n        - name: triton\n          image: nvcr.io/nvidia/tritonserver:24.05-py3\n"
            "          args: [tritonserver, --model-repository=/models]\n"
            "          volumeMounts:\n            - {name: model-store, mountPath: /models}\n"
            "      volumes:\n        - name: model-store\n          persistentVolumeClaim: {claimName: models-pvc}\n");
  auto r = RunAegis("render -i --artifact pvc://models-pvc/resnet pvc.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string out = ReadFile(d.File("pvc.yaml"));
  EXPECT_NE(out.find("- {readOnly: true, name: model, mountPath: /models}"), std::string::npos) << out;
  EXPECT_NE(out.find("args: [\"/mnt/pvc/resnet\", \"/models\"]"), std::string::npos) << out;
  EXPECT_NE(out.find("- name: model-store\n              mountPath: /mnt/pvc\n              readOnly: true"), std::string::npos) << out;
  EXPECT_EQ(RunAegis("lint --namespace-labels models=aegis.dev/model-serving=true pvc.yaml", d.path()).exit_code, 0);
  EXPECT_EQ(RunAegis("render --diff --artifact pvc://models-pvc/resnet pvc.yaml", d.path()).exit_code, 0);
}

// The pre-commit hook's flags on a workload with no verifier, its namespace's labels unknown.
TEST(FrontDoor, UnknownNamespaceHidingFindingsFailsFailOnWarn) {
  TempDir d;
  WriteFile(d.File("x.yaml"), kTriton);
  auto r = RunAegis("lint --fail-on-warn -q x.yaml", d.path());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("2 findings there are not reported (scope unknown)"), std::string::npos) << r.out;
  EXPECT_EQ(RunAegis("lint -q x.yaml", d.path()).exit_code, 0);  // a warning, as Gatekeeper would not see it
}

TEST(FrontDoor, TheProjectFileAndItsPrecedence) {
  TempDir d;
  std::filesystem::create_directories(d.File("repo/deploy/sub"));
  ASSERT_EQ(RunAegis("init --namespaces models --verifier-image registry.example.com/aegis/verify-and-fetch --require-digest",
                     d.File("repo"))
                .exit_code,
            0);
  std::string config = ReadFile(d.File("repo/.aegis.yaml"));
  EXPECT_NE(config.find("policy: \"aegis/constraint.yaml\""), std::string::npos) << config;
  EXPECT_NE(config.find("\"aegis.dev/model-serving\": \"true\""), std::string::npos) << config;
  WriteFile(d.File("repo/deploy/sub/x.yaml"), kTriton);
  // Found from a subdirectory: the policy (dryrun: warnings), the namespace and its labels.
  auto found = RunAegis("lint --fail-on-warn x.yaml", d.File("repo/deploy/sub"));
  EXPECT_EQ(found.exit_code, 1) << found.out << found.err;
  EXPECT_NE(found.out.find("[audit] Deployment models/triton: no initContainer"), std::string::npos) << found.out;
  // A flag wins; --no-config ignores the file.
  auto flag = RunAegis("lint --namespace-labels models=other=x --fail-on-warn -q x.yaml", d.File("repo/deploy/sub"));
  EXPECT_EQ(flag.out.find("[audit]"), std::string::npos) << flag.out;
  auto none = RunAegis("lint --no-config x.yaml", d.File("repo/deploy/sub"));
  EXPECT_NE(none.out.find("namespace default: its labels are unknown"), std::string::npos) << none.out;
  // render takes the image from the file: unpinned there, so it says what to pass.
  auto unpinned = RunAegis("render --artifact s3://m/a.tgz x.yaml", d.File("repo/deploy/sub"));
  EXPECT_EQ(unpinned.exit_code, 2);
  EXPECT_NE(unpinned.err.find("registry.example.com/aegis/verify-and-fetch (verifierImage of"), std::string::npos) << unpinned.err;
  EXPECT_NE(unpinned.err.find("pass --image REPOSITORY@sha256:DIGEST"), std::string::npos) << unpinned.err;
  // A pasted placeholder is "not a digest", not "not allowed".
  auto placeholder = RunAegis("render --image 'registry.example.com/aegis/verify-and-fetch@sha256:…' x.yaml", d.File("repo"));
  EXPECT_EQ(placeholder.exit_code, 2);
  EXPECT_NE(placeholder.err.find("sha256:… is not a digest"), std::string::npos) << placeholder.err;
  // A broken file is an error at its line, whatever the command.
  WriteFile(d.File("repo/.aegis.yaml"), "apiVersion: aegis.dev/v1\nkind: Config\npolcy: x.yaml\n");
  auto broken = RunAegis("lint x.yaml", d.File("repo/deploy/sub"));
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find(".aegis.yaml:3:1: unknown key polcy"), std::string::npos) << broken.err;
}

TEST(FrontDoor, InitKeylessWritesOneConstraintAndTheIdentity) {
  TempDir d;
  auto r = RunAegis("init --keyless --certificate-identity https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main "
                    "--certificate-oidc-issuer https://token.actions.githubusercontent.com",
                    d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d.File("aegis/signing-key.pem")));
  EXPECT_NE(ReadFile(d.File("aegis/constraint.yaml")).find("allowKeylessVerification: true"), std::string::npos);
  EXPECT_NE(r.out.find("create configmap sigstore-trusted-root"), std::string::npos) << r.out;
  WriteFile(d.File("x.yaml"), kTriton);
  auto render = RunAegis("render --artifact s3://m/a.tgz x.yaml", d.path());
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_NE(render.out.find("AEGIS_CERTIFICATE_IDENTITY"), std::string::npos) << render.out;
  EXPECT_NE(render.out.find("name: sigstore-trusted-root"), std::string::npos) << render.out;
}

// On a terminal (forced here: AEGIS_PROGRESS=always), pack and sign draw a progress line; in
// CI logs and pipes (the default without a terminal) they do not.
TEST(FrontDoor, PackAndSignShowProgressOnATerminal) {
  TempDir d;
  std::filesystem::create_directories(d.File("model"));
  WriteFile(d.File("model/weights.bin"), std::string(24 << 20, 'w'));
  auto packed = RunShell("AEGIS_PROGRESS=always AEGIS_PROGRESS_INTERVAL=1ms '" + std::string(AEGIS_BIN) + "' pack model m.tar.gz",
                         d.path());
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  EXPECT_NE(packed.err.find("\raegis pack: "), std::string::npos) << packed.err;
  EXPECT_NE(packed.err.find(" of 24.0 MiB ("), std::string::npos) << packed.err;
  ASSERT_EQ(RunAegis("init --no-config keys", d.path()).exit_code, 0);
  auto signed_ = RunShell("AEGIS_PROGRESS=always AEGIS_PROGRESS_INTERVAL=1ms '" + std::string(AEGIS_BIN) +
                              "' sign model/weights.bin --key keys/signing-key.pem",
                          d.path());
  ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
  EXPECT_NE(signed_.err.find("\raegis sign: "), std::string::npos) << signed_.err;
  auto plain = RunAegis("pack model m2.tar.gz", d.path());
  ASSERT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.err.find('\r'), std::string::npos) << "no terminal: no progress line";
}

}  // namespace
}  // namespace aegis
