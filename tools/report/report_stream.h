// Where a report goes, written in pieces: the renderers (report/<format>_report.cc) never hold a
// whole document; what they write is passed on to a sink (stdout, an output file, a string)
// every 64 KiB, so a report of any size costs the same memory.
#pragma once

#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "util/expected.h"

namespace aegis {

class ReportStream {
 public:
  using Sink = std::function<Status(std::string_view)>;
  explicit ReportStream(Sink sink) : sink_(std::move(sink)) {}
  ReportStream(const ReportStream&) = delete;
  ReportStream& operator=(const ReportStream&) = delete;

  ReportStream& operator<<(std::string_view s) {
    buf_.append(s);
    return Spill();
  }
  ReportStream& operator<<(char c) {
    buf_.push_back(c);
    return Spill();
  }
  template <typename... Args>
  ReportStream& Format(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buf_), format, std::forward<Args>(args)...);
    return Spill();
  }
  // Passes on what is left; the sink's first error, if any (later pieces were dropped).
  Status Finish();

 private:
  static constexpr size_t kChunk = 64 * 1024;
  ReportStream& Spill() {
    if (buf_.size() >= kChunk) Flush();
    return *this;
  }
  void Flush();

  Sink sink_;
  std::string buf_;
  Status status_ = Ok{};
};

// A sink that appends to `out` (tests, and the Render* functions that return a string).
ReportStream::Sink StringSink(std::string& out);

}  // namespace aegis
