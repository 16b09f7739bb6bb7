// Download progress at a steady interval: `kubectl logs -f` on a verifier fetching gigabytes
// shows it moving (bytes so far, rate, and with a known size the total and an ETA), and `aegis
// verify/pack/sign` draw the same as a line on a terminal. Thread-safe: a model directory's
// files and a large artifact's parts arrive on several threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace aegis::verifier {

struct ProgressReport {
  uint64_t bytes = 0;
  uint64_t expected = 0;  // 0: unknown
  double seconds = 0;     // since the first byte
  bool done = false;      // the closing report
};

// "1.2 GiB of 4.0 GiB (31%), 120.0 MiB/s, ETA 24s"; without a size, "1.2 GiB, 120.0 MiB/s".
std::string Describe(const ProgressReport& r);

class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  using Sink = std::function<void(const ProgressReport&)>;

  // `interval` 0: never reports.
  Progress(Sink sink, std::chrono::milliseconds interval, std::function<Clock::time_point()> now = Clock::now);

  void Expect(uint64_t bytes);  // more bytes are coming (an object's size, once known)
  void Add(uint64_t bytes);     // reports when `interval` has passed since the last report
  void Finish();                // a closing report, when any report was made

 private:
  Sink sink_;
  std::chrono::milliseconds interval_;
  std::function<Clock::time_point()> now_;
  std::mutex mu_;
  bool started_ = false, reported_ = false;
  Clock::time_point start_, last_;
  uint64_t bytes_ = 0, expected_ = 0;
};

}  // namespace aegis::verifier
