// The fetcher against an in-test HTTP server that reproduces what object stores and
// proxies do: 404/403, 5xx and 429 (with Retry-After), connections reset mid-body,
// bodies shorter than their Content-Length, servers that ignore Range, and stalls.
#include <gtest/gtest.h>

#include <atomic>

#include <filesystem>
#include <set>

#include "platform/net_error.h"
#include "support/http_server.h"
#include "support/test_support.h"
#include "verifier/common/fetch.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;
using testing::HttpConnection;
using testing::HttpRequest;
using testing::HttpServer;

const std::string kBody = [] {
  std::string s;
  for (int i = 0; s.size() < 200000; ++i) s += std::to_string(i) + ",";
  return s;
}();

// Serves `body`, honouring "Range: bytes=N-" and "bytes=N-M" with a 206 as S3 does (RFC 9110
// §14: the last byte clamped to the object's end, 416 for a range that starts beyond it).
void ServeRange(const std::string& body, const HttpRequest& req, HttpConnection& c) {
  auto r = req.headers.find("range");
  if (r == req.headers.end()) return c.Respond(200, body);
  std::string spec = r->second.substr(6);
  size_t dash = spec.find('-');
  size_t from = std::stoul(spec.substr(0, dash));
  size_t to = dash + 1 < spec.size() ? std::min(std::stoul(spec.substr(dash + 1)), body.size() - 1) : body.size() - 1;
  if (from >= body.size()) return c.Respond(416, "<Error><Code>InvalidRange</Code></Error>", {"Content-Range: bytes */" + std::to_string(body.size())});
  c.Respond(206, body.substr(from, to - from + 1), {"Content-Range: bytes " + std::to_string(from) + "-" +
                                                    std::to_string(to) + "/" + std::to_string(body.size())});
}
void ServeBody(const HttpRequest& req, HttpConnection& c) { ServeRange(kBody, req, c); }

class FetchTest : public ::testing::Test {
 protected:
  FetchOptions Options() {
    FetchOptions o;
    o.sleep = [this](std::chrono::milliseconds ms) { waits_.push_back(ms); };  // no real sleeping
    o.stall_timeout = std::chrono::seconds(2);
    return o;
  }
  std::string Out() const { return dir_.File("artifact"); }
  void ExpectBody(const Expected<FetchResult>& r) {
    ASSERT_TRUE(r.ok()) << r.error().Describe();
    EXPECT_EQ(r->bytes, kBody.size());
    EXPECT_EQ(r->digests.sha256, Sha256(kBody));
    EXPECT_EQ(testing::ReadFile(Out()), kBody);
  }
  testing::TempDir dir_;
  std::vector<std::chrono::milliseconds> waits_;
};

TEST_F(FetchTest, HappyPathHashesWhileWriting) {
  HttpServer s(ServeBody);
  auto r = Fetch(s.Url("/models/m.tar.gz"), Out(), Options());
  ExpectBody(r);
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(s.Log().at(0).target, "/models/m.tar.gz");
}

TEST_F(FetchTest, NotFoundIsNotRetried) {
  HttpServer s([](const HttpRequest&, HttpConnection& c) { c.Respond(404, "<Error><Code>NoSuchKey</Code></Error>"); });
  auto r = Fetch(s.Url("/missing"), Out(), Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNotFound);
  EXPECT_EQ(s.requests(), 1);
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(FetchTest, ForbiddenIsItsOwnKindWithoutRetry) {
  HttpServer s([](const HttpRequest&, HttpConnection& c) { c.Respond(403, "<Error><Code>AccessDenied</Code></Error>"); });
  auto r = Fetch(s.Url("/secret"), Out(), Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kForbidden);
  EXPECT_NE(r.error().message.find("HTTP 403"), std::string::npos);
  EXPECT_EQ(s.requests(), 1);
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(FetchTest, ServerErrorsAreRetriedWithGrowingBackoff) {
  std::atomic<int> n{0};
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ < 3) return c.Respond(503, "slow down");
    ServeBody(req, c);
  });
  auto r = Fetch(s.Url("/m"), Out(), Options());
  ExpectBody(r);
  EXPECT_EQ(r->attempts, 4);
  ASSERT_EQ(waits_.size(), 3u);
  EXPECT_GE(waits_[1], std::chrono::milliseconds(500));   // 250 ms doubled, plus jitter
  EXPECT_GE(waits_[2], std::chrono::milliseconds(1000));
}

TEST_F(FetchTest, TooManyRequestsHonoursRetryAfter) {
  std::atomic<int> n{0};
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ == 0) return c.Respond(429, "", {"Retry-After: 3"});
    ServeBody(req, c);
  });
  ExpectBody(Fetch(s.Url("/m"), Out(), Options()));
  ASSERT_EQ(waits_.size(), 1u);
  EXPECT_EQ(waits_[0], std::chrono::milliseconds(3000));
}

