// S3 addressing and static credentials, from the environment forms AWS SDKs and KServe use.
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "platform/net_error.h"
#include "support/http_server.h"
#include "support/test_support.h"
#include "verifier/common/storage_error.h"
#include "verifier/sources/s3.h"

namespace aegis::verifier {
namespace {

Env FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(S3, AwsIsVirtualHostedInTheRegion) {
  auto l = ResolveS3("s3://models/resnet/v3.tar.gz", FakeEnv({{"AWS_REGION", "eu-west-1"}}));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->url, "https://models.s3.eu-west-1.amazonaws.com/resnet/v3.tar.gz");
  EXPECT_EQ(l->region, "eu-west-1");
  EXPECT_FALSE(l->path_style);
  EXPECT_EQ(ResolveS3("s3://b/k", FakeEnv({}))->region, "us-east-1");
  EXPECT_EQ(ResolveS3("s3://b/k", FakeEnv({{"AWS_DEFAULT_REGION", "ap-south-1"}}))->region, "ap-south-1");
}

TEST(S3, EndpointOverridesArePathStyleInPrecedenceOrder) {
  EXPECT_EQ(ResolveS3("s3://b/k/x", FakeEnv({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4569/"}}))->url,
            "http://127.0.0.1:4569/b/k/x");
  EXPECT_EQ(ResolveS3("s3://b/k", FakeEnv({{"AWS_ENDPOINT_URL", "http://generic:1"},
                                           {"AWS_ENDPOINT_URL_S3", "https://minio.local:9000"}}))->url,
            "https://minio.local:9000/b/k");
  // KServe: S3_ENDPOINT is host:port; S3_USE_HTTPS=0 selects plain HTTP.
  EXPECT_EQ(ResolveS3("s3://b/k", FakeEnv({{"S3_ENDPOINT", "minio.kubeflow:9000"}, {"S3_USE_HTTPS", "0"}}))->url,
            "http://minio.kubeflow:9000/b/k");
  EXPECT_EQ(ResolveS3("s3://b/k", FakeEnv({{"S3_ENDPOINT", "minio.kubeflow:9000"}}))->url,
            "https://minio.kubeflow:9000/b/k");
  auto virt = ResolveS3("s3://b/k", FakeEnv({{"S3_ENDPOINT", "s3.example.com"}, {"S3_USER_VIRTUAL_BUCKET", "true"}}));
  EXPECT_EQ(virt->url, "https://b.s3.example.com/k");
  EXPECT_FALSE(virt->path_style);
}

TEST(S3, MalformedUrisAreUsageErrors) {
  for (const char* bad : {"s3://", "s3://bucket", "s3://bucket/", "s3:///key", "https://x/y"}) {
    auto l = ResolveS3(bad, FakeEnv({}));
    ASSERT_FALSE(l.ok()) << bad;
    EXPECT_EQ(l.error().kind, ErrorKind::kUsage);
  }
}

TEST(S3, EnvironmentCredentialsWinOverTheSharedFile) {
  testing::TempDir d;
  testing::WriteFile(d.File("credentials"),
                     "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n"
                     "# comment\n[ci]\naws_access_key_id=CIKEY\naws_secret_access_key=cisecret\naws_session_token=citoken\n");
  auto env = StaticCredentials(FakeEnv({{"AWS_ACCESS_KEY_ID", "ENVKEY"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                                        {"AWS_SESSION_TOKEN", "envtoken"}, {"AWS_SHARED_CREDENTIALS_FILE", d.File("credentials")}}));
  ASSERT_TRUE(env);
  EXPECT_EQ(env->access_key_id, "ENVKEY");
  EXPECT_EQ(env->session_token, "envtoken");
  EXPECT_EQ(env->source, "environment");
  auto file = StaticCredentials(FakeEnv({{"AWS_SHARED_CREDENTIALS_FILE", d.File("credentials")}}));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->access_key_id, "FILEKEY");
  EXPECT_EQ(file->session_token, "");
  auto profile = StaticCredentials(FakeEnv({{"AWS_SHARED_CREDENTIALS_FILE", d.File("credentials")}, {"AWS_PROFILE", "ci"}}));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->secret_access_key, "cisecret");
  EXPECT_EQ(profile->session_token, "citoken");
  EXPECT_EQ(profile->source, "shared credentials file (profile ci)");
  EXPECT_FALSE(StaticCredentials(FakeEnv({{"AWS_SHARED_CREDENTIALS_FILE", d.File("credentials")}, {"AWS_PROFILE", "none"}})));
  EXPECT_FALSE(StaticCredentials(FakeEnv({{"HOME", d.path()}})));
  EXPECT_FALSE(StaticCredentials(FakeEnv({{"AWS_ACCESS_KEY_ID", "only-half"}})));
}

// A signed S3 request never follows a redirect: curl would re-send the session token (a
// custom header) to whatever host the Location names.
TEST(S3, SignedRequestsDoNotFollowRedirectsWithTheSessionToken) {
  std::atomic<int> elsewhere{0};
  testing::HttpServer other([&](const testing::HttpRequest&, testing::HttpConnection& c) {
    ++elsewhere;
    c.Respond(200, "model");
  });
  const std::string location = other.Url("/stolen");
  testing::HttpServer s3([&](const testing::HttpRequest&, testing::HttpConnection& c) {
    c.Respond(307, "", {"Location: " + location});
  });
  FetchOptions options;
  options.max_attempts = 1;
  options.sleep = [](std::chrono::milliseconds) {};
  testing::TempDir d;
  AwsCredentials creds{"AKIDEXAMPLE", "secret", "session-token-value", "test"};
  auto r = FetchS3With("s3://models/m.tar.gz", d.File("m"), FakeEnv({{"AWS_ENDPOINT_URL_S3", s3.Url("")}}), creds, options, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNetwork) << r.error().Describe();
  EXPECT_EQ(elsewhere.load(), 0) << "the redirect was followed";
  EXPECT_EQ(r.error().Describe().find("session-token-value"), std::string::npos);
}

}  // namespace
}  // namespace aegis::verifier

namespace aegis::verifier {
namespace {

// The code in S3's, Azure's and GCS's error bodies, and nothing else from them: S3 echoes the
// string to sign and the access key ID in a SignatureDoesNotMatch body.
TEST(StorageError, TheProvidersCodeAndAHintNeverTheRestOfTheBody) {
  std::string s3 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The "
                   "request signature we calculated does not match</Message><AWSAccessKeyId>AKIASECRETLOOKING"
                   "</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256 …</StringToSign></Error>";
  std::string d = DescribeStorageError(403, s3);
  EXPECT_EQ(d.rfind("HTTP 403 SignatureDoesNotMatch: ", 0), 0u) << d;
  EXPECT_EQ(d.find("AKIASECRETLOOKING"), std::string::npos);
  EXPECT_EQ(d.find("AWS4-HMAC"), std::string::npos);
  EXPECT_EQ(StorageErrorCode("<Error><Code>AccessDenied</Code></Error>"), "AccessDenied");
  EXPECT_NE(DescribeStorageError(403, "<Error><Code>AccessDenied</Code></Error>").find("s3:GetObject"), std::string::npos);
  EXPECT_EQ(StorageErrorCode(R"({"error": {"code": 403, "errors": [{"reason": "forbidden"}]}})"), "forbidden");
  EXPECT_EQ(DescribeStorageError(403, R"({"error": {"errors": [{"reason": "forbidden"}]}})"), "HTTP 403 forbidden");
  EXPECT_EQ(DescribeStorageError(503, ""), "HTTP 503");
  // A code that is not a plain token is not shown (no markup or text from the body).
  EXPECT_EQ(StorageErrorCode("<Code>Access Denied; <script></Code>"), "");
  EXPECT_EQ(StorageErrorCode("<Code>" + std::string(80, 'A') + "</Code>"), "");
}

}  // namespace
}  // namespace aegis::verifier
