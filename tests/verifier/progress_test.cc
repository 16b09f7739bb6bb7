// verifier/common/progress.h: lines at a steady interval, with the size and an ETA once known.
#include "verifier/common/progress.h"

#include <gtest/gtest.h>

#include <vector>

namespace aegis::verifier {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  Progress::Clock::time_point t{};
  Progress::Clock::time_point operator()() const { return t; }
};

TEST(Progress, ReportsAtTheIntervalWithRateSizeAndEta) {
  std::vector<ProgressReport> seen;
  FakeClock clock;
  Progress p([&](const ProgressReport& r) { seen.push_back(r); }, 10s, [&] { return clock(); });
  p.Add(1 << 20);  // the first byte starts the clock
  clock.t += 5s;
  p.Add(1 << 20);
  EXPECT_TRUE(seen.empty()) << "not before the interval";
  p.Expect(100ull << 20);
  clock.t += 5s;
  p.Add(8ull << 20);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].bytes, 10ull << 20);
  EXPECT_EQ(seen[0].expected, 100ull << 20);
  EXPECT_DOUBLE_EQ(seen[0].seconds, 10.0);
  EXPECT_EQ(Describe(seen[0]), "10.0 MiB of 100.0 MiB (10%), 1.0 MiB/s, ETA 1m30s");
  clock.t += 1s;
  p.Add(1);
  EXPECT_EQ(seen.size(), 1u);
  p.Finish();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[1].done);
  EXPECT_EQ(Describe(seen[1]).find("ETA"), std::string::npos);
}

TEST(Progress, WithoutASizeNoEtaAndAQuickDownloadSaysNothing) {
  std::vector<ProgressReport> seen;
  FakeClock clock;
  Progress quick([&](const ProgressReport& r) { seen.push_back(r); }, 10s, [&] { return clock(); });
  quick.Add(100);
  quick.Finish();
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(Describe({3ull << 30, 0, 3, false}), "3.0 GiB, 1.0 GiB/s");
  Progress off([&](const ProgressReport& r) { seen.push_back(r); }, 0ms, [&] { return clock(); });
  off.Add(1);
  clock.t += 1h;
  off.Add(1);
  EXPECT_TRUE(seen.empty()) << "interval 0: no lines";
}

}  // namespace
}  // namespace aegis::verifier
