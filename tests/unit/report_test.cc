// Report formats: structure and escaping (full outputs are covered by golden cases).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lint/linter.h"
#include "policy/rules.h"
#include "report/json_writer.h"
#include "report/report.h"

#include <random>

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

// The JSON and SARIF reports are written as they go, without nlohmann's document; their bytes
// must stay those nlohmann's dump(2) wrote (goldens, and every consumer that diffed them).
TEST(JsonWriter, StringsAreEscapedAsNlohmannDumpsThem) {
  using nlohmann::json;
  std::vector<std::string> cases = {"",
                                    "plain",
                                    "quote\" back\\slash",
                                    "\b\f\n\r\t",
                                    std::string("\0nul", 4),
                                    "\x01\x1f\x7f",
                                    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                                    "\xc3",
                                    "\xc3(",
                                    "\xe2\x82",
                                    "\xed\xa0\x80",
                                    "\xc0\xaf",
                                    "\xf5\x80\x80\x80",
                                    "\xf4\x90\x80\x80",
                                    "a\xff"
                                    "b\xfe",
                                    "\x80",
                                    "ok\xe2\x82\xacthen\xe2\x28\xa1"};
  std::mt19937 random(20261207);
  for (int i = 0; i < 2000; ++i) {
    std::string s(random() % 12, '\0');
    for (char& c : s) c = static_cast<char>(random() % 4 == 0 ? random() % 256 : 0x20 + random() % 0x60);
    cases.push_back(s);
  }
  for (const std::string& s : cases) {
    EXPECT_EQ(JsonString(s), json(s).dump(-1, ' ', false, json::error_handler_t::replace))
        << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

TEST(JsonWriter, LayoutIsNlohmannsDumpWithTwoSpaces) {
  using nlohmann::json;
  json doc = {{"a", json::array()},
              {"b", json::object()},
              {"c", {"x", "y\n"}},
              {"d", {{"n", 42}, {"t", true}, {"f", false}, {"o", {{"deep", json::array({json::object(), 7})}}}}}};
  std::string text;
  ReportStream out(StringSink(text));
  JsonWriter w(out);
  w.Object().Key("a").Array().End().Key("b").Object().End();
  w.Key("c").Array().String("x").String("y\n").End();
  w.Key("d").Object().Field("f", false).Field("n", uint64_t{42});
  w.Key("o").Object().Key("deep").Array().Object().End().Number(7).End().End();
  w.Field("t", true).End().End();
  ASSERT_TRUE(out.Finish());
  EXPECT_EQ(text, doc.dump(2, ' ', false, json::error_handler_t::replace));
}

// A report larger than the stream's buffer reaches its sink in pieces, and a sink's error is
// the stream's (later pieces are dropped, nothing is written past the failure).
TEST(ReportStream, PassesPiecesOnAndKeepsTheFirstError) {
  std::vector<size_t> pieces;
  int calls = 0;
  ReportStream out([&](std::string_view piece) -> Status {
    pieces.push_back(piece.size());
    if (++calls == 2) return Error{ErrorKind::kIo, "report.json", {}, "disk full"};
    return Ok{};
  });
  std::string line(1000, 'x');
  for (int i = 0; i < 300; ++i) out << line;
  auto st = out.Finish();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "disk full");
  EXPECT_EQ(calls, 2) << "nothing is passed on after the sink failed";
  EXPECT_GE(pieces.front(), 64u * 1024) << "pieces, not the whole report";
  EXPECT_LT(pieces.front(), 300u * 1000);
}

}  // namespace
}  // namespace aegis
