// Runs `aegis lint`'s engine over every suite of the policy corpus and compares each
// object's findings with its `aegis.dev/expect` annotation (see tests/corpus/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "inputs/policy_files.h"
#include "lint/linter.h"
#include "manifest/object.h"
#include "report/report.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "yaml/reader.h"

namespace aegis {
namespace {
namespace fs = std::filesystem;

struct Expectation {
  std::multiset<std::string> tokens;  // a token given twice: two findings (two messages)
  std::string status;  // "" = checked or out-of-scope (derived from tokens)
};

using Key = std::string;  // file|kind|namespace/name

// Reads every object's expectation straight from the YAML.
std::map<Key, Expectation> ReadExpectations(const std::vector<std::string>& files) {
  std::map<Key, Expectation> out;
  for (const auto& file : files) {
    std::string text = testing::ReadFile(file);
    auto docs = yaml::ReadAll(file, text);
    EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().Describe());
    if (!docs.ok()) continue;
    for (const auto& doc : *docs) {
      for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) {
        const yaml::Node* ann = obj.root->Path({"metadata", "annotations"});
        const yaml::Node* expect = ann != nullptr ? ann->Get("aegis.dev/expect") : nullptr;
        Key key = file + "|" + obj.kind + "|" + obj.namespace_ + "/" + obj.name;
        EXPECT_NE(expect, nullptr) << key << " has no aegis.dev/expect annotation";
        if (expect == nullptr) continue;
        Expectation e;
        std::istringstream words(expect->scalar());
        for (std::string w; words >> w;) e.tokens.insert(w);
        if (const yaml::Node* st = ann->Get("aegis.dev/expect-status")) e.status = st->scalar();
        EXPECT_TRUE(out.emplace(key, e).second) << "duplicate object " << key;
      }
    }
  }
  return out;
}

// Lints `files` (after `context`: Namespace objects) and checks every object of `files` against
// its annotations. Findings name their constraint when several constraints may select one object.
void ExpectAnnotatedFindings(const std::vector<Constraint>& constraints, const std::vector<std::string>& files,
                             const std::vector<std::string>& context = {}, bool name_constraints = true) {
  bool several = name_constraints && constraints.size() > 1;
  auto expected = ReadExpectations(files);
  Linter linter(LintOptions{constraints, "default", false, 1, {}});
  for (const auto& f : context) linter.LintText(f, testing::ReadFile(f));
  for (const auto& f : files) linter.LintText(f, testing::ReadFile(f));
  LintResult r = linter.Finish();
  EXPECT_EQ(r.InputErrors(), 0u);

  std::map<Key, std::multiset<std::string>> actual;
  std::map<Key, std::string> status;
  for (const auto& o : r.objects) {
    if (std::find(context.begin(), context.end(), o.file) != context.end()) continue;
    Key key = o.file + "|" + o.kind + "|" + o.namespace_ + "/" + o.name;
    actual[key];
    status[key] = std::string(ToString(o.status));
  }
  for (const auto& f : r.findings) {
    const auto& o = r.objects[f.object];
    std::string token = f.rule_id;
    if (!f.component.empty()) token = f.component + ":" + token;
    if (several) token = r.constraints[f.constraint].name + "@" + token;
    actual[o.file + "|" + o.kind + "|" + o.namespace_ + "/" + o.name].insert(token);
  }
  EXPECT_EQ(actual.size(), expected.size());
  for (const auto& [key, exp] : expected) {
    ASSERT_TRUE(actual.count(key)) << key << " was not linted";
    EXPECT_EQ(actual[key], exp.tokens) << key;
    std::string want = exp.status.empty() ? "checked" : exp.status;
    EXPECT_EQ(status[key], want) << key;
  }
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, FindingsMatchExpectations) {
  std::string dir = testing::SourcePath("tests/corpus/" + GetParam());
  auto loaded = LoadConstraints(dir + "/constraint.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().Describe();
  std::vector<std::string> files;
  for (const auto& f : ExpandInputs({dir}).files) {
    if (fs::path(f).filename() != "constraint.yaml") files.push_back(f);
  }
  ASSERT_FALSE(files.empty());
  ExpectAnnotatedFindings(loaded->constraints, files);
}

TEST(Manifests, KnownBadExamplesProduceExactlyTheirDocumentedFindings) {
  auto files = ExpandInputs({testing::SourcePath("manifests/known-bad")}).files;
  ASSERT_GE(files.size(), 3u);
  // The built-in constraints select disjoint objects (KServe's kinds; the others), so a finding
  // needs no constraint name.
  ExpectAnnotatedFindings(BuiltinConstraints()->constraints, files, {testing::SourcePath("manifests/namespace.yaml")},
                          false);
}

TEST(Manifests, ExamplesLintCleanWithTheBuiltinPolicy) {
  auto inputs = ExpandInputs({testing::SourcePath("manifests/namespace.yaml"), testing::SourcePath("manifests/kserve"),
                              testing::SourcePath("manifests/triton"), testing::SourcePath("manifests/pod")});
  ASSERT_TRUE(inputs.errors.empty());
  Linter linter(LintOptions{BuiltinConstraints()->constraints, "default", false, 1, {}});
  for (const auto& f : inputs.files) linter.LintText(f, testing::ReadFile(f));
  LintResult r = linter.Finish();
  EXPECT_EQ(r.objects.size(), 4u);
  EXPECT_EQ(CheckedObjects(r), 3u);
  EXPECT_TRUE(r.findings.empty()) << RenderText(r, {});
  EXPECT_TRUE(r.diagnostics.empty()) << RenderText(r, {});
}

// KServe-native delivery: the ClusterStorageContainer and an InferenceService that keeps its
// storageUri conform to the KServe-native constraint, and not to the default one.
TEST(Manifests, KServeNativeExamplesConformToTheKServeNativeConstraint) {
  auto native = LoadConstraints(testing::SourcePath("policies/kserve-native/constraint-enforce.yaml"));
  ASSERT_TRUE(native.ok());
  auto inputs = ExpandInputs({testing::SourcePath("manifests/kserve-native")});
  ASSERT_TRUE(inputs.errors.empty());
  for (const auto& [constraints, clean] : {std::pair{native->constraints, true},
                                          std::pair{BuiltinConstraints()->constraints, false}}) {
    Linter linter(LintOptions{constraints, "default", false, 1, {}});
    for (const auto& f : inputs.files) linter.LintText(f, testing::ReadFile(f));
    LintResult r = linter.Finish();
    EXPECT_EQ(r.objects.size(), 2u);
    EXPECT_EQ(CheckedObjects(r), 1u);  // the InferenceService; a ClusterStorageContainer is not a workload
    EXPECT_EQ(r.findings.empty(), clean) << RenderText(r, {});
  }
}

std::vector<std::string> Suites() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(testing::SourcePath("tests/corpus"))) {
    if (e.is_directory()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Policy, CorpusTest, ::testing::ValuesIn(Suites()),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(Corpus, HasEverySuiteTheContractNeeds) {
  auto suites = Suites();
  for (const char* s : {"defaults", "params-pattern", "params-vault", "params-namespaces", "match-kinds",
                        "match-namespaces", "match-labels", "match-nsselector", "enforcement"}) {
    EXPECT_NE(std::find(suites.begin(), suites.end(), s), suites.end()) << s;
  }
}

}  // namespace
}  // namespace aegis
