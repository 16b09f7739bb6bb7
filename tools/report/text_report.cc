// Compiler-style text: `file:line:col: error: message [AEGIS001]`, a fix hint, a summary.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "policy/match.h"
#include "policy/rules.h"
#include "report/report.h"
#include "policy/policy_error.h"
#include "util/strings.h"

namespace aegis {
namespace {

struct Palette {
  bool on;
  std::string Paint(std::string_view code, std::string_view text) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
  std::string Level(std::string_view level) const {
    if (level == "error") return Paint("1;31", "error");
    if (level == "warning") return Paint("1;35", "warning");
    return Paint("1;36", level);
  }
};

std::string Plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// The closing line: counts, what was outside the scope, and then what the policy selects.
void WriteSummary(ReportStream& out, const LintResult& r) {
  size_t errors = r.Count(Severity::kError), warnings = r.Count(Severity::kWarning);
  std::string head = errors + warnings == 0
                         ? std::string("no findings")
                         : fmt::format("{}, {}", Plural(errors, "error"), Plural(warnings, "warning"));
  out.Format("aegis lint: {} in {} ({} in {})", head, Plural(CheckedObjects(r), "checked object"),
             Plural(r.objects.size(), "object"), Plural(r.files, "file"));
  auto outside = static_cast<size_t>(std::count_if(
      r.objects.begin(), r.objects.end(), [](const ObjectRecord& x) { return x.status == ObjectStatus::kOutOfScope; }));
  if (outside > 0) out.Format("; {} outside the policy's scope", outside);
  if (size_t bad = r.InputErrors(); bad > 0) out.Format("; {}", Plural(bad, "input error"));
  out << '\n';
  // Objects were left out: say what the policy does select, so nobody mistakes that for a pass.
  if (outside > 0) {
    for (const Constraint& c : r.constraints) {
      out.Format("  scope of {}: {}\n", Printable(c.name), Printable(DescribeScope(c.match)));
    }
  }
}

}  // namespace

void WriteText(ReportStream& out, const LintResult& r, const ReportOptions& o) {
  Palette p{o.color};
  // Compiler order: files as they were read (anything else, e.g. the policy, first), then
  // by position; findings before notes at the same position. Entries name what they print,
  // which is formatted as it is written.
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < r.inputs.size(); ++i) rank.emplace(r.inputs[i], i + 1);
  struct Entry {
    size_t file;
    Mark mark;
    const Finding* finding;
    const Diagnostic* diagnostic;
  };
  std::vector<Entry> entries;
  auto file_rank = [&](const std::string& f) {
    auto it = rank.find(f);
    return it == rank.end() ? size_t{0} : it->second;
  };
  for (const Finding& f : r.findings) entries.push_back({file_rank(f.file), f.mark, &f, nullptr});
  for (const Diagnostic& d : r.diagnostics) {
    if (o.quiet && d.level == Diagnostic::Level::kNote) continue;
    entries.push_back({file_rank(d.where.file), d.where.mark, nullptr, &d});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.mark.line != b.mark.line) return a.mark.line < b.mark.line;
    return a.mark.column < b.mark.column;
  });
  for (const Entry& e : entries) {
    if (const Finding* f = e.finding) {
      std::string_view audit = f->action == EnforcementAction::kDryrun ? "[audit] " : "";
      std::string where = Error{PolicyError::kInvalid, f->file, f->mark, {}}.Location();
      out.Format("{}: {}: {}{} [{}]\n    fix: {}\n", p.Paint("1", Printable(where)), p.Level(SeverityName(*f)), audit,
                 Printable(f->message), f->rule_id, Printable(f->hint));
    } else {
      const Diagnostic& d = *e.diagnostic;
      out.Format("{}: {}: {}\n", p.Paint("1", Printable(d.where.Location())), p.Level(ToString(d.level)),
                 Printable(d.where.message));
    }
  }
  if (!o.quiet) WriteSummary(out, r);
}

}  // namespace aegis
