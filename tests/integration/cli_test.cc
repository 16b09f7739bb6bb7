// The aegis binary as users run it: exit codes, several outputs in one run, directories,
// stdin, the policy flag, and hostile inputs end to end.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace aegis {
namespace {

using testing::RunAegis;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kBad = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: m}\nspec: {containers: []}\n";
constexpr const char* kGood =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: g, namespace: m}\nspec:\n  initContainers:\n"
    "    - {name: verify-and-fetch, image: localhost/aegis/verify-and-fetch:0.1.0, args: [s3://m/a.tgz, /models],\n"
    "       volumeMounts: [{name: k, mountPath: /etc/cosign}, {name: model, mountPath: /models}]}\n"
    "  containers: [{name: s, image: s, volumeMounts: [{name: model, mountPath: /models, readOnly: true}]}]\n"
    "  volumes: [{name: k, secret: {secretName: cosign-public-key}}, {name: model, emptyDir: {}}]\n";

TEST(Cli, ExitCodes) {
  TempDir d;
  WriteFile(d.File("good.yaml"), kGood);
  WriteFile(d.File("bad.yaml"), kBad);
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' good.yaml", d.path()).exit_code, 0);
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' bad.yaml", d.path()).exit_code, 1);
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' missing.yaml", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("lint", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --format xml good.yaml", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --bogus good.yaml", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("frobnicate", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("lint --help", d.path()).exit_code, 0);
}

TEST(Cli, HelpDocumentsExitCodes) {
  auto r = RunAegis("lint --help");
  EXPECT_NE(r.out.find("Exit codes: 0 clean; 1"), std::string::npos) << r.out;
}

TEST(Cli, SeveralFormatOutputPairsInOneRun) {
  TempDir d;
  WriteFile(d.File("bad.yaml"), kBad);
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' bad.yaml -f json -o out.json -f sarif -o out.sarif -f junit -o out.xml -f text", d.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("bad.yaml:4:7: error: Pod m/p: no initContainer whose name matches /verify/ [AEGIS001]"),
            std::string::npos)
      << r.out;
  auto json = nlohmann::json::parse(testing::ReadFile(d.File("out.json")));
  EXPECT_EQ(json["findings"].size(), 2u);
  auto sarif = nlohmann::json::parse(testing::ReadFile(d.File("out.sarif")));
  EXPECT_EQ(sarif["runs"][0]["results"].size(), 2u);
  EXPECT_NE(testing::ReadFile(d.File("out.xml")).find("<testsuites"), std::string::npos);
}

TEST(Cli, TwoFormatsOnStdoutIsAUsageError) {
  TempDir d;
  WriteFile(d.File("bad.yaml"), kBad);
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' bad.yaml -f json -f sarif", d.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("several formats would go to standard output"), std::string::npos);
}

TEST(Cli, UnwritableOutputIsAnErrorAndLeavesNoPartialFile) {
  TempDir d;
  WriteFile(d.File("bad.yaml"), kBad);
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' bad.yaml -f json -o nodir/out.json", d.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nodir/out.json"), std::string::npos) << r.err;
}

