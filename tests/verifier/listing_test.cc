// Listing a prefix page by page, against in-test servers answering as the real APIs document
// (S3 ListObjectsV2: <IsTruncated>, <NextContinuationToken>, XML-escaped keys; Cloud Storage
// objects.list: nextPageToken, sizes as strings). s3rver and fake-gcs-server never paginate
// below 1000 keys (Azurite neither, unless asked), so the continuation is exercised here, with
// Azure List Blobs (NextMarker) beside them; the real servers in
// tree_program_test.cc.
#include <gtest/gtest.h>

#include <map>

#include "platform/net_error.h"
#include "support/env_of.h"
#include "support/http_server.h"
#include "verifier/sources/listing.h"

namespace aegis::verifier {
namespace {
using testing::HttpConnection;
using testing::HttpRequest;
using testing::HttpServer;

using testing::EnvOf;

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

// List Blobs (learn.microsoft.com, "List Blobs"): <EnumerationResults>, each <Blob> with
// <Name> and <Properties><Content-Length>, the next page asked for with marker=<NextMarker>
// until it is empty; a SAS credential rides on every page's query.
TEST(Listing, AzureFollowsMarkersAndCarriesTheSas) {
  std::vector<std::string> targets;
  HttpServer blob([&](const HttpRequest& req, HttpConnection& c) {
    targets.push_back(req.target);
    if (req.target.find("marker=") == std::string::npos) {
      return c.Respond(200, "<?xml version=\"1.0\"?><EnumerationResults ServiceEndpoint=\"x\" ContainerName=\"models\"><Prefix>m/</Prefix>"
                            "<Blobs><Blob><Name>m/a&amp;b.bin</Name><Properties><Content-Length>3</Content-Length></Properties></Blob></Blobs>"
                            "<NextMarker>2!64!bWFya2Vy</NextMarker></EnumerationResults>");
    }
    c.Respond(200, "<EnumerationResults><Blobs><Blob><Name>m/model.sig</Name><Properties><Content-Length>900</Content-Length>"
                   "</Properties></Blob></Blobs><NextMarker /></EnumerationResults>");
  });
  auto env = EnvOf({{"AZURE_STORAGE_CONNECTION_STRING", "AccountName=acct1;BlobEndpoint=" + Base(blob) + "/acct1"}});
  const std::string uri = "https://acct1.blob.core.windows.net/models/m/";
  auto loc = ResolveAzureBlob(uri, env);
  ASSERT_TRUE(loc.ok()) << loc.error().Describe();
  AzureCredential sas{AzureCredential::Kind::kSas, "sv=2021-08-06&sig=abc%3D", "test"};
  auto r = ListAzureBlobs(uri, *loc, sas, FetchOptions{}, 100);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].key, "m/a&b.bin");
  EXPECT_EQ((*r)[1].size, 900u);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/acct1/models?comp=list&prefix=m%2F&restype=container&sv=2021-08-06&sig=abc%3D");
  EXPECT_NE(targets[1].find("&marker=2%2164%21bWFya2Vy&"), std::string::npos) << targets[1];
  // Over the object limit, and an answer that is not a listing.
  auto many = ListAzureBlobs(uri, *loc, sas, FetchOptions{}, 1);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().kind, ErrorKind::kLimit);
  HttpServer junk([](const HttpRequest&, HttpConnection& c) { c.Respond(200, "<Blob><Name>x</Name></Blob>"); });
  auto env2 = EnvOf({{"AZURE_STORAGE_CONNECTION_STRING", "AccountName=acct1;BlobEndpoint=" + Base(junk)}});
  auto loc2 = ResolveAzureBlob(uri, env2);
  ASSERT_TRUE(loc2.ok());
  auto bad = ListAzureBlobs(uri, *loc2, sas, FetchOptions{}, 100);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, NetError::kNetwork);
  EXPECT_EQ(bad.error().file, "https://acct1.blob.core.windows.net/models/m/") << "no query (a SAS) in errors";
}

TEST(AzureBlobUri, KserveFormsParseAndMalformedOnesAreUsageErrors) {
  auto env = EnvOf({});
  auto loc = ResolveAzureBlob("https://kserve.blob.core.windows.net/triton/simple_string/", env);
  ASSERT_TRUE(loc.ok()) << loc.error().Describe();
  EXPECT_EQ(loc->account, "kserve");
  EXPECT_EQ(loc->container, "triton");
  EXPECT_EQ(loc->blob, "simple_string/");
  EXPECT_EQ(loc->endpoint, "https://kserve.blob.core.windows.net");
  EXPECT_EQ(AzureBlobUrl(*loc, "a b/c#d"), "https://kserve.blob.core.windows.net/triton/a%20b/c%23d");
  for (const std::string bad : {"https://kserve.blob.core.windows.net/", "https://kserve.blob.core.windows.net/Upper/x",
                                "https://k.blob.core.windows.net/models/x", "https://kserve.blob.core.windows.net/models/x?sv=1&sp=r",
                                "https://kserve.blob.core.windows.net/a--b/x", "https://kserve.blob.core.windows.net/models/x#frag"}) {
    auto r = ResolveAzureBlob(bad, env);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << bad;
    EXPECT_EQ(r.error().file.find("sp=r"), std::string::npos) << "the query is not shown";
  }
  EXPECT_FALSE(IsAzureBlobUri("https://example.com/kserve.blob.core.windows.net/x"));
  EXPECT_FALSE(IsAzureBlobUri("http://kserve.blob.core.windows.net/m/x"));
  EXPECT_TRUE(IsAzureBlobUri("https://KServe.Blob.Core.Windows.Net/m/x"));
  // The connection string routes only its own account; EndpointSuffix builds the host.
  auto other = ResolveAzureBlob("https://kserve.blob.core.windows.net/m01/x",
                                EnvOf({{"AZURE_STORAGE_CONNECTION_STRING", "AccountName=another;BlobEndpoint=http://127.0.0.1:1/another"}}));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->endpoint, "https://kserve.blob.core.windows.net");
  auto china = ResolveAzureBlob("https://kserve.blob.core.windows.net/m01/x",
                                EnvOf({{"AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountName=kserve;"
                                                                           "AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn"}}));
  ASSERT_TRUE(china.ok());
  EXPECT_EQ(china->endpoint, "https://kserve.blob.core.chinacloudapi.cn");
  auto dev = AzureConnectionString(EnvOf({{"AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true"}}));
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ((*dev)["BlobEndpoint"], "http://127.0.0.1:10000/devstoreaccount1");
  auto malformed = AzureConnectionString(EnvOf({{"AZURE_STORAGE_CONNECTION_STRING", "AccountName=a;s3cretkeywithoutname"}}));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().message.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace aegis::verifier
