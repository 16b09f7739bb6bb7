// The Google credential chain and gs:// locations against in-test endpoints that reproduce the
// real wire shapes, from Google's documentation:
//  - the OAuth 2.0 token endpoint for service accounts ("Using OAuth 2.0 for Server to Server
//    Applications", HTTP/REST: a form POST with grant_type jwt-bearer and an RS256 assertion
//    whose iss/scope/aud/iat/exp the server checks; answer {access_token, expires_in,
//    token_type}; a bad signature is 400 {"error": "invalid_grant"}), and its refresh-token
//    grant for user credentials;
//  - Security Token Service v1 token (RFC 8693 exchange) and IAM Credentials
//    generateAccessToken ({"scope": […]} with the federated bearer token → {accessToken,
//    expireTime}) for workload identity federation;
//  - the metadata server's instance/service-accounts/default/token, which answers only
//    requests carrying "Metadata-Flavor: Google" (403 otherwise).
// No real Google endpoint can be reached here; the test servers check what the real ones check.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <map>

#include <nlohmann/json.hpp>

#include "platform/net_error.h"
#include "support/env_of.h"
#include "support/http_server.h"
#include "support/test_support.h"
#include "util/base64.h"
#include "verifier/sources/gcs.h"
#include "verifier/sources/google_auth.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;
using testing::HttpConnection;
using testing::HttpRequest;
using testing::HttpServer;

using testing::EnvOf;

std::string FormValue(const std::string& form, const std::string& name) {
  std::string key = name + "=";
  for (size_t at = 0; at < form.size();) {
    size_t amp = form.find('&', at);
    std::string pair = form.substr(at, amp == std::string::npos ? std::string::npos : amp - at);
    if (pair.rfind(key, 0) == 0) {
      std::string v = pair.substr(key.size()), out;
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%' && i + 2 < v.size()) {
          out += static_cast<char>(std::stoi(v.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          out += v[i];
        }
      }
      return out;
    }
    if (amp == std::string::npos) break;
    at = amp + 1;
  }
  return {};
}

std::string Base64UrlDecode(std::string s) {
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4 != 0) s += '=';
  auto d = Base64Decode(s);
  return d ? *d : std::string();
}

std::string Header(const HttpRequest& req, const std::string& name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? std::string() : it->second;
}