// A repository may hold planted links: an atomic write never follows one, whatever name
// the old temporary file had, and keeps an existing report's mode.
TEST(Cli, OutputNeverWritesThroughAPlantedSymlink) {
  TempDir d;
  WriteFile(d.File("bad.yaml"), kBad);
  WriteFile(d.File("victim"), "precious\n");
  std::filesystem::create_symlink("victim", d.File("report.json.aegis-tmp"));
  std::filesystem::create_symlink("victim", d.File(".report.json.aegis-tmp-AAAAAA"));
  const std::string lint = "lint --namespace-labels '*=aegis.dev/model-serving=true' bad.yaml -f json -o report.json";
  auto r = RunAegis(lint, d.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(testing::ReadFile(d.File("victim")), "precious\n");
  EXPECT_NE(testing::ReadFile(d.File("report.json")).find("AEGIS001"), std::string::npos);
  std::filesystem::permissions(d.File("report.json"), std::filesystem::perms(0640));
  r = RunAegis(lint, d.path());
  EXPECT_EQ(std::filesystem::status(d.File("report.json")).permissions(), std::filesystem::perms(0640));
  size_t leftovers = 0;
  for (const auto& e : std::filesystem::directory_iterator(d.path())) {
    leftovers += e.path().filename().string().find(".aegis-tmp-") != std::string::npos && !e.is_symlink();
  }
  EXPECT_EQ(leftovers, 0u);
}

TEST(Cli, DirectoriesAreRecursiveAndOnlyManifestExtensions) {
  TempDir d;
  std::filesystem::create_directories(d.File("a/b"));
  WriteFile(d.File("a/b/bad.yml"), kBad);
  WriteFile(d.File("a/good.yaml"), kGood);
  WriteFile(d.File("a/b/notes.txt"), "not: [yaml");
  WriteFile(d.File("a/obj.json"), R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {}})");
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' a -f json", d.path());
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["files"], 3);
  EXPECT_EQ(j["summary"]["objects"], 3);
  EXPECT_EQ(j["objects"][0]["file"], "a/b/bad.yml");
}

// A CI gate must not pass by reading nothing: a directory without manifests (here only an
// upper-case extension, which kubectl does not read either) or a path that cannot be
// resolved is an input error (exit 2) naming why.
TEST(Cli, ADirectoryThatYieldsNothingIsAnErrorNotAPass) {
  TempDir d;
  std::filesystem::create_directories(d.File("empty"));
  std::filesystem::create_directories(d.File("upper"));
  WriteFile(d.File("upper/pod.YAML"), kBad);
  std::filesystem::create_symlink("loop", d.File("loop"));
  auto empty = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' empty", d.path());
  EXPECT_EQ(empty.exit_code, 2) << empty.out << empty.err;
  EXPECT_NE((empty.out + empty.err).find("empty: error: no manifest files"), std::string::npos) << empty.out;
  auto upper = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' upper", d.path());
  EXPECT_EQ(upper.exit_code, 2);
  EXPECT_NE((upper.out + upper.err).find("1 other file(s) ignored, e.g. \"pod.YAML\""), std::string::npos) << upper.out;
  auto loop = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' loop", d.path());
  EXPECT_EQ(loop.exit_code, 2);
  EXPECT_NE((loop.out + loop.err).find("symbolic links"), std::string::npos) << "not \"no such file\": " << loop.out;
}

