// `aegis render` under a KServe-native policy (docs/RENDER.md, "KServe-native"): what Knative
// and KServe need of an InferenceService whose storageUri the Aegis ClusterStorageContainer
// serves. Knative's own validation of the result: tests/interop/kserve_native_test.sh.
#include <gtest/gtest.h>

#include <string>

#include "support/test_support.h"

namespace aegis {
namespace {

using testing::ReadFile;
using testing::RunAegis;
using testing::TempDir;
using testing::WriteFile;

// Under a KServe-native policy an InferenceService whose storageUri the Aegis
// ClusterStorageContainer serves keeps it: render names the container (storageContainerName)
// and mounts the key into the server (Knative refuses a volume no container mounts); a
// storageUri the container does not serve (pvc:// here) still moves into a verifier of its own.
TEST(RenderKServeNative, PolicyKeepsStorageUriAndNamesTheContainer) {
  TempDir d;
  WriteFile(d.File("isvc.yaml"), R"(apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris, namespace: models}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: s3://models/iris/model.tar.gz
)");
  std::string policy = testing::SourcePath("policies/kserve-native/constraint-enforce.yaml");
  auto r = RunAegis("render --policy " + policy + " isvc.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("storageUri: s3://models/iris/model.tar.gz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("storageContainerName: aegis-verify-and-fetch"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("mountPath: /etc/cosign"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("initContainers"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("served by ClusterStorageContainer aegis-verify-and-fetch"), std::string::npos) << r.err;
  WriteFile(d.File("rendered.yaml"), r.out);
  EXPECT_EQ(RunAegis("lint --policy " + policy + " rendered.yaml", d.path()).exit_code, 0);
  auto again = RunAegis("render --diff --policy " + policy + " rendered.yaml", d.path());
  EXPECT_EQ(again.exit_code, 0) << again.out;  // nothing left to change

  std::string gcs = ReadFile(d.File("isvc.yaml"));
  gcs.replace(gcs.find("s3://models/iris"), 16, "pvc://models/iris");
  WriteFile(d.File("gcs.yaml"), gcs);
  auto moved = RunAegis("render --policy " + policy + " gcs.yaml", d.path());
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_NE(moved.out.find("initContainers"), std::string::npos) << moved.out;
  EXPECT_EQ(moved.out.find("storageContainerName"), std::string::npos) << moved.out;

  std::string other = ReadFile(d.File("isvc.yaml")) + "      storageContainerName: default\n";
  WriteFile(d.File("other.yaml"), other);
  auto refused = RunAegis("render --policy " + policy + " other.yaml", d.path());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("model.storageContainerName names another ClusterStorageContainer; the policy requires "
                             "aegis-verify-and-fetch"),
            std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace aegis
