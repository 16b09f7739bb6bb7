// The lint engine on whole streams: positions, hostile input, and parallel == sequential.
#include <gtest/gtest.h>

#include <chrono>

#include "lint/linter.h"
#include "report/report.h"
#include "support/test_support.h"

namespace aegis {
std::string_view BuiltinPolicyYaml();

namespace {

// The built-in policy in a cluster whose every namespace serves models (the scope's own tests
// are below).
const std::map<std::string, Labels> kModelServing = {{"*", {{"aegis.dev/model-serving", "true"}}}};

LintResult Lint(std::string_view text, size_t threads = 1, const std::string& ns = "default") {
  Linter linter(LintOptions{BuiltinConstraints()->constraints, ns, false, threads, kModelServing});
  linter.LintText("in.yaml", text);
  return linter.Finish();
}

constexpr std::string_view kBareDeployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: m\nspec:\n  template:\n"
    "    spec:\n      containers: [{name: s}]\n";

TEST(Linter, FindingPointsAtThePodSpec) {
  LintResult r = Lint(kBareDeployment);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].mark.line, 9u);
  EXPECT_EQ(r.findings[0].mark.column, 7u);
  EXPECT_EQ(r.findings[0].message, "Deployment m/d: no initContainer whose name matches /verify/");
  EXPECT_EQ(r.findings[1].message, "Deployment m/d: no volume from secret cosign-public-key");
}

TEST(Linter, MissingPodSpecPointsAtTheObject) {
  LintResult r = Lint("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: null\n");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].mark.line, 2u);
  EXPECT_EQ(r.findings[0].message, "Deployment default/d: no pod spec at spec.template.spec");
}

TEST(Linter, DefaultNamespaceComesFromTheOption) {
  LintResult r = Lint("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n", 1, "team-a");
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.objects[0].namespace_, "team-a");
  // The built-in policy excludes kube-*: an object placed there is out of scope.
  LintResult k = Lint("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n", 1, "kube-system");
  EXPECT_TRUE(k.findings.empty());
  EXPECT_EQ(k.objects[0].status, ObjectStatus::kOutOfScope);
}

TEST(Linter, NonObjectsAreSkippedWithANoteAndEmptyDocumentsIgnored) {
  LintResult r = Lint("---\n---\n- a\n- b\n---\njust: data\n---\n");
  EXPECT_TRUE(r.objects.empty());
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].level, Diagnostic::Level::kNote);
  EXPECT_EQ(r.diagnostics[0].where.message, "document 2 is not a Kubernetes object (not a mapping); skipped");
  EXPECT_EQ(r.diagnostics[1].where.mark.line, 6u);
}

TEST(Linter, SyntaxErrorKeepsEarlierDocuments) {
  LintResult r = Lint(std::string(kBareDeployment) + "---\nkind: [\n");
  EXPECT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.InputErrors(), 1u);
  EXPECT_EQ(r.diagnostics.back().where.mark.line, 12u);
}

TEST(Linter, WrongTypesAreViolationsNotCrashes) {
  LintResult r = Lint(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: \"x\"\n  volumes: 3\n"
      "---\napiVersion: v1\nkind: Pod\nmetadata: [not, a, map]\nspec: []\n"
      "---\napiVersion: 3\nkind: Pod\n"
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {initContainers: [null, 3, [a]]}}}\n");
  EXPECT_EQ(r.InputErrors(), 0u);
  EXPECT_EQ(r.objects.size(), 3u);
  EXPECT_EQ(r.findings.size(), 5u);
}

TEST(Linter, ParallelChunksGiveTheSameResultAsOneThread) {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += i % 3 == 0 ? std::string("---\n") + std::string(kBareDeployment)
                       : "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c" + std::to_string(i) + "}\n";
    if (i == 2000) text += "---\n- not an object\n";
  }
  // Large enough to be split into chunks (the threshold is 1 MiB).
  std::string big;
  while (big.size() < (size_t{1} << 21)) big += text;
  Linter seq(LintOptions{BuiltinConstraints()->constraints, "default", false, 1, kModelServing});
  seq.LintText("in.yaml", big);
  Linter par(LintOptions{BuiltinConstraints()->constraints, "default", false, 4, kModelServing});
  par.LintText("in.yaml", big);
  LintResult s = seq.Finish(), p = par.Finish();
  EXPECT_EQ(RenderJson(s), RenderJson(p));
  EXPECT_EQ(s.findings.size(), 2 * 1000 * (big.size() / text.size()));
}

TEST(Linter, ParallelSyntaxErrorStopsTheStreamLikeSequential) {
  std::string text;
  while (text.size() < (size_t{1} << 21)) text += "---\n" + std::string(kBareDeployment);
  std::string broken = text.substr(0, text.size() / 4) + "---\nkind: [\n" + text;
  Linter seq(LintOptions{BuiltinConstraints()->constraints, "default", false, 1, kModelServing});
  seq.LintText("in.yaml", broken);
  Linter par(LintOptions{BuiltinConstraints()->constraints, "default", false, 4, kModelServing});
  par.LintText("in.yaml", broken);
  EXPECT_EQ(RenderJson(seq.Finish()), RenderJson(par.Finish()));
}

TEST(Linter, FiftyMegabyteDocumentIsHandled) {
  std::string text = std::string(kBareDeployment) + "      env:\n";
  while (text.size() < 50u * 1024 * 1024) text += "        - {name: VAR_NAME_PADDING, value: \"0123456789abcdef0123456789\"}\n";
  auto start = std::chrono::steady_clock::now();
  LintResult r = Lint(text, 2);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.InputErrors(), 0u);
  EXPECT_EQ(r.findings.size(), 2u);
  EXPECT_LT(seconds, 60.0);  // a bound against hangs, not a speed goal (see ci/bench.sh)
}

