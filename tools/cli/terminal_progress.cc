#include "cli/terminal_progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "util/duration.h"
#include "util/strings.h"

namespace aegis::cli {

verifier::Progress::Sink TerminalSink(const std::string& what) {
  const char* force = std::getenv("AEGIS_PROGRESS");
  if (isatty(STDERR_FILENO) == 0 && !(force != nullptr && std::string_view(force) == "always")) return {};
  return [what](const verifier::ProgressReport& r) {
    std::cerr << "\r" << what << ": " << verifier::Describe(r) << "\x1b[K" << (r.done ? "\n" : "") << std::flush;
  };
}

std::chrono::milliseconds TerminalInterval() {
  if (const char* text = std::getenv("AEGIS_PROGRESS_INTERVAL")) {
    if (auto d = ParseDuration(text)) return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  }
  return std::chrono::milliseconds(200);
}

std::shared_ptr<verifier::Progress> TerminalProgress(const std::string& what) {
  auto sink = TerminalSink(what);
  if (!sink) return nullptr;
  return std::make_shared<verifier::Progress>(std::move(sink), TerminalInterval());
}

std::function<void(uint64_t)> Feed(const std::shared_ptr<verifier::Progress>& p) {
  if (!p) return {};
  return [p](uint64_t n) { p->Add(n); };
}

}  // namespace aegis::cli
