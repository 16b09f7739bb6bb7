#include "verifier/common/log.h"

#include <chrono>
#include <ctime>
#include <ostream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace aegis::verifier {
namespace {

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ms);
}

bool NeedsQuotes(const std::string& v) {
  return v.empty() || v.find_first_of(" \t\"=") != std::string::npos;
}

}  // namespace

void Logger::AddSecret(const std::string& value) {
  if (value.size() >= 4) secrets_.push_back(value);
}

std::string Logger::Mask(std::string text) const {
  for (const auto& s : secrets_) {
    for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 3)) text.replace(at, s.size(), "***");
  }
  return text;
}

void Logger::Write(const char* level, const std::string& event, const Fields& fields) {
  std::string line;
  if (json_) {
    nlohmann::json j = {{"ts", Timestamp()}, {"level", level}, {"event", event}};
    for (const auto& [k, v] : fields) j[k] = v;
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    line = fmt::format("verify-and-fetch: {}: {}", level, event);
    for (const auto& [k, v] : fields) {
      std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      line += NeedsQuotes(text) ? fmt::format(" {}={}", k, nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                                : fmt::format(" {}={}", k, text);
    }
    line = Printable(line);  // names come from the bucket: no escape sequence reaches a terminal
  }
  out_ << Mask(std::move(line)) << '\n' << std::flush;
}

}  // namespace aegis::verifier
