#include "util/duration.h"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "util/error.h"
#include "util/strings.h"

namespace aegis {
namespace {

Error Bad(std::string_view text) {
  return Error{ErrorKind::kUsage, {}, {},
               fmt::format("{} is not a duration: use a number with a unit (300ms, 30s, 5m, 1h30m) or a number of "
                           "seconds",
                           Quote(text))};
}

// Nanoseconds per unit, longest unit names first where one is a prefix of another.
double UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  if (unit == "m") return 60e9;
  if (unit == "h") return 3600e9;
  return 0;
}

bool Digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Expected<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  std::string_view s = text;
  if (s.empty() || s.size() > 64) return Bad(text);
  if (s.front() == '+') s.remove_prefix(1);
  double total = 0;
  bool bare = true;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && Digit(s[i])) ++i;
    size_t int_digits = i;
    size_t frac_digits = 0;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && Digit(s[i])) ++i, ++frac_digits;
    }
    if (int_digits + frac_digits == 0) return Bad(text);
    double number = std::stod(std::string(s.substr(0, i)));
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !Digit(s[u]) && s[u] != '.') ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    if (unit.empty()) {
      if (!bare || !s.empty()) return Bad(text);  // a bare number stands alone: seconds
      total = number * 1e9;
      break;
    }
    bare = false;
    double nanos = UnitNanos(unit);
    if (nanos == 0) return Bad(text);
    total += number * nanos;
  }
  if (!std::isfinite(total) || total > 9.2e18) return Bad(text);
  return std::chrono::nanoseconds(static_cast<long long>(std::llround(total)));
}

Expected<std::string> DurationAsSeconds(std::string_view text) {
  auto d = ParseDuration(text);
  if (!d) return d.error();
  return fmt::format("{}", static_cast<double>(d->count()) / 1e9);
}

std::string DurationToSeconds(std::string& value) {
  auto seconds = DurationAsSeconds(value);
  if (!seconds) return seconds.error().message;
  value = *seconds;
  return {};
}

}  // namespace aegis
