// The fetcher against an in-test HTTP server that reproduces what object stores and
// proxies do: 404/403, 5xx and 429 (with Retry-After), connections reset mid-body,
// bodies shorter than their Content-Length, servers that ignore Range, and stalls.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/http_server.h"
#include "support/test_support.h"
#include "verifier/fetch.h"
#include "platform/net_error.h"

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

// Serves kBody, honouring "Range: bytes=N-" with a 206.
void ServeBody(const HttpRequest& req, HttpConnection& c) {
  auto r = req.headers.find("range");
  if (r == req.headers.end()) return c.Respond(200, kBody);
  size_t from = std::stoul(r->second.substr(6));
  c.Respond(206, kBody.substr(from), {"Content-Range: bytes " + std::to_string(from) + "-" +
                                      std::to_string(kBody.size() - 1) + "/" + std::to_string(kBody.size())});
}

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
