// References and registry credentials as docker, podman and KServe's modelcar name them.
#include <gtest/gtest.h>

#include "support/env_of.h"
#include "support/test_support.h"
#include "verifier/sources/oci_registry.h"

namespace aegis::verifier {
namespace {
using testing::EnvOf;
using testing::TempDir;
using testing::WriteFile;

TEST(OciReference, FormsParseAndMalformedOnesAreUsageErrors) {
  auto r = ParseOciReference("oci://ghcr.io/org/models/resnet:v1.2");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->registry, "ghcr.io");
  EXPECT_EQ(r->repository, "org/models/resnet");
  EXPECT_EQ(r->tag, "v1.2");
  const std::string digest = "sha256:" + std::string(64, 'a');
  auto pinned = ParseOciReference("oci://127.0.0.1:5000/models/resnet:v1@" + digest);
  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(pinned->registry, "127.0.0.1:5000");
  EXPECT_EQ(pinned->digest, digest);
  EXPECT_EQ(pinned->tag, "") << "the digest decides";
  EXPECT_EQ(pinned->Display(), "oci://127.0.0.1:5000/models/resnet@" + digest);
  EXPECT_EQ(ParseOciReference("oci://r.io/m")->tag, "latest");
  for (const std::string bad : {"oci://r.io", "oci:///m", "oci://r.io/Models", "oci://r.io/m@sha256:abc", "oci://r.io/m:bad tag",
                                "oci://r.io/m//x", "oci://r.io/-m", "oci://r_io?/m"}) {
    auto e = ParseOciReference(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().kind, ErrorKind::kUsage) << bad;
  }
}

TEST(RegistryCredentials, DockerPodmanAndPullSecretFilesInOrder) {
  TempDir d;
  WriteFile(d.File("auth.json"), R"({"auths":{"r.io":{"auth":"dXNlcjpwYXNzOndvcmQ="}}})");  // user:pass:word
  WriteFile(d.File("config.json"), R"({"auths":{"https://r.io/v1/":{"username":"u2","password":"p2"},"other.io":{"auth":"eDp5"}}})");
  auto podman = ResolveRegistryCredential(EnvOf({{"REGISTRY_AUTH_FILE", d.File("auth.json")}, {"DOCKER_CONFIG", d.path()}}), "r.io");
  ASSERT_TRUE(podman.ok() && podman->has_value());
  EXPECT_EQ((*podman)->username, "user");
  EXPECT_EQ((*podman)->password, "pass:word");
  EXPECT_EQ((*podman)->source, d.File("auth.json"));
  auto docker = ResolveRegistryCredential(EnvOf({{"DOCKER_CONFIG", d.path()}}), "r.io");
  ASSERT_TRUE(docker.ok() && docker->has_value());
  EXPECT_EQ((*docker)->username, "u2") << "a URL key names its host";
  auto none = ResolveRegistryCredential(EnvOf({{"DOCKER_CONFIG", d.path()}}), "third.io");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto home = ResolveRegistryCredential(EnvOf({{"HOME", d.File("nohome")}}), "r.io");
  ASSERT_TRUE(home.ok()) << "no ~/.docker/config.json is anonymous";
  WriteFile(d.File("bad.json"), R"({"auths":{"r.io":{"auth":"bm9jb2xvbg=="}}})");  // "nocolon"
  auto bad = ResolveRegistryCredential(EnvOf({{"REGISTRY_AUTH_FILE", d.File("bad.json")}}), "r.io");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(bad.error().message.find("nocolon"), std::string::npos);
}

}  // namespace
}  // namespace aegis::verifier
