// Fetching from the real, signature-checking S3 server (@20minutes/s3rver 5.0.0, see
// tests/s3/README.md). Objects are put there with the curl CLI's own SigV4 signer.
// SKIPPED with the reason when node or the npm package is missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "platform/net_error.h"
#include "support/http_server.h"
#include "support/s3rver.h"
#include "support/test_support.h"
#include "verifier/sources/s3.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

const std::string& kKey = testing::kS3AccessKey;
const std::string& kSecret = testing::kS3SecretKey;

class S3ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::S3rver();
    skip_ = server_->skip_reason();
    if (!skip_.empty()) return;
    endpoint_ = server_->endpoint();
    testing::TempDir data;
    testing::WriteFile(data.File("model.tar.gz"), std::string(150000, 'z') + "signed model");
    skip_ = server_->Put(data.File("model.tar.gz"), "resnet/model.tar.gz");
  }
  static void TearDownTestSuite() { delete server_; }
  void SetUp() override {
    if (!skip_.empty()) AEGIS_SKIP_WITHOUT_PEER(skip_);
  }
  Env EnvOf(std::map<std::string, std::string> vars) {
    vars.emplace("AWS_ENDPOINT_URL_S3", endpoint_);
    return [vars](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
  FetchOptions Options() {
    FetchOptions o;
    o.max_attempts = 2;
    o.sleep = [](std::chrono::milliseconds) {};
    return o;
  }
  std::string Out() { return dir_.File("artifact"); }

  static inline testing::S3rver* server_ = nullptr;
  static inline std::string endpoint_;
  static inline std::string skip_;
  testing::TempDir dir_;
};

TEST_F(S3ServerTest, SignedGetWithEnvironmentCredentials) {
  auto r = FetchS3("s3://models/resnet/model.tar.gz", Out(),
                   EnvOf({{"AWS_ACCESS_KEY_ID", kKey}, {"AWS_SECRET_ACCESS_KEY", kSecret}}), Options());
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(testing::ReadFile(Out()), std::string(150000, 'z') + "signed model");
  EXPECT_EQ(r->digests.sha256, Sha256(testing::ReadFile(Out())));
}

TEST_F(S3ServerTest, SignedGetInPartsFromTheRealServer) {
  FetchOptions o = Options();
  o.parts = 4;
  o.part_bytes = 16384;  // 150,012 bytes: 10 ranged GETs, each signed
  auto r = FetchS3("s3://models/resnet/model.tar.gz", Out(),
                   EnvOf({{"AWS_ACCESS_KEY_ID", kKey}, {"AWS_SECRET_ACCESS_KEY", kSecret}}), o);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->parts, 10);
  EXPECT_EQ(testing::ReadFile(Out()), std::string(150000, 'z') + "signed model");
  EXPECT_EQ(r->digests.sha256, Sha256(std::string(150000, 'z') + "signed model"));
}

TEST_F(S3ServerTest, WrongSecretIsRefusedSoSigningIsReal) {
  auto r = FetchS3("s3://models/resnet/model.tar.gz", Out(),
                   EnvOf({{"AWS_ACCESS_KEY_ID", kKey}, {"AWS_SECRET_ACCESS_KEY", "not-the-secret"}}), Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kForbidden);
  EXPECT_NE(r.error().message.find("HTTP 403"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("not-the-secret"), std::string::npos);  // never echo a secret
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(S3ServerTest, MissingObjectIsNotFound) {
  auto r = FetchS3("s3://models/nope.tar.gz", Out(),
                   EnvOf({{"AWS_ACCESS_KEY_ID", kKey}, {"AWS_SECRET_ACCESS_KEY", kSecret}}), Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNotFound);
  EXPECT_EQ(r.error().file, "s3://models/nope.tar.gz");
}

TEST_F(S3ServerTest, SessionTokenAndSharedCredentialsFile) {
  testing::WriteFile(dir_.File("credentials"), "[ci]\naws_access_key_id = " + kKey + "\naws_secret_access_key = " +
                                                   kSecret + "\naws_session_token = FwoGZXIvYXdzEXAMPLETOKEN\n");
  auto r = FetchS3("s3://models/resnet/model.tar.gz", Out(),
                   EnvOf({{"AWS_SHARED_CREDENTIALS_FILE", dir_.File("credentials")}, {"AWS_PROFILE", "ci"}}), Options());
  ASSERT_TRUE(r.ok()) << r.error().Describe();
}

TEST_F(S3ServerTest, WebIdentityCredentialsFromStsSignTheGet) {
  testing::HttpServer sts([](const testing::HttpRequest&, testing::HttpConnection& c) {
    c.Respond(200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>" +
                       kKey + "</AccessKeyId><SecretAccessKey>" + kSecret +
                       "</SecretAccessKey><SessionToken>sts-token</SessionToken></Credentials>"
                       "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  });
  testing::WriteFile(dir_.File("sa-token"), "eyJ.projected.token\n");
  auto r = FetchS3("s3://models/resnet/model.tar.gz", Out(),
                   EnvOf({{"AWS_ROLE_ARN", "arn:aws:iam::1:role/fetcher"}, {"AWS_WEB_IDENTITY_TOKEN_FILE", dir_.File("sa-token")},
                          {"AWS_ENDPOINT_URL_STS", sts.Url("")}}),
                   Options());
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(sts.requests(), 1);
}

TEST_F(S3ServerTest, KserveEndpointForm) {
  std::string hostport = endpoint_.substr(7);
  auto env = [&](const std::string& n) -> std::optional<std::string> {
    if (n == "S3_ENDPOINT") return hostport;
    if (n == "S3_USE_HTTPS") return std::string("0");
    if (n == "AWS_ACCESS_KEY_ID") return kKey;
    if (n == "AWS_SECRET_ACCESS_KEY") return kSecret;
    return std::nullopt;
  };
  auto r = FetchS3("s3://models/resnet/model.tar.gz", Out(), env, Options());
  ASSERT_TRUE(r.ok()) << r.error().Describe();
}

TEST_F(S3ServerTest, NoCredentialsIsAConfigurationError) {
  auto r = FetchS3("s3://models/resnet/model.tar.gz", Out(), EnvOf({}), Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  // Asked for explicitly, the request goes unsigned (s3rver serves it like a public bucket).
  auto anon = FetchS3("s3://models/resnet/model.tar.gz", Out(), EnvOf({}), Options(), /*anonymous=*/true);
  ASSERT_TRUE(anon.ok()) << anon.error().Describe();
}

}  // namespace
}  // namespace aegis::verifier