TEST_F(FetchTest, ResetMidBodyResumesWithRange) {
  std::atomic<int> n{0};
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ == 0) {
      c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kBody.size()) + "\r\n\r\n" + kBody.substr(0, 70000));
      return c.Reset();
    }
    ServeBody(req, c);
  });
  auto r = Fetch(s.Url("/m"), Out(), Options());
  ExpectBody(r);
  EXPECT_TRUE(r->resumed);
  auto log = s.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_TRUE(log[1].headers.count("range"));
  EXPECT_NE(log[1].headers["range"], "bytes=0-");
}

TEST_F(FetchTest, TruncatedBodyIsDetectedAndCompleted) {
  std::atomic<int> n{0};
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ == 0) {
      c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kBody.size()) + "\r\nConnection: close\r\n\r\n" +
             kBody.substr(0, 1000));
      return;  // closes cleanly, 1,000 bytes short
    }
    ServeBody(req, c);
  });
  auto r = Fetch(s.Url("/m"), Out(), Options());
  ExpectBody(r);
  EXPECT_EQ(r->attempts, 2);
}

TEST_F(FetchTest, ServerIgnoringRangeRestartsFromZero) {
  std::atomic<int> n{0};
  HttpServer s([&](const HttpRequest&, HttpConnection& c) {
    if (n++ == 0) {
      c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kBody.size()) + "\r\n\r\n" + kBody.substr(0, 5000));
      return c.Reset();
    }
    c.Respond(200, kBody);  // whole body again, no 206
  });
  auto r = Fetch(s.Url("/m"), Out(), Options());
  ExpectBody(r);
  EXPECT_FALSE(r->resumed);
}

// In parts: what boto3's transfer manager and s5cmd do with one large object.
FetchOptions InParts(FetchOptions o) {
  o.parts = 4;
  o.part_bytes = 16384;  // kBody: 13 parts
  return o;
}

TEST_F(FetchTest, InPartsFetchesRangesConcurrentlyAndHashesInOrder) {
  HttpServer s(ServeBody);
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ExpectBody(r);
  EXPECT_EQ(r->parts, 13);
  auto log = s.Log();
  ASSERT_EQ(log.size(), 13u);
  EXPECT_EQ(log[0].headers["range"], "bytes=0-16383");  // the first part tells the size
  std::set<std::string> ranges;
  for (auto& req : log) ranges.insert(req.headers["range"]);
  EXPECT_EQ(ranges.size(), 13u);
  EXPECT_TRUE(ranges.count("bytes=196608-199999")) << "the last part ends at the object's end";
}

// Progress hears every byte once and, from the first ranged answer, the object's size.
TEST_F(FetchTest, InPartsProgressHearsEveryByteAndTheSize) {
  HttpServer s(ServeBody);
  FetchOptions o = InParts(Options());
  std::atomic<uint64_t> bytes{0}, size{0};
  std::atomic<int> sizes{0};
  o.on_bytes = [&](uint64_t n) { bytes += n; };
  o.on_size = [&](uint64_t n) {
    size = n;
    ++sizes;
  };
  auto r = Fetch(s.Url("/m"), Out(), o);
  ExpectBody(r);
  EXPECT_EQ(bytes.load(), r->bytes);
  EXPECT_EQ(size.load(), r->bytes);
  EXPECT_EQ(sizes.load(), 1);
}

TEST_F(FetchTest, InPartsSmallObjectIsOneRequest) {
  const std::string small = "tiny";
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) { ServeRange(small, req, c); });
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(testing::ReadFile(Out()), small);
  EXPECT_EQ(r->digests.sha256, Sha256(small));
  EXPECT_EQ(s.requests(), 1);
}

TEST_F(FetchTest, InPartsEmptyObjectIsAskedForWhole) {
  HttpServer s([](const HttpRequest& req, HttpConnection& c) { ServeRange("", req, c); });
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->bytes, 0u);
  EXPECT_EQ(r->digests.sha256, Sha256(""));
  EXPECT_EQ(s.requests(), 2);  // 416 for the first part, then the whole (empty) object
}

TEST_F(FetchTest, InPartsServerWithoutRangesSendsTheWholeObjectOnce) {
  HttpServer s([](const HttpRequest&, HttpConnection& c) { c.Respond(200, kBody); });
  ExpectBody(Fetch(s.Url("/m"), Out(), InParts(Options())));
  EXPECT_EQ(s.requests(), 1);
}

