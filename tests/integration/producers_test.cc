// Real manifest producers piped into `aegis lint -`: kubectl kustomize and
// kubectl create --dry-run=client. SKIPPED (with the reason) where kubectl is missing.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace aegis {
namespace {

using testing::TempDir;
using testing::WriteFile;

class ProducersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveCommand("kubectl")) AEGIS_SKIP_WITHOUT_PEER("kubectl is not installed: real-producer tests not run");
  }
};

TEST_F(ProducersTest, KustomizeOutputIsLintedFromStdin) {
  TempDir d;
  WriteFile(d.File("kustomization.yaml"),
            "namespace: models\nnamePrefix: canary-\ncommonLabels: {team: ml}\nresources: [ns.yaml, deploy.yaml, svc.yaml]\n");
  // A namespace that serves models (the built-in policy's scope for plain workloads).
  WriteFile(d.File("ns.yaml"),
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: models, labels: {aegis.dev/model-serving: \"true\"}}\n");
  WriteFile(d.File("deploy.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: triton}\nspec:\n  selector: {matchLabels: {app: t}}\n"
            "  template:\n    metadata: {labels: {app: t}}\n    spec:\n      containers: [{name: triton, image: triton}]\n");
  WriteFile(d.File("svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: triton}\nspec: {ports: [{port: 8000}]}\n");
  auto built = testing::RunShell("kubectl kustomize .", d.path());
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto r = testing::RunAegis("lint - -f json", "", built.out);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["findings"][0]["name"], "canary-triton");
  EXPECT_EQ(j["findings"][0]["namespace"], "models");
  EXPECT_EQ(j["findings"][0]["file"], "<stdin>");
  EXPECT_EQ(j["summary"]["objects"], 3);  // the Namespace, the Deployment, the Service
}

TEST_F(ProducersTest, KubectlCreateDryRunYamlAndJson) {
  for (const char* format : {"yaml", "json"}) {
    auto made = testing::RunShell(std::string("kubectl create deployment triton --image=nvcr.io/nvidia/tritonserver "
                                              "--dry-run=client -o ") + format);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    auto r = testing::RunAegis("lint -n serving --namespace-labels serving=aegis.dev/model-serving=true - -f json", "",
                               made.out);
    EXPECT_EQ(r.exit_code, 1) << format;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["findings"].size(), 2u) << format;
    EXPECT_EQ(j["findings"][0]["namespace"], "serving");
    EXPECT_EQ(j["findings"][0]["kind"], "Deployment");
  }
}

}  // namespace
}  // namespace aegis