// RS256 check of a JWT, as the token endpoint does with the account's public key.
bool JwtVerifies(const std::string& jwt, const std::string& public_pem) {
  size_t dot = jwt.rfind('.');
  if (dot == std::string::npos) return false;
  std::string input = jwt.substr(0, dot), sig = Base64UrlDecode(jwt.substr(dot + 1));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return key && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

json JwtPart(const std::string& jwt, int part) {
  size_t a = jwt.find('.'), b = jwt.find('.', a + 1);
  std::string text = part == 0 ? jwt.substr(0, a) : jwt.substr(a + 1, b - a - 1);
  return json::parse(Base64UrlDecode(text), nullptr, false);
}

class GoogleAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new testing::TempDir();
    for (const char* name : {"sa", "other"}) {
      auto r = testing::RunShell(std::string("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ") + name +
                                     ".pem 2>/dev/null && openssl pkey -in " + name + ".pem -pubout -out " + name + "-pub.pem",
                                 keys_->path());
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  static void TearDownTestSuite() { delete keys_; }

  // A service-account key file as the IAM console downloads it, token_uri pointing at `token_uri`.
  std::string ServiceAccountFile(const std::string& token_uri, const char* key = "sa") {
    json j = {{"type", "service_account"},
              {"project_id", "models-project"},
              {"private_key_id", "0123456789abcdef"},
              {"private_key", testing::ReadFile(keys_->File(std::string(key) + ".pem"))},
              {"client_email", "model-fetcher@models-project.iam.gserviceaccount.com"},
              {"client_id", "1234567890"},
              {"token_uri", token_uri}};
    testing::WriteFile(dir_.File("sa.json"), j.dump(2));
    return dir_.File("sa.json");
  }

  // The token endpoint: checks the assertion as Google's does.
  std::unique_ptr<HttpServer> TokenEndpoint() {
    return std::make_unique<HttpServer>([this](const HttpRequest& req, HttpConnection& c) {
      requests_.push_back(req);
      std::string assertion = FormValue(req.body, "assertion");
      bool ok = req.method == "POST" && FormValue(req.body, "grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer" &&
                JwtVerifies(assertion, testing::ReadFile(keys_->File("sa-pub.pem")));
      if (!ok) return c.Respond(400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
      c.Respond(200, R"({"access_token":"ya29.service-account-token","expires_in":3599,"token_type":"Bearer"})",
                {"Content-Type: application/json"});
    });
  }

  static inline testing::TempDir* keys_ = nullptr;
  testing::TempDir dir_;
  std::vector<HttpRequest> requests_;
};

TEST_F(GoogleAuthTest, ServiceAccountSignsAJwtAndExchangesIt) {
  auto server = TokenEndpoint();
  std::string uri = server->Url("/token");
  auto t = ResolveGoogleCredentials(EnvOf({{"GOOGLE_APPLICATION_CREDENTIALS", ServiceAccountFile(uri)}, {"NO_GCE_CHECK", "true"}}));
  ASSERT_TRUE(t.ok()) << t.error().Describe();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->access_token, "ya29.service-account-token");
  EXPECT_EQ((*t)->source, "service account model-fetcher@models-project.iam.gserviceaccount.com (GOOGLE_APPLICATION_CREDENTIALS)");
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(Header(requests_[0], "content-type"), "application/x-www-form-urlencoded");
  std::string jwt = FormValue(requests_[0].body, "assertion");
  json header = JwtPart(jwt, 0), claims = JwtPart(jwt, 1);
  EXPECT_EQ(header["alg"], "RS256");
  EXPECT_EQ(header["kid"], "0123456789abcdef");
  EXPECT_EQ(claims["iss"], "model-fetcher@models-project.iam.gserviceaccount.com");
  EXPECT_EQ(claims["aud"], uri);
  EXPECT_EQ(claims["scope"], "https://www.googleapis.com/auth/devstorage.read_only");
  EXPECT_EQ(claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>(), 3600);
  EXPECT_LE(std::llabs(claims["iat"].get<int64_t>() - static_cast<int64_t>(std::time(nullptr))), 60);
}

TEST_F(GoogleAuthTest, RefusedServiceAccountIsForbiddenAndShowsNoKeyOrAssertion) {
  auto server = TokenEndpoint();
  auto t = ResolveGoogleCredentials(
      EnvOf({{"GOOGLE_APPLICATION_CREDENTIALS", ServiceAccountFile(server->Url("/token"), "other")}}));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, NetError::kForbidden);
  std::string shown = t.error().Describe();
  EXPECT_NE(shown.find("HTTP 400 invalid_grant"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("PRIVATE KEY"), std::string::npos);
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(shown.find(FormValue(requests_[0].body, "assertion").substr(0, 40)), std::string::npos) << "the assertion";
}

TEST_F(GoogleAuthTest, GcloudUserCredentialsAreRefreshed) {
  std::string form;
  HttpServer server([&](const HttpRequest& req, HttpConnection& c) {
    form = req.body;
    c.Respond(200, R"({"access_token":"ya29.user-token","expires_in":3599,"token_type":"Bearer"})");
  });
  std::filesystem::create_directories(dir_.File("gcloud"));
  testing::WriteFile(dir_.File("gcloud/application_default_credentials.json"),
                     json({{"type", "authorized_user"}, {"client_id", "cid.apps.googleusercontent.com"},
                           {"client_secret", "user-client-secret"}, {"refresh_token", "1//user-refresh-token"},
                           {"token_uri", server.Url("/token")}})
                         .dump());
  auto t = ResolveGoogleCredentials(EnvOf({{"CLOUDSDK_CONFIG", dir_.File("gcloud")}, {"NO_GCE_CHECK", "true"}}));
  ASSERT_TRUE(t.ok()) << t.error().Describe();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->access_token, "ya29.user-token");
  EXPECT_EQ((*t)->source, "user credentials (gcloud application default credentials)");
  EXPECT_EQ(FormValue(form, "grant_type"), "refresh_token");
  EXPECT_EQ(FormValue(form, "refresh_token"), "1//user-refresh-token");
  EXPECT_EQ(FormValue(form, "client_id"), "cid.apps.googleusercontent.com");
}

// Workload identity federation from another cluster: the projected Kubernetes token is
// exchanged at STS, and the federated token impersonates the service account.
TEST_F(GoogleAuthTest, ExternalAccountFederatesTheKubernetesTokenAndImpersonates) {
  testing::WriteFile(dir_.File("k8s-token"), "eyJhbGciOiJSUzI1NiJ9.kubernetes-sa-token.sig\n");
  std::string sts_form, impersonation_auth, impersonation_body;
  HttpServer server([&](const HttpRequest& req, HttpConnection& c) {
    if (req.target == "/v1/token") {
      sts_form = req.body;
      return c.Respond(200, R"({"access_token":"federated-token","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer","expires_in":3600})");
    }
    if (req.target == "/v1/projects/-/serviceAccounts/model-fetcher@models-project.iam.gserviceaccount.com:generateAccessToken") {
      impersonation_auth = Header(req, "authorization");
      impersonation_body = req.body;
      return c.Respond(200, R"({"accessToken":"ya29.impersonated-token","expireTime":"2026-11-30T13:00:00Z"})");
    }
    c.Respond(404, "");
  });
  std::string audience = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aks/providers/cluster";
  json file = {{"type", "external_account"},
               {"audience", audience},
               {"subject_token_type", "urn:ietf:params:oauth:token-type:jwt"},
               {"token_url", server.Url("/v1/token")},
               {"service_account_impersonation_url",
                server.Url("/v1/projects/-/serviceAccounts/model-fetcher@models-project.iam.gserviceaccount.com:generateAccessToken")},
               {"credential_source", {{"file", dir_.File("k8s-token")}, {"format", {{"type", "text"}}}}}};
  testing::WriteFile(dir_.File("wif.json"), file.dump());
  auto t = ResolveGoogleCredentials(EnvOf({{"GOOGLE_APPLICATION_CREDENTIALS", dir_.File("wif.json")}}));
  ASSERT_TRUE(t.ok()) << t.error().Describe();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->access_token, "ya29.impersonated-token");
  EXPECT_EQ(FormValue(sts_form, "grant_type"), "urn:ietf:params:oauth:grant-type:token-exchange");
  EXPECT_EQ(FormValue(sts_form, "audience"), audience);
  EXPECT_EQ(FormValue(sts_form, "subject_token"), "eyJhbGciOiJSUzI1NiJ9.kubernetes-sa-token.sig");
  EXPECT_EQ(FormValue(sts_form, "subject_token_type"), "urn:ietf:params:oauth:token-type:jwt");
  EXPECT_EQ(FormValue(sts_form, "requested_token_type"), "urn:ietf:params:oauth:token-type:access_token");
  EXPECT_EQ(impersonation_auth, "Bearer federated-token");
  auto body = json::parse(impersonation_body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << impersonation_body;
  EXPECT_EQ(body["scope"], json::array({"https://www.googleapis.com/auth/devstorage.read_only"}));

  // Without impersonation the federated token is the access token.
  file.erase("service_account_impersonation_url");
  testing::WriteFile(dir_.File("wif.json"), file.dump());
  auto direct = ResolveGoogleCredentials(EnvOf({{"GOOGLE_APPLICATION_CREDENTIALS", dir_.File("wif.json")}}));
  ASSERT_TRUE(direct.ok() && direct->has_value());
  EXPECT_EQ((*direct)->access_token, "federated-token");
}

TEST_F(GoogleAuthTest, MetadataServerTokenNeedsTheFlavorHeader) {
  std::vector<HttpRequest> seen;
  HttpServer metadata([&](const HttpRequest& req, HttpConnection& c) {
    seen.push_back(req);
    if (Header(req, "metadata-flavor") != "Google") return c.Respond(403, "Missing Metadata-Flavor:Google header.");
    if (req.target.rfind("/computeMetadata/v1/instance/service-accounts/default/token", 0) != 0) return c.Respond(404, "");
    c.Respond(200, R"({"access_token":"ya29.gke-workload-identity","expires_in":3599,"token_type":"Bearer"})",
              {"Metadata-Flavor: Google", "Content-Type: application/json"});
  });
  std::string host = metadata.Url("").substr(7);  // 127.0.0.1:PORT
  while (!host.empty() && host.back() == '/') host.pop_back();
  auto t = ResolveGoogleCredentials(EnvOf({{"GCE_METADATA_HOST", host}, {"HOME", dir_.path()}}));
  ASSERT_TRUE(t.ok()) << t.error().Describe();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->access_token, "ya29.gke-workload-identity");
  EXPECT_EQ((*t)->source, "metadata server (" + host + ")");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].target.find("scopes=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fdevstorage.read_only"), std::string::npos);
}

