// Listing a prefix page by page, against in-test servers answering as the real APIs document
// (S3 ListObjectsV2: <IsTruncated>, <NextContinuationToken>, XML-escaped keys; Cloud Storage
// objects.list: nextPageToken, sizes as strings). s3rver and fake-gcs-server never paginate
// below 1000 keys, so the continuation is exercised here; the real servers in
// tree_program_test.cc.
#include <gtest/gtest.h>

#include <map>

#include "platform/net_error.h"
#include "support/http_server.h"
#include "verifier/listing.h"

namespace aegis::verifier {
namespace {
using testing::HttpConnection;
using testing::HttpRequest;
using testing::HttpServer;

platform::Env EnvOf(std::map<std::string, std::string> vars) {
  return [vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string Base(const HttpServer& s) {
  std::string u = s.Url("");
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

TEST(Listing, S3FollowsContinuationTokensAndUnescapesKeys) {
  std::vector<std::string> targets;
  HttpServer s3([&](const HttpRequest& req, HttpConnection& c) {
    targets.push_back(req.target);
    if (req.target.find("continuation-token=") == std::string::npos) {
      return c.Respond(200, "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>m/a&amp;b.bin</Key><Size>3</Size></Contents>"
                            "<NextContinuationToken>1/tok+en=</NextContinuationToken></ListBucketResult>");
    }
    c.Respond(200, "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>m/c.bin</Key><Size>1048576</Size></Contents>"
                   "</ListBucketResult>");
  });
  FetchOptions o;
  auto r = ListS3("s3://models/m/", EnvOf({{"AWS_ENDPOINT_URL_S3", Base(s3)}}), std::nullopt, o, true, 100);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].key, "m/a&b.bin");
  EXPECT_EQ((*r)[0].size, 3u);
  EXPECT_EQ((*r)[1].size, 1048576u);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/models?list-type=2&prefix=m%2F");
  EXPECT_EQ(targets[1], "/models?continuation-token=1%2Ftok%2Ben%3D&list-type=2&prefix=m%2F");
  // More objects than allowed: refused, not truncated.
  auto capped = ListS3("s3://models/m/", EnvOf({{"AWS_ENDPOINT_URL_S3", Base(s3)}}), std::nullopt, o, true, 1);
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().kind, ErrorKind::kLimit);
}

TEST(Listing, GcsFollowsPageTokensAndRefusalsAreTyped) {
  std::vector<std::string> targets;
  HttpServer gcs([&](const HttpRequest& req, HttpConnection& c) {
    targets.push_back(req.target);
    if (req.target.find("/b/denied/") != std::string::npos) return c.Respond(403, R"({"error":{"code":403,"message":"denied"}})");
    if (req.target.find("/b/gone/") != std::string::npos) return c.Respond(404, R"({"error":{"code":404,"message":"Not Found"}})");
    if (req.target.find("pageToken=") == std::string::npos) {
      return c.Respond(200, R"({"items":[{"name":"m/model.sig","size":"900"}],"nextPageToken":"CgZtL3g="})");
    }
    c.Respond(200, R"({"items":[{"name":"m/x","size":"7"}]})");
  });
  auto env = EnvOf({{"STORAGE_EMULATOR_HOST", Base(gcs).substr(7)}});
  GoogleToken token{"ya29.t", "test"};
  auto r = ListGcs("gs://models/m/", env, token, FetchOptions{}, 100);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].key, "m/x");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_NE(targets[1].find("&pageToken=CgZtL3g%3D"), std::string::npos) << targets[1];
  auto denied = ListGcs("gs://denied/m/", env, token, FetchOptions{}, 100);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().kind, NetError::kForbidden);
  auto gone = ListGcs("gs://gone/m/", env, token, FetchOptions{}, 100);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, NetError::kNotFound);
}

TEST(Listing, MalformedAnswersAreNetworkErrorsNotCrashes) {
  for (const std::string body : {"<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>",
                                 "<ListBucketResult><Contents><Key>a&#xZZ;</Key><Size>1</Size></Contents><IsTruncated>true</IsTruncated>"
                                 "</ListBucketResult>",
                                 "not xml", "<ListBucketResult><Contents><Key>k</Key><Size>99999999999999999999999</Size></Contents>"}) {
    HttpServer s3([&](const HttpRequest&, HttpConnection& c) { c.Respond(200, body); });
    auto r = ListS3("s3://models/m/", EnvOf({{"AWS_ENDPOINT_URL_S3", Base(s3)}}), std::nullopt, FetchOptions{}, true, 100);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().kind, NetError::kNetwork) << body;
  }
}

}  // namespace
}  // namespace aegis::verifier
