#include "verifier/common/progress.h"

#include <cmath>

#include <fmt/format.h>

namespace aegis::verifier {
namespace {

std::string Bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(units)) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string Seconds(double s) {
  auto whole = static_cast<long long>(std::ceil(s));
  if (whole < 60) return fmt::format("{}s", whole);
  if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02}m", whole / 3600, (whole % 3600) / 60);
}

}  // namespace

std::string Describe(const ProgressReport& r) {
  double rate = r.seconds > 0 ? static_cast<double>(r.bytes) / r.seconds : 0;
  std::string speed = fmt::format("{}/s", Bytes(static_cast<uint64_t>(rate)));
  if (r.expected == 0 || r.bytes > r.expected) return fmt::format("{}, {}", Bytes(r.bytes), speed);
  std::string out = fmt::format("{} of {} ({}%), {}", Bytes(r.bytes), Bytes(r.expected), r.bytes * 100 / r.expected, speed);
  if (!r.done && rate > 0) out += ", ETA " + Seconds(static_cast<double>(r.expected - r.bytes) / rate);
  return out;
}

Progress::Progress(Sink sink, std::chrono::milliseconds interval, std::function<Clock::time_point()> now)
    : sink_(std::move(sink)), interval_(interval), now_(std::move(now)) {}

void Progress::Expect(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  expected_ += bytes;
}

void Progress::Add(uint64_t bytes) {
  if (interval_.count() <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  Clock::time_point now = now_();
  if (!started_) {
    started_ = true;
    start_ = last_ = now;
  }
  bytes_ += bytes;
  if (now - last_ < interval_) return;
  last_ = now;
  reported_ = true;
  sink_({bytes_, expected_, std::chrono::duration<double>(now - start_).count(), false});
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!reported_) return;
  sink_({bytes_, expected_, std::chrono::duration<double>(now_() - start_).count(), true});
}

}  // namespace aegis::verifier