// Off Google Cloud: nothing configured, and the link-local address (another cloud's) does not
// know the path, or NO_GCE_CHECK says not to look: anonymous, as KServe falls back to.
TEST_F(GoogleAuthTest, NothingFoundIsNoCredentialsNotAnError) {
  HttpServer other_cloud([](const HttpRequest&, HttpConnection& c) { c.Respond(404, "Not Found"); });
  std::string host = other_cloud.Url("").substr(7);
  while (!host.empty() && host.back() == '/') host.pop_back();
  auto t = ResolveGoogleCredentials(EnvOf({{"GCE_METADATA_HOST", host}, {"HOME", dir_.path()}}));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->has_value());
  EXPECT_EQ(other_cloud.requests(), 1);
  auto skipped = ResolveGoogleCredentials(EnvOf({{"GCE_METADATA_HOST", host}, {"NO_GCE_CHECK", "True"}, {"HOME", dir_.path()}}));
  ASSERT_TRUE(skipped.ok());
  EXPECT_FALSE(skipped->has_value());
  EXPECT_EQ(other_cloud.requests(), 1) << "NO_GCE_CHECK: the metadata server is not asked";
}

TEST_F(GoogleAuthTest, UnusableCredentialFilesAreUsageErrorsNamingTheFile) {
  for (const auto& [content, expect] : std::vector<std::pair<std::string, std::string>>{
           {"not json", "is not a JSON object"},
           {R"({"type":"impersonated_service_account"})", "type \"impersonated_service_account\" are not supported"},
           {R"({"type":"service_account","client_email":"a@b"})", "need client_email and private_key"},
           {R"({"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"})",
            "private_key is not a PEM RSA private key"},
           {R"({"type":"external_account","audience":"a","subject_token_type":"t","credential_source":{"executable":{"command":"x"}}})",
            "executables are not run"}}) {
    testing::WriteFile(dir_.File("bad.json"), content);
    auto t = ResolveGoogleCredentials(EnvOf({{"GOOGLE_APPLICATION_CREDENTIALS", dir_.File("bad.json")}}));
    ASSERT_FALSE(t.ok()) << content;
    EXPECT_EQ(t.error().kind, ErrorKind::kUsage) << content;
    EXPECT_NE(t.error().Describe().find(dir_.File("bad.json")), std::string::npos) << t.error().Describe();
    EXPECT_NE(t.error().Describe().find(expect), std::string::npos) << t.error().Describe();
  }
  auto missing = ResolveGoogleCredentials(EnvOf({{"GOOGLE_APPLICATION_CREDENTIALS", dir_.File("none.json")}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kUsage);
}

TEST(Gcs, UrisResolveToJsonApiMediaDownloads) {
  auto env = EnvOf({});
  auto loc = ResolveGcs("gs://kfserving-examples/models/sklearn/1.0/model/model.joblib", env);
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->bucket, "kfserving-examples");
  EXPECT_EQ(loc->url,
            "https://storage.googleapis.com/storage/v1/b/kfserving-examples/o/models%2Fsklearn%2F1.0%2Fmodel%2Fmodel.joblib?alt=media");
  EXPECT_EQ(ResolveGcs("gs://b12/a b+c.tgz", EnvOf({{"STORAGE_EMULATOR_HOST", "127.0.0.1:4443"}}))->url,
            "http://127.0.0.1:4443/storage/v1/b/b12/o/a%20b%2Bc.tgz?alt=media");
  EXPECT_EQ(GcsEndpoint(EnvOf({{"STORAGE_EMULATOR_HOST", "https://gcs.internal:8443/"}})), "https://gcs.internal:8443");
  for (const char* bad : {"gs://", "gs://bucket", "gs://bucket/", "gs://UPPER/x", "gs://ab/x", "gs://-bucket/x", "gs://b_b/x?y"}) {
    auto r = ResolveGcs(bad, env);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << bad;
    }
  }
}

