// The Rego corpus tests and the gator suite are generated from tests/corpus: this test
// regenerates them and fails when the committed files drift (run aegis_gen_policy_tests).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "policygen/policy_gen.h"
#include "support/test_support.h"

namespace aegis::policygen {
namespace {
namespace fs = std::filesystem;

TEST(PolicyGen, CommittedFilesMatchTheCorpus) {
  std::string root = testing::SourcePath("");
  auto files = Generate(root);
  std::set<std::string> generated;
  for (const auto& f : files) {
    generated.insert(f.path);
    ASSERT_TRUE(fs::exists(root + f.path)) << f.path << " is missing: run build/tests/aegis_gen_policy_tests .";
    EXPECT_EQ(testing::ReadFile(root + f.path), f.content)
        << f.path << " drifted from tests/corpus: run build/tests/aegis_gen_policy_tests .";
  }
  for (const auto& dir : GeneratedDirectories()) {
    for (const auto& e : fs::recursive_directory_iterator(root + dir)) {
      if (!e.is_regular_file()) continue;
      std::string rel = fs::relative(e.path(), root).string();
      EXPECT_TRUE(generated.count(rel)) << rel << " is stale: the corpus no longer produces it";
    }
  }
}

TEST(PolicyGen, EveryCorpusSuiteAndRuleIsCovered) {
  std::string rego;
  std::string suite;
  for (const auto& f : Generate(testing::SourcePath(""))) {
    if (f.path == "rego/corpus_test.rego") rego = f.content;
    if (f.path == "tests/gator/suite.yaml") suite = f.content;
  }
  for (const char* s : {"defaults", "params_pattern", "params_vault", "params_namespaces", "match_kinds",
                        "match_namespaces", "match_labels", "match_nsselector", "enforcement"}) {
    EXPECT_NE(rego.find(std::string("test_corpus_") + s + "_"), std::string::npos) << s;
  }
  for (const char* rule : {"\"AEGIS001\"]", "\"AEGIS002\"]", "\"AEGIS003\"]", "[\"transformer\", ", "set()"}) {
    EXPECT_NE(rego.find(rule), std::string::npos) << rule;
  }
  EXPECT_NE(suite.find("skip: true"), std::string::npos);  // namespaceSelector: see the comment there
  EXPECT_NE(suite.find("name: match-kinds/match-kinds"), std::string::npos);
}

}  // namespace
}  // namespace aegis::policygen
