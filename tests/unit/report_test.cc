// Report formats: structure and escaping (full outputs are covered by golden cases).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lint/linter.h"
#include "policy/rules.h"
#include "report/report.h"

namespace aegis {
namespace {

LintResult Sample() {
  Linter linter(LintOptions{BuiltinConstraints()->constraints, "default", false, 1,
                            {{"*", {{"aegis.dev/model-serving", "true"}}}}});
  linter.LintText("dir/my file,1.yaml",
                  "apiVersion: v1\nkind: Pod\nmetadata: {name: \"p<&>\", namespace: m}\nspec: {containers: []}\n");
  linter.LintText("bad.yaml", "a: [\n");
  return linter.Finish();
}

TEST(Report, JsonIsStableAndComplete) {
  auto j = nlohmann::json::parse(RenderJson(Sample()));
  EXPECT_EQ(j["schemaVersion"], 1);
  ASSERT_EQ(j["findings"].size(), 2u);
  const auto& f = j["findings"][0];
  for (const char* key : {"file", "line", "column", "apiVersion", "kind", "namespace", "name", "component", "ruleId",
                          "ruleName", "severity", "enforcementAction", "constraint", "message", "hint"}) {
    EXPECT_TRUE(f.contains(key)) << key;
  }
  EXPECT_EQ(f["ruleId"], "AEGIS001");
  EXPECT_EQ(j["summary"]["inputErrors"], 1);
  EXPECT_EQ(j["summary"]["errors"], 2);
}

TEST(Report, SarifHasRulesRegionsAndNotifications) {
  auto j = nlohmann::json::parse(RenderSarif(Sample()));
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), RuleCatalog().size());
  EXPECT_TRUE(run["tool"]["driver"]["rules"][0]["help"].contains("markdown"));
  const auto& res = run["results"][0];
  EXPECT_EQ(res["ruleId"], "AEGIS001");
  EXPECT_EQ(res["ruleIndex"], 0);
  EXPECT_EQ(res["level"], "error");
  const auto& loc = res["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "dir/my%20file%2C1.yaml");
  EXPECT_EQ(loc["region"]["startLine"], 4);
  EXPECT_EQ(loc["region"]["startColumn"], 7);
  EXPECT_FALSE(run["invocations"][0]["executionSuccessful"]);
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"][0]["level"], "error");
}

TEST(Report, JunitEscapesAndCounts) {
  std::string x = RenderJunit(Sample(), {});
  EXPECT_NE(x.find("tests=\"2\" failures=\"1\" errors=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("name=\"Pod m/p&lt;&amp;&gt;\""), std::string::npos) << x;
  EXPECT_EQ(x.find("p<&>"), std::string::npos);
}

TEST(Report, GithubEscapesPropertiesAndData) {
  std::string g = RenderGithub(Sample());
  EXPECT_NE(g.find("::error file=dir/my file%2C1.yaml,line=4,col=7,title=AEGIS001 verify-init::"), std::string::npos) << g;
  EXPECT_NE(g.find("%0Afix: "), std::string::npos);
}

TEST(Report, TextColoursOnlyWhenAsked) {
  EXPECT_EQ(RenderText(Sample(), {}).find('\x1b'), std::string::npos);
  EXPECT_NE(RenderText(Sample(), {true, false, false}).find("\x1b[1;31merror"), std::string::npos);
}

TEST(Report, UnknownFormatIsAUsageError) {
  auto f = ParseFormat("xml");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace aegis
