// Every workload of the policy corpus (every kind and component), rendered on its own:
// the result lints clean under the suite's constraint, and rendering it again changes
// nothing. Objects render must refuse carry `aegis.dev/render-error: <part of the message>`.
#include <gtest/gtest.h>

#include <filesystem>

#include "inputs/policy_files.h"
#include "lint/linter.h"
#include "render/edit.h"
#include "render/injector.h"
#include "render/render_one.h"
#include "render/renderer.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "yaml/reader.h"
#include "yaml/text_index.h"

namespace aegis::render {
namespace {
namespace fs = std::filesystem;

using testing::RenderOne;

class RenderCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderCorpusTest, EveryWorkloadRendersCleanAndIdempotently) {
  std::string dir = ::aegis::testing::SourcePath("tests/corpus/" + GetParam());
  auto loaded = LoadConstraints(dir + "/constraint.yaml");
  ASSERT_TRUE(loaded.ok());
  const Constraint& c = loaded->constraints.front();
  RenderSettings s;
  s.artifact = "s3://models/resnet/model.tar.gz";
  s.secret_name = c.parameters.secret_name;
  s.trust_policy = *PinnedTrust({c});  // as aegis render takes it from the policy
  size_t rendered = 0;
  for (const auto& file : ExpandInputs({dir}).files) {
    if (fs::path(file).filename() == "constraint.yaml") continue;
    std::string text = ::aegis::testing::ReadFile(file);
    auto docs = yaml::ReadAll(file, text);
    ASSERT_TRUE(docs.ok());
    size_t index = 0;
    for (const auto& doc : *docs) {
      for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) {
        size_t i = index++;
        std::string label = file + ": " + obj.Display();
        const yaml::Node* refuse = obj.root->Path({"metadata", "annotations", "aegis.dev/render-error"});
        auto out = RenderOne(file, text, i, s, c);
        if (refuse != nullptr) {
          ASSERT_FALSE(out.ok()) << label << " should be refused";
          EXPECT_NE(out.error().message.find(refuse->scalar()), std::string::npos) << label << ": " << out.error().message;
          EXPECT_EQ(out.error().file, file);
          EXPECT_GT(out.error().mark.line, 0u);
          continue;
        }
        if (!out.ok()) {
          ADD_FAILURE() << label << ": " << out.error().Describe();
          continue;
        }
        // The rendered object lints clean under the suite's constraint, found by position.
        Linter linter(LintOptions{{c}, "default", false, 1, {}});
        linter.LintText(file, *out);
        LintResult r = linter.Finish();
        EXPECT_EQ(r.InputErrors(), 0u) << label << "\n" << *out;
        EXPECT_GT(r.objects.size(), i);
        for (const auto& f : r.findings) EXPECT_NE(f.object, i) << label << ": " << f.message << "\n" << *out;
        // Rendering again changes nothing.
        auto again = RenderOne(file, *out, i, s, c);
        if (!again.ok()) {
          ADD_FAILURE() << label << ": " << again.error().Describe();
          continue;
        }
        EXPECT_EQ(*again, *out) << label;
        if (*out != text) ++rendered;
      }
    }
  }
  if (GetParam() == "defaults") {
    EXPECT_GT(rendered, 20u);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, RenderCorpusTest,
                         ::testing::Values("defaults", "params-pattern", "params-vault", "params-namespaces",
                                           "match-kinds", "match-namespaces", "match-labels", "match-nsselector", "params-v3", "shipped-v3"),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace aegis::render