TEST_F(FetchTest, InPartsAFailingPartIsRetried) {
  std::atomic<int> fails{0};
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (req.headers.count("range") && req.headers.at("range") == "bytes=81920-98303" && fails++ == 0) return c.Respond(503, "slow down");
    ServeBody(req, c);
  });
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ExpectBody(r);
  EXPECT_EQ(r->attempts, 2);  // the first part's one, plus the retried part's extra one
  EXPECT_EQ(fails.load(), 2);
}

TEST_F(FetchTest, InPartsAPartThatKeepsFailingFailsTheDownloadAndLeavesNothing) {
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (req.headers.count("range") && req.headers.at("range") == "bytes=81920-98303") return c.Respond(500, "broken");
    ServeBody(req, c);
  });
  FetchOptions o = InParts(Options());
  o.max_attempts = 2;
  auto r = Fetch(s.Url("/m"), Out(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNetwork);
  EXPECT_NE(r.error().message.find("after 2 attempt(s)"), std::string::npos) << r.error().message;
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(FetchTest, InPartsAnObjectReplacedMidDownloadIsRefused) {
  // After the first part, the bucket's owner swaps in a longer object.
  const std::string longer = kBody + "appended";
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (req.headers.count("range") && req.headers.at("range") == "bytes=0-16383") return ServeBody(req, c);
    ServeRange(longer, req, c);
  });
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("the object changed during the download"), std::string::npos) << r.error().message;
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(FetchTest, InPartsAPartLongerThanAskedIsRefused) {
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (req.headers.count("range") && req.headers.at("range") == "bytes=16384-32767") {
      return c.Respond(206, kBody.substr(16384, 20000), {"Content-Range: bytes 16384-32767/" + std::to_string(kBody.size())});
    }
    ServeBody(req, c);
  });
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than the byte range"), std::string::npos) << r.error().message;
}

TEST_F(FetchTest, InPartsAWrongContentRangeIsRefused) {
  HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
    if (req.headers.count("range") && req.headers.at("range") == "bytes=16384-32767") {
      return c.Respond(206, kBody.substr(0, 16384), {"Content-Range: bytes 0-16383/" + std::to_string(kBody.size())});
    }
    ServeBody(req, c);
  });
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unexpected Content-Range"), std::string::npos) << r.error().message;
}

TEST_F(FetchTest, InPartsAnAbsurdClaimedSizeIsRefusedBeforeAnythingIsSizedByIt) {
  HttpServer s([](const HttpRequest&, HttpConnection& c) {
    c.Respond(206, kBody.substr(0, 16384), {"Content-Range: bytes 0-16383/18446744073709551614"});
  });
  auto r = Fetch(s.Url("/m"), Out(), InParts(Options()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kLimit);
  EXPECT_NE(r.error().message.find("the server claims 18446744073709551614 bytes"), std::string::npos) << r.error().message;
  EXPECT_EQ(s.requests(), 1);
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(FetchTest, InPartsTheSizeLimitHoldsBeforeTheRestIsFetched) {
  HttpServer s(ServeBody);
  FetchOptions o = InParts(Options());
  o.max_bytes = 100000;
  auto r = Fetch(s.Url("/m"), Out(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kLimit);
  EXPECT_EQ(s.requests(), 1);
}

TEST_F(FetchTest, StallPastTheTimeoutFailsAndLeavesNothing) {
  HttpServer s([](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\npartial");
    c.WaitForClientClose(10);
  });
  FetchOptions o = Options();
  o.max_attempts = 1;
  o.stall_timeout = std::chrono::seconds(1);
  auto r = Fetch(s.Url("/m"), Out(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNetwork);
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(FetchTest, PersistentFailureGivesUpAfterMaxAttempts) {
  HttpServer s([](const HttpRequest&, HttpConnection& c) { c.Respond(500, "boom"); });
  FetchOptions o = Options();
  o.max_attempts = 3;
  auto r = Fetch(s.Url("/m"), Out(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNetwork);
  EXPECT_NE(r.error().message.find("after 3 attempt(s): HTTP 500"), std::string::npos) << r.error().message;
  EXPECT_EQ(s.requests(), 3);
  EXPECT_FALSE(fs::exists(Out()));
}

TEST_F(FetchTest, ConnectionRefusedIsANetworkError) {
  int port = 0;
  {
    HttpServer s(ServeBody);  // learn a free port, then close it
    port = std::stoi(s.Url("").substr(17));
  }
  FetchOptions o = Options();
  o.max_attempts = 2;
  auto r = Fetch("http://127.0.0.1:" + std::to_string(port) + "/m", Out(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNetwork);
  EXPECT_EQ(waits_.size(), 1u);
}

}  // namespace
}  // namespace aegis::verifier