// Small hostile inputs with bounded, clear answers: a 300 KB invalid pattern is not echoed
// whole, a pod spec whose containers are not a list is refused by render, a negative poll
// interval is a usage error (it polled in a tight loop).
TEST(Cli, HostileParametersGetShortClearErrors) {
  TempDir d;
  WriteFile(d.File("bad.yaml"), "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\nmetadata: {name: x}\n"
                                "spec:\n  parameters:\n    initContainerPattern: \"" + std::string(300000, '(') + "\"\n");
  WriteFile(d.File("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: \"x\"}\n");
  auto lint = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --policy bad.yaml pod.yaml", d.path());
  EXPECT_EQ(lint.exit_code, 2);
  EXPECT_NE(lint.err.find("invalid RE2 pattern"), std::string::npos) << lint.err.substr(0, 500);
  EXPECT_LT(lint.out.size() + lint.err.size(), 1000u);
  auto render = RunAegis("render --artifact s3://a/b.tgz pod.yaml", d.path());
  EXPECT_EQ(render.exit_code, 2);
  EXPECT_NE(render.err.find("pod.yaml:4:20: error: Pod default/p: spec.containers is not a list"), std::string::npos) << render.err;
  EXPECT_EQ(RunAegis("canary --poll-interval -5", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("canary --timeout 0", d.path()).exit_code, 2);
}

TEST(Cli, StdinAndFilesMix) {
  TempDir d;
  WriteFile(d.File("good.yaml"), kGood);
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' good.yaml - -f json", d.path(), kBad);
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["findings"][0]["file"], "<stdin>");
}

TEST(Cli, SyntaxErrorInOneFileStillLintsTheOthers) {
  TempDir d;
  WriteFile(d.File("a-broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n");
  WriteFile(d.File("b-bad.yaml"), kBad);
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' a-broken.yaml b-bad.yaml", d.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("a-broken.yaml:4:1: error: invalid YAML"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("b-bad.yaml:4:7: error: Pod m/p"), std::string::npos) << r.out;
}

TEST(Cli, PolicyFlagReadsConstraintsFromADirectory) {
  TempDir d;
  std::filesystem::create_directories(d.File("policy"));
  WriteFile(d.File("policy/c.yaml"),
            "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\nmetadata: {name: audit}\n"
            "spec: {enforcementAction: dryrun}\n");
  WriteFile(d.File("bad.yaml"), kBad);
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --policy policy bad.yaml", d.path());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("warning: [audit] Pod m/p"), std::string::npos) << r.out;
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --policy policy --fail-on-warn bad.yaml", d.path()).exit_code, 1);
  WriteFile(d.File("policy/c.yaml"),
            "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\nmetadata: {name: x}\n"
            "spec:\n  parameters:\n    initContainerPattern: \"(unclosed\"\n");
  auto bad = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --policy policy bad.yaml", d.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("policy/c.yaml:6:27: invalid RE2 pattern"), std::string::npos) << bad.err;
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --policy bad.yaml bad.yaml", d.path()).exit_code, 2);  // no constraint in it
}

TEST(Cli, HostileInputsGiveClearErrorsNotCrashes) {
  TempDir d;
  WriteFile(d.File("nonutf8.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: \"\xff\xfe\"}\n");
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b', p = 'a'; c <= 'j'; ++c, ++p) {
    bomb += std::string(1, c) + ": &" + c + " [*" + p + ", *" + p + ", *" + p + ", *" + p + ", *" + p + ", *" + p +
            ", *" + p + ", *" + p + ", *" + p + ", *" + p + "]\n";
  }
  WriteFile(d.File("bomb.yaml"), bomb);
  WriteFile(d.File("tabs.yaml"), "apiVersion: v1\nkind: Pod\nspec:\n\tinitContainers: []\n");
  WriteFile(d.File("crlf-bom.yaml"), std::string("\xEF\xBB\xBF") + "apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: c}\r\nspec: {}\r\n");
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' nonutf8.yaml bomb.yaml tabs.yaml crlf-bom.yaml", d.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("nonutf8.yaml:3:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bomb.yaml:"), std::string::npos);
  EXPECT_NE(r.out.find("excessive aliasing"), std::string::npos);
  EXPECT_NE(r.out.find("tabs.yaml:4:1: error: invalid YAML"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("crlf-bom.yaml:4:7: error: Pod default/c"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace aegis

namespace aegis::testing {
namespace {

// The CI gate examples in ci/examples run their `aegis lint` lines exactly as written
// (deploy/ replaced by the shipped Triton canary and its namespace), so the examples cannot rot.
TEST(CiExamples, LintCommandsRunAsWritten) {
  int ran = 0;
  for (const char* example : {"ci/examples/github-actions.yml", "ci/examples/gitlab-ci.yml"}) {
    std::string text = ReadFile(SourcePath(example));
    for (size_t at = text.find("aegis lint "); at != std::string::npos; at = text.find("aegis lint ", at + 1)) {
      std::string line = text.substr(at + 6, text.find('\n', at) - at - 6);
      size_t deploy = line.find("deploy/");
      ASSERT_NE(deploy, std::string::npos) << line;
      line.replace(deploy, 7, SourcePath("manifests/namespace.yaml") + " " + SourcePath("manifests/triton"));
      TempDir dir;
      auto r = RunAegis(line, dir.path());
      EXPECT_EQ(r.exit_code, 0) << example << ": aegis " << line << "\n" << r.err;
      if (line.find("sarif") != std::string::npos) {
        auto sarif = nlohmann::json::parse(ReadFile(dir.File("aegis.sarif")));
        EXPECT_EQ(sarif["version"], "2.1.0");
      }
      if (line.find("junit") != std::string::npos) {
        // One testcase per checked object: the canary was in the policy's scope, not skipped.
        EXPECT_NE(ReadFile(dir.File("aegis-junit.xml")).find("<testsuite name=\"aegis lint\" tests=\"1\""), std::string::npos)
            << ReadFile(dir.File("aegis-junit.xml"));
      }
      ++ran;
    }
  }
  EXPECT_EQ(ran, 2);
}

}  // namespace
// Inputs that never end or are far too large are refused with the file named, before they
// are read whole: /dev/zero, an endless stdin, a file over --max-input-mb.
TEST(Cli, EndlessAndOversizedInputsAreRefusedByName) {
  TempDir d;
  auto zero = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' /dev/zero", d.path());
  EXPECT_EQ(zero.exit_code, 2) << zero.out << zero.err;
  EXPECT_NE((zero.out + zero.err).find("/dev/zero: error: larger than the input size limit of 64 MiB"), std::string::npos) << zero.out;
  auto endless = RunShell("yes | " + std::string(AEGIS_BIN) + " lint - --max-input-mb 2", d.path());
  EXPECT_EQ(endless.exit_code, 2) << endless.out << endless.err;
  EXPECT_NE((endless.out + endless.err).find("<stdin>: error: larger than the input size limit of 2 MiB"), std::string::npos) << endless.out;
  std::string big;
  while (big.size() < (3u << 20)) big += kGood + std::string("---\n");
  WriteFile(d.File("big.yaml"), big);
  auto capped = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' big.yaml --max-input-mb 2", d.path());
  EXPECT_EQ(capped.exit_code, 2) << capped.out;
  auto raised = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' big.yaml --max-input-mb 4 -q", d.path());
  EXPECT_EQ(raised.exit_code, 0) << raised.out << raised.err;
}

// A named pipe is read when something writes to it; one nobody writes to is an error after
// a bounded wait, not a hang. Process substitution (/dev/fd/N) is read as any pipe.
TEST(Cli, NamedPipesAreReadOrRefusedNeverHung) {
  TempDir d;
  ASSERT_EQ(::mkfifo(d.File("pipe.yaml").c_str(), 0600), 0);
  WriteFile(d.File("good.yaml"), kGood);
  auto fed = RunShell("(sleep 1; cat good.yaml > pipe.yaml) & " + std::string(AEGIS_BIN) + " lint pipe.yaml", d.path());
  EXPECT_EQ(fed.exit_code, 0) << fed.out << fed.err;
  EXPECT_NE(fed.out.find("1 object in 1 file"), std::string::npos) << fed.out;
  auto start = std::chrono::steady_clock::now();
  auto nobody = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' pipe.yaml", d.path());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_EQ(nobody.exit_code, 2) << nobody.out << nobody.err;
  EXPECT_NE((nobody.out + nobody.err).find("pipe.yaml: error: a named pipe nothing was written to within 10 s"), std::string::npos)
      << nobody.out;
  auto substituted = RunShell("bash -c '" + std::string(AEGIS_BIN) + " lint <(cat good.yaml)'", d.path());
  EXPECT_EQ(substituted.exit_code, 0) << substituted.out << substituted.err;
}

// Millions of documents or List items that are not objects cost a counter, not a note each:
// the first 20 are listed, the rest counted in one note.
TEST(Cli, SkippedDocumentNotesAreAggregated) {
  TempDir d;
  std::string list = R"({"apiVersion":"v1","kind":"List","items":[)";
  for (int i = 0; i < 5000; ++i) list += i == 0 ? "{}" : ",{}";
  list += "]}";
  WriteFile(d.File("list.json"), list);
  auto r = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' list.json -f json", d.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  size_t notes = 0;
  std::string summary;
  for (const auto& n : j["diagnostics"]) {
    ++notes;
    if (n["message"].get<std::string>().find("more document(s) or List item(s) skipped") != std::string::npos) summary = n["message"];
  }
  EXPECT_EQ(notes, 22u) << "20 notes, the summary, and the built-in policy's unpinned trust";
  EXPECT_NE(summary.find("4980 more"), std::string::npos) << summary;
}

}  // namespace aegis::testing
