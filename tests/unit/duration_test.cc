// Durations as kubectl, helm, gator and cosign take them (Go's time.ParseDuration), and a
// bare number as seconds.
#include <gtest/gtest.h>

#include "util/duration.h"

namespace aegis {
namespace {

using namespace std::chrono_literals;

TEST(Duration, GoSyntaxAndBareSeconds) {
  const std::pair<const char*, std::chrono::nanoseconds> cases[] = {
      {"30s", 30s},      {"5m", 5min},       {"1h", 1h},         {"300ms", 300ms},   {"1h30m", 90min},
      {"1.5s", 1500ms},  {"2m3s", 123s},     {"10", 10s},        {"0.25", 250ms},    {"0", 0s},
      {"500us", 500us},  {"500µs", 500us},   {"7ns", 7ns},       {"+5s", 5s},        {".5s", 500ms},
      {"1h0m0s", 1h},    {"3600", 1h},
  };
  for (const auto& [text, want] : cases) {
    auto d = ParseDuration(text);
    ASSERT_TRUE(d.ok()) << text << ": " << d.error().message;
    EXPECT_EQ(*d, want) << text;
  }
}

TEST(Duration, RefusesWhatIsNotADurationByName) {
  for (const char* text : {"", "s", "5x", "-5s", "5 s", "1d", "5m3", "10s5", "1..5s", "abc", "5S", "1e3s", "nan", "inf"}) {
    auto d = ParseDuration(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_NE(d.error().message.find("is not a duration"), std::string::npos) << d.error().message;
    EXPECT_NE(d.error().message.find("30s"), std::string::npos);
  }
}

TEST(Duration, AsSecondsForOptionsHoldingSeconds) {
  EXPECT_EQ(*DurationAsSeconds("5m"), "300");
  EXPECT_EQ(*DurationAsSeconds("300ms"), "0.3");
  EXPECT_EQ(*DurationAsSeconds("42"), "42");
  EXPECT_FALSE(DurationAsSeconds("5 minutes").ok());
}

}  // namespace
}  // namespace aegis
