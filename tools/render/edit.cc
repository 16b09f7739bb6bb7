#include "render/edit.h"
#include "policy/policy_error.h"

#include <algorithm>

#include <fmt/format.h>

namespace aegis::render {

void SortEdits(std::vector<Edit>& edits) {
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.erase == 0 && b.erase > 0;
  });
}

Expected<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  SortEdits(edits);
  std::string out;
  out.reserve(text.size() + 4096);
  size_t pos = 0;
  for (const Edit& e : edits) {
    if (e.offset < pos || e.offset + e.erase > text.size()) {
      return Error{PolicyError::kInvalid, {}, {}, "overlapping edits"};
    }
    out.append(text.substr(pos, e.offset - pos));
    out += e.text;
    pos = e.offset + e.erase;
  }
  out.append(text.substr(pos));
  return out;
}

namespace {

// One run of changed lines: old lines [first, last) replaced by `lines`.
struct Change {
  size_t first = 0, last = 0;
  std::vector<std::string> lines;
};

std::string DiffLine(char sign, std::string_view line) {
  std::string out(1, sign);
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
  return out;
}

std::vector<std::string> SplitKeepingBreaks(std::string_view text) {
  std::vector<std::string> out;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.emplace_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

}  // namespace

std::string DiffOfEdits(std::string_view text, const std::vector<Edit>& sorted, const std::string& before_name,
                        const std::string& after_name, size_t context) {
  // Line starts of the original ('\n' lines, as diff and patch count them).
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size();) {
    starts.push_back(i);
    size_t nl = text.find('\n', i);
    i = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  const size_t n = starts.size();
  auto start_of = [&](size_t line) { return line < n ? starts[line] : text.size(); };
  auto line_of = [&](size_t offset) {  // the line holding `offset` (n at the very end)
    if (offset >= text.size()) return n;
    return static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin()) - 1;
  };
  // Each edit touches whole old lines [first, last); a line insertion at a line start
  // touches none. Edits touching the same or adjacent lines form one change.
  std::vector<Change> changes;
  size_t i = 0;
  while (i < sorted.size()) {
    const Edit& e = sorted[i];
    auto range_of = [&](const Edit& x) {
      // Appending to a last line without a line break changes that line.
      bool unterminated_end = x.offset >= text.size() && !text.empty() && text.back() != '\n';
      size_t first = unterminated_end ? n - 1 : line_of(x.offset);
      bool line_insert = x.erase == 0 && x.offset == start_of(first) && (x.text.empty() || x.text.back() == '\n');
      size_t last = line_insert ? first : std::max(first + 1, line_of(x.offset + x.erase - (x.erase > 0 ? 1 : 0)) + 1);
      return std::make_pair(first, std::min(last, std::max(first, n)));
    };
    auto [first, last] = range_of(e);
    size_t j = i + 1;
    while (j < sorted.size()) {
      auto [f2, l2] = range_of(sorted[j]);
      if (f2 > last) break;
      last = std::max(last, l2);
      ++j;
    }
    // The new text of the span: the old bytes of [first, last) with the group's edits applied.
    size_t span_begin = start_of(first), span_end = start_of(last);
    std::string replaced;
    size_t pos = span_begin;
    for (size_t k = i; k < j; ++k) {
      replaced.append(text.substr(pos, sorted[k].offset - pos));
      replaced += sorted[k].text;
      pos = sorted[k].offset + sorted[k].erase;
    }
    replaced.append(text.substr(pos, span_end - pos));
    if (replaced != text.substr(span_begin, span_end - span_begin)) changes.push_back({first, last, SplitKeepingBreaks(replaced)});
    i = j;
  }
  if (changes.empty()) return {};
  std::string out = fmt::format("--- {}\n+++ {}\n", before_name, after_name);
  auto old_line = [&](size_t line) { return text.substr(starts[line], start_of(line + 1) - starts[line]); };
  long delta = 0;  // new line numbers = old line numbers + the growth of earlier changes
  for (size_t c = 0; c < changes.size();) {
    size_t d = c;  // changes within 2 * context lines of each other share a hunk
    while (d + 1 < changes.size() && changes[d + 1].first <= changes[d].last + 2 * context) ++d;
    size_t a_start = changes[c].first >= context ? changes[c].first - context : 0;
    size_t a_stop = std::min(n, changes[d].last + context);
    std::string body;
    size_t a_len = 0, b_len = 0, line = a_start;
    for (size_t k = c; k <= d; ++k) {
      for (; line < changes[k].first; ++line, ++a_len, ++b_len) body += DiffLine(' ', old_line(line));
      for (; line < changes[k].last; ++line, ++a_len) body += DiffLine('-', old_line(line));
      for (const auto& l : changes[k].lines) body += DiffLine('+', l), ++b_len;
    }
    for (; line < a_stop; ++line, ++a_len, ++b_len) body += DiffLine(' ', old_line(line));
    size_t b_start = static_cast<size_t>(static_cast<long>(a_start) + delta);
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_len ? a_start + 1 : a_start, a_len, b_len ? b_start + 1 : b_start, b_len);
    out += body;
    for (size_t k = c; k <= d; ++k) delta += static_cast<long>(changes[k].lines.size()) - static_cast<long>(changes[k].last - changes[k].first);
    c = d + 1;
  }
  return out;
}

}  // namespace aegis::render
