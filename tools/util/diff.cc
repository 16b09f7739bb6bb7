#include "util/diff.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace aegis {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op { kEqual, kDelete, kInsert };
struct Step {
  Op op;
  size_t a;  // line index in before (kEqual, kDelete)
  size_t b;  // line index in after (kEqual, kInsert)
};

// Shortest edit script; memory O(D^2), which is small for the few edits render makes.
std::vector<Step> Myers(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size()), max = n + m;
  std::vector<long> v(static_cast<size_t>(2 * max + 3), 0);
  auto at = [&](long k) -> long& { return v[static_cast<size_t>(k + max + 1)]; };
  std::vector<std::vector<long>> trace;
  long d_end = 0;
  for (long d = 0; d <= max; ++d) {
    bool done = false;
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) ++x, ++y;
      at(k) = x;
      if (x >= n && y >= m) done = true;
    }
    trace.emplace_back();
    for (long k = -d; k <= d; ++k) trace.back().push_back(at(k));
    if (done) {
      d_end = d;
      break;
    }
  }
  std::vector<Step> steps;
  long x = n, y = m;
  for (long d = d_end; d > 0; --d) {
    const auto& prev = trace[static_cast<size_t>(d - 1)];
    auto pv = [&](long k) { return prev[static_cast<size_t>(k + d - 1)]; };
    long k = x - y;
    long pk = (k == -d || (k != d && pv(k - 1) < pv(k + 1))) ? k + 1 : k - 1;
    long px = pv(pk), py = px - pk;
    while (x > px && y > py) --x, --y, steps.push_back({Op::kEqual, static_cast<size_t>(x), static_cast<size_t>(y)});
    if (x == px) {
      --y;
      steps.push_back({Op::kInsert, static_cast<size_t>(x), static_cast<size_t>(y)});
    } else {
      --x;
      steps.push_back({Op::kDelete, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
  }
  while (x > 0 && y > 0) --x, --y, steps.push_back({Op::kEqual, static_cast<size_t>(x), static_cast<size_t>(y)});
  std::reverse(steps.begin(), steps.end());
  return steps;
}

std::string Line(char sign, std::string_view line) {
  std::string out(1, sign);
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
  return out;
}

}  // namespace

std::string UnifiedDiff(std::string_view before, std::string_view after, const std::string& before_name,
                        const std::string& after_name, size_t context) {
  if (before == after) return {};
  auto a = SplitLines(before), b = SplitLines(after);
  std::vector<Step> steps = Myers(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", before_name, after_name);
  size_t i = 0;
  while (i < steps.size()) {
    if (steps[i].op == Op::kEqual) {
      ++i;
      continue;
    }
    // A hunk: from `context` equal lines before the change to `context` after the last
    // change that is within 2*context equal lines of the previous one.
    size_t start = i >= context ? i - context : 0;
    while (start < i && steps[start].op != Op::kEqual) ++start;
    size_t end = i;
    for (size_t j = i; j < steps.size(); ++j) {
      if (steps[j].op != Op::kEqual) end = j;
      else if (j - end > 2 * context) break;
    }
    size_t stop = std::min(steps.size(), end + context + 1);
    size_t a_start = steps[start].a, b_start = steps[start].b, a_len = 0, b_len = 0;
    std::string body;
    for (size_t j = start; j < stop; ++j) {
      const Step& s = steps[j];
      if (s.op == Op::kEqual) body += Line(' ', a[s.a]), ++a_len, ++b_len;
      if (s.op == Op::kDelete) body += Line('-', a[s.a]), ++a_len;
      if (s.op == Op::kInsert) body += Line('+', b[s.b]), ++b_len;
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_len ? a_start + 1 : a_start, a_len, b_len ? b_start + 1 : b_start,
                       b_len);
    out += body;
    i = stop;
  }
  return out;
}

}  // namespace aegis
