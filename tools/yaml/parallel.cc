#include "yaml/parallel.h"

#include <new>
#include <thread>

namespace aegis::yaml {

std::vector<Chunk> SplitForThreads(std::string_view text, size_t threads) {
  constexpr size_t kParallelThreshold = 1 << 20;
  return SplitAtDocuments(text, text.size() < kParallelThreshold ? 1 : threads);
}

std::vector<std::exception_ptr> RunEach(size_t n, const std::function<void(size_t)>& work) {
  std::vector<std::exception_ptr> thrown(n);
  auto run = [&](size_t i) {
    try {
      work(i);
    } catch (...) {
      thrown[i] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (size_t i = 1; i < n; ++i) workers.emplace_back(run, i);
  if (n > 0) run(0);
  for (auto& w : workers) w.join();
  return thrown;
}

std::string Describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::bad_alloc&) {
    return "out of memory";
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
  }
  return "unknown error";
}

}  // namespace aegis::yaml