// As Gatekeeper sees a namespace without labels; gator refuses to guess ("missing Namespace").
TEST(Linter, NamespaceOfUnknownLabelsIsNotSelectedAndSaysSoOnce) {
  auto loaded = ParseConstraints("c.yaml",
                                 "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\n"
                                 "metadata: {name: sel}\nspec: {match: {namespaceSelector: {matchLabels: {a: b}}}}\n");
  ASSERT_TRUE(loaded.ok());
  Linter linter(LintOptions{loaded->constraints, "default", false, 1, {}});
  linter.LintText("in.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x}\n---\n"
                             "apiVersion: v1\nkind: Pod\nmetadata: {name: p2, namespace: x}\n");
  LintResult r = linter.Finish();
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.objects[0].status, ObjectStatus::kOutOfScope);
  EXPECT_EQ(r.objects[1].status, ObjectStatus::kOutOfScope);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  // Both Pods lack the verifier: a pre-commit hook must not pass them in silence.
  EXPECT_EQ(r.diagnostics[0].level, Diagnostic::Level::kWarning);
  EXPECT_EQ(r.diagnostics[0].where.file, "in.yaml");
  EXPECT_NE(r.diagnostics[0].where.message.find("namespace x: its labels are unknown"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].where.message.find("2 findings there are not reported (scope unknown)"), std::string::npos)
      << r.diagnostics[0].where.message;

  // A conforming Pod there hides nothing: a note.
  Linter clean(LintOptions{loaded->constraints, "default", false, 1, {}});
  clean.LintText("pod.yaml", ::aegis::testing::ReadFile(::aegis::testing::SourcePath("manifests/pod/pod-canary.yaml")));
  LintResult c = clean.Finish();
  ASSERT_EQ(c.diagnostics.size(), 1u);
  EXPECT_EQ(c.diagnostics[0].level, Diagnostic::Level::kNote) << c.diagnostics[0].where.message;
}

// The redis: the built-in policy leaves a plain workload alone unless its namespace
// serves models, and checks KServe's objects wherever they are.
TEST(Linter, BuiltinPolicyScopeSparesOtherWorkloads) {
  const std::string redis =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: redis, namespace: cache}\nspec:\n  template:\n"
      "    spec:\n      containers: [{name: redis, image: redis:7}]\n";
  const std::string isvc =
      "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: m, namespace: cache}\n"
      "spec:\n  predictor:\n    model: {modelFormat: {name: sklearn}, storageUri: \"s3://b/m\"}\n";
  auto lint = [](const std::string& text, std::map<std::string, Labels> labels) {
    Linter linter(LintOptions{BuiltinConstraints()->constraints, "default", false, 1, std::move(labels)});
    linter.LintText("in.yaml", text);
    return linter.Finish();
  };
  LintResult r = lint(redis + "---\n" + isvc, {});
  EXPECT_EQ(r.objects[0].status, ObjectStatus::kOutOfScope);
  EXPECT_EQ(r.objects[1].status, ObjectStatus::kChecked);
  ASSERT_FALSE(r.findings.empty());
  for (const Finding& f : r.findings) EXPECT_EQ(r.objects[f.object].kind, "InferenceService");
  // A labelled namespace, as a Namespace object or as --namespace-labels: redis is checked.
  r = lint("apiVersion: v1\nkind: Namespace\nmetadata: {name: cache, labels: {aegis.dev/model-serving: \"true\"}}\n---\n" +
               redis,
           {});
  EXPECT_EQ(r.objects[1].status, ObjectStatus::kChecked);
  EXPECT_EQ(r.objects[0].namespace_, "");  // a Namespace is cluster-scoped
  r = lint(redis, {{"cache", {{"aegis.dev/model-serving", "true"}}}});
  EXPECT_EQ(r.objects[0].status, ObjectStatus::kChecked);
  EXPECT_FALSE(r.findings.empty());
  r = lint(redis, {{"cache", {{"aegis.dev/model-serving", "false"}}}, {"*", {{"aegis.dev/model-serving", "true"}}}});
  EXPECT_EQ(r.objects[0].status, ObjectStatus::kOutOfScope);  // a namespace named outranks *
}

TEST(Linter, BuiltinPolicyIsEmbeddedVerbatim) {
  EXPECT_EQ(BuiltinPolicyYaml(), testing::ReadFile(testing::SourcePath("policies/constraint-enforce.yaml")));
}

}  // namespace
}  // namespace aegis

namespace aegis {
namespace {

// --namespace-labels stands in for a Namespace manifest the input does not have.
TEST(Linter, NamespaceLabelsGivenForANamespaceOutsideTheInput) {
  auto loaded = ParseConstraints("c.yaml",
                                 "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\n"
                                 "metadata: {name: sel}\nspec: {match: {namespaceSelector: {matchLabels: {a: b}}}}\n");
  ASSERT_TRUE(loaded.ok());
  const std::string pods = "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x}\n---\n"
                           "apiVersion: v1\nkind: Pod\nmetadata: {name: p2, namespace: y}\n";
  Linter linter(LintOptions{loaded->constraints, "default", false, 1, {{"x", {{"a", "b"}}}, {"y", {{"a", "c"}}}}});
  linter.LintText("in.yaml", pods);
  LintResult r = linter.Finish();
  ASSERT_EQ(r.findings.size(), 1u);  // x matches the selector; y does not
  EXPECT_EQ(r.objects[r.findings[0].object].name, "p1");
  EXPECT_EQ(r.objects[1].status, ObjectStatus::kOutOfScope);
  EXPECT_TRUE(r.diagnostics.empty());  // nothing had to be guessed
}

}  // namespace
}  // namespace aegis
