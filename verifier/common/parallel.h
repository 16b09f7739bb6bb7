// Runs work(0..n-1) on up to `parallel` threads (the caller's among them); the first error
// stops the rest from starting and is returned (the lowest index among those that failed).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "util/expected.h"

namespace aegis::verifier {

inline Status ParallelFor(size_t n, int parallel, const std::function<Status(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::optional<Error>> errors(n);
  auto worker = [&] {
    for (size_t i = next++; i < n && !failed; i = next++) {
      if (Status s = work(i); !s) {
        errors[i] = s.error();
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t count = std::min<size_t>(n, static_cast<size_t>(std::max(1, parallel)));
  for (size_t t = 1; t < count; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  for (auto& e : errors) {
    if (e) return *e;
  }
  return Ok{};
}

}  // namespace aegis::verifier
