#include "util/quantity.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "util/strings.h"

namespace aegis {
namespace {

Error Bad(std::string_view text, std::string_view why) {
  return Error{ErrorKind::kUsage, {}, {},
               fmt::format("{}: {} (a Kubernetes quantity: 500M, 64Gi, 1e9; k M G T P E are powers of 1000, Ki Mi "
                           "Gi Ti Pi Ei of 1024)",
                           Quote(text), why)};
}

}  // namespace

Expected<uint64_t> ParseQuantity(std::string_view text) {
  std::string_view t = text;
  if (t.ends_with("B") && t.size() > 1 && !std::isdigit(static_cast<unsigned char>(t[t.size() - 2]))) t.remove_suffix(1);
  static const std::pair<std::string_view, long double> kSuffixes[] = {
      {"Ki", 1024.0L}, {"Mi", 1048576.0L}, {"Gi", 1073741824.0L}, {"Ti", 1099511627776.0L},
      {"Pi", 1125899906842624.0L}, {"Ei", 1152921504606846976.0L}, {"k", 1e3L}, {"K", 1e3L}, {"M", 1e6L},
      {"G", 1e9L}, {"T", 1e12L}, {"P", 1e15L}, {"E", 1e18L}};
  long double scale = 1;
  for (const auto& [suffix, factor] : kSuffixes) {
    if (t.size() > suffix.size() && t.ends_with(suffix) && std::isdigit(static_cast<unsigned char>(t[t.size() - suffix.size() - 1]))) {
      t.remove_suffix(suffix.size());
      scale = factor;
      break;
    }
  }
  if (t.empty() || t.front() == '-' || t.front() == '+') return Bad(text, "not a non-negative number");
  // Digits, one optional point, an optional exponent (only without a suffix): nothing else.
  size_t i = 0, digits = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
  }
  if (digits == 0) return Bad(text, "not a number");
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E') && scale == 1) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return Bad(text, "an exponent needs digits");
  }
  if (i != t.size()) return Bad(text, fmt::format("unknown suffix {}", Quote(t.substr(i))));
  long double v = std::strtold(std::string(t).c_str(), nullptr) * scale;
  if (!std::isfinite(v) || v >= 18446744073709551616.0L) return Bad(text, "too large");
  return static_cast<uint64_t>(std::ceil(v));
}

std::string QuantityToInteger(std::string& value) {
  auto n = ParseQuantity(value);
  if (!n) return n.error().message;
  value = std::to_string(*n);
  return {};
}

}  // namespace aegis