// The bearer token goes to the storage API and nowhere else: a redirect is not followed with
// it, and a refused token is exit 4's kind (kForbidden), never retried.
TEST(Gcs, FetchSendsTheBearerTokenAndNeverFollowsARedirectWithIt) {
  testing::TempDir d;
  std::vector<HttpRequest> seen;
  HttpServer api([&](const HttpRequest& req, HttpConnection& c) {
    seen.push_back(req);
    if (req.target == "/storage/v1/b/models/o/dir%2Fm.tgz?alt=media") return c.Respond(200, "model bytes");
    if (req.target == "/storage/v1/b/models/o/moved?alt=media") return c.Respond(302, "", {"Location: /elsewhere"});
    c.Respond(401, R"({"error":{"code":401,"message":"Invalid Credentials","status":"UNAUTHENTICATED"}})");
  });
  std::string host = api.Url("").substr(7);
  while (!host.empty() && host.back() == '/') host.pop_back();
  auto env = EnvOf({{"STORAGE_EMULATOR_HOST", host}});
  GoogleToken token{"ya29.bearer-token-value", "test"};
  FetchOptions o;
  o.max_attempts = 3;
  auto r = FetchGcs("gs://models/dir/m.tgz", d.File("out"), env, token, o);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(testing::ReadFile(d.File("out")), "model bytes");
  EXPECT_EQ(Header(seen.back(), "authorization"), "Bearer ya29.bearer-token-value");
  auto moved = FetchGcs("gs://models/moved", d.File("out"), env, token, o);
  EXPECT_FALSE(moved.ok());
  for (const auto& req : seen) EXPECT_NE(req.target, "/elsewhere") << "followed a redirect with the token";
  size_t before = seen.size();
  auto refused = FetchGcs("gs://models/other", d.File("out"), env, token, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, NetError::kForbidden);
  EXPECT_EQ(seen.size(), before + 1) << "a refused token is not retried";
  EXPECT_EQ(refused.error().file, "gs://models/other");
  EXPECT_EQ(refused.error().Describe().find("ya29.bearer-token-value"), std::string::npos);
}

}  // namespace
}  // namespace aegis::verifier
