// The AWS credential chain's network sources against in-test endpoints that reproduce the
// real wire shapes: STS AssumeRoleWithWebIdentity (form POST, XML answer, XML errors) and
// the container credentials endpoint of EKS Pod Identity / ECS (Authorization header,
// JSON answer). Tokens must never appear in an error.
#include <gtest/gtest.h>

#include <map>

#include "platform/net_error.h"
#include "support/env_of.h"
#include "support/http_server.h"
#include "support/test_support.h"
#include "verifier/sources/s3.h"

namespace aegis::verifier {
namespace {
using testing::HttpConnection;
using testing::HttpRequest;
using testing::HttpServer;

constexpr const char* kJwt = "eyJhbGciOiJSUzI1NiJ9.service-account-token.signature";

using testing::EnvOf;

std::string StsAnswer(const std::string& key, const std::string& secret, const std::string& token) {
  return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>" + key + "</AccessKeyId><SecretAccessKey>" + secret +
         "</SecretAccessKey><SessionToken>" + token + "</SessionToken><Expiration>2026-11-27T18:00:00Z</Expiration>"
         "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
}

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteFile(dir_.File("token"), std::string(kJwt) + "\n"); }
  testing::TempDir dir_;
};

TEST_F(CredentialsTest, WebIdentityAssumesTheRoleWithTheServiceAccountToken) {
  std::string body;
  HttpServer sts([&](const HttpRequest& req, HttpConnection& c) {
    body = req.body;
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.headers.count("authorization"), 0u) << "AssumeRoleWithWebIdentity is unsigned";
    c.Respond(200, StsAnswer("ASIASTSKEY", "sts-secret", "sts-session-token"), {"Content-Type: text/xml"});
  });
  auto c = ResolveCredentials(EnvOf({{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/model-fetcher"},
                                     {"AWS_WEB_IDENTITY_TOKEN_FILE", dir_.File("token")},
                                     {"AWS_ENDPOINT_URL_STS", sts.Url("")}}));
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->access_key_id, "ASIASTSKEY");
  EXPECT_EQ((*c)->secret_access_key, "sts-secret");
  EXPECT_EQ((*c)->session_token, "sts-session-token");
  EXPECT_NE(body.find("Action=AssumeRoleWithWebIdentity"), std::string::npos) << body;
  EXPECT_NE(body.find("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fmodel-fetcher"), std::string::npos) << body;
  EXPECT_NE(body.find(std::string("WebIdentityToken=") + kJwt), std::string::npos) << body;
}

TEST_F(CredentialsTest, StsRefusalIsReportedWithoutTheToken) {
  HttpServer sts([](const HttpRequest&, HttpConnection& c) {
    c.Respond(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                   "<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>");
  });
  auto c = ResolveCredentials(EnvOf({{"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
                                     {"AWS_WEB_IDENTITY_TOKEN_FILE", dir_.File("token")},
                                     {"AWS_ENDPOINT_URL_STS", sts.Url("")}}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, NetError::kNetwork);
  EXPECT_NE(c.error().message.find("HTTP 403 AccessDenied"), std::string::npos) << c.error().message;
  EXPECT_EQ(c.error().Describe().find(kJwt), std::string::npos);
}

TEST_F(CredentialsTest, ContainerCredentialsSendTheAuthorizationToken) {
  std::string auth;
  HttpServer agent([&](const HttpRequest& req, HttpConnection& c) {
    auth = req.headers.count("authorization") ? req.headers.at("authorization") : "";
    c.Respond(200, R"({"AccessKeyId":"ASIAPODKEY","SecretAccessKey":"pod-secret","Token":"pod-token",)"
                   R"("AccountId":"123456789012","Expiration":"2026-11-27T18:00:00Z"})");
  });
  testing::WriteFile(dir_.File("eks-token"), "pod-identity-token\n");
  auto c = ResolveCredentials(EnvOf({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.Url("/v1/credentials")},
                                     {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir_.File("eks-token")}}));
  ASSERT_TRUE(c.ok()) << c.error().Describe();
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->access_key_id, "ASIAPODKEY");
  EXPECT_EQ((*c)->session_token, "pod-token");
  EXPECT_EQ(auth, "pod-identity-token");
}

TEST_F(CredentialsTest, ContainerEndpointErrorsAndGarbage) {
  HttpServer down([](const HttpRequest&, HttpConnection& c) { c.Respond(500, "oops"); });
  auto c = ResolveCredentials(EnvOf({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", down.Url("/creds")},
                                     {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-auth-token"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, NetError::kNetwork);
  EXPECT_EQ(c.error().Describe().find("secret-auth-token"), std::string::npos);
  HttpServer garbage([](const HttpRequest&, HttpConnection& conn) { conn.Respond(200, "{not json"); });
  EXPECT_FALSE(ResolveCredentials(EnvOf({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", garbage.Url("/creds")}})).ok());
}

TEST_F(CredentialsTest, ChainOrderAndNothingConfigured) {
  // Environment credentials win: no network source is contacted.
  HttpServer sts([](const HttpRequest&, HttpConnection& conn) { conn.Respond(500, ""); });
  auto c = ResolveCredentials(EnvOf({{"AWS_ACCESS_KEY_ID", "ENV"}, {"AWS_SECRET_ACCESS_KEY", "s"},
                                     {"AWS_ROLE_ARN", "arn"}, {"AWS_WEB_IDENTITY_TOKEN_FILE", dir_.File("token")},
                                     {"AWS_ENDPOINT_URL_STS", sts.Url("")}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->source, "environment");
  EXPECT_EQ(sts.requests(), 0);
  auto none = ResolveCredentials(EnvOf({}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto missing = ResolveCredentials(EnvOf({{"AWS_ROLE_ARN", "arn"}, {"AWS_WEB_IDENTITY_TOKEN_FILE", dir_.File("nope")}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace aegis::verifier
