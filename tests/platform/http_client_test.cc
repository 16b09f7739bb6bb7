// platform::HttpClient, the one HTTP client: what it refuses to send, how much it keeps, and
// that Ctrl-C (the stop flag) ends an exchange with a server that never answers.
#include "platform/http.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "support/http_server.h"
#include "platform/net_error.h"

namespace aegis::platform {
namespace {

TEST(HttpClient, AHeaderWithALineBreakIsNeverSent) {
  std::atomic<int> requests{0};
  aegis::testing::HttpServer server([&](const aegis::testing::HttpRequest&, aegis::testing::HttpConnection& c) {
    ++requests;
    c.Respond(200, "ok");
  });
  HttpClient client;
  HttpRequest r;
  r.url = server.Url("/x");
  r.headers = {"Authorization: Bearer abc\r\nX-Injected: yes"};
  auto answer = client.SendForText(r, 1024);
  ASSERT_FALSE(answer);
  EXPECT_NE(answer.error().message.find("control character"), std::string::npos) << answer.error().message;
  EXPECT_EQ(answer.error().message.find("abc"), std::string::npos) << "the header's value is not echoed";
  EXPECT_EQ(requests.load(), 0);
}

TEST(HttpClient, TextAnswersAreBoundedAnyStatusIsReturned) {
  aegis::testing::HttpServer server([](const aegis::testing::HttpRequest& req, aegis::testing::HttpConnection& c) {
    c.Respond(req.target == "/big" ? 200 : 404, std::string(req.target == "/big" ? 10000 : 3, 'x'));
  });
  HttpClient client;
  HttpRequest r;
  r.url = server.Url("/small");
  auto small = client.SendForText(r, 1024);
  ASSERT_TRUE(small) << small.error().Describe();
  EXPECT_EQ(small->status, 404);
  EXPECT_EQ(small->body, "xxx");
  r.url = server.Url("/big");
  auto big = client.SendForText(r, 1024);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, NetError::kNetwork);
  EXPECT_NE(big.error().message.find("exceeds 1024 bytes"), std::string::npos) << big.error().message;
}

TEST(HttpClient, StopFlagEndsAnExchangeWithASilentServer) {
  aegis::testing::HttpServer server([](const aegis::testing::HttpRequest&, aegis::testing::HttpConnection& c) {
    c.WaitForClientClose(30);  // never answers
  });
  std::atomic<bool> stop{false};
  std::thread ctrl_c([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  HttpClient client;
  HttpRequest r;
  r.url = server.Url("/hang");
  r.stop = &stop;
  auto start = std::chrono::steady_clock::now();
  auto answer = client.SendForText(r, 1024);
  auto took = std::chrono::steady_clock::now() - start;
  ctrl_c.join();
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, ErrorKind::kInterrupted);
  EXPECT_LT(took, std::chrono::seconds(10)) << "the 60 s request timeout was waited out";
}

}  // namespace
}  // namespace aegis::platform
