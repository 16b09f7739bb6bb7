// JUnit XML: one testcase per checked object (failing when it has findings), plus one
// erroring testcase per unreadable or invalid input.
#include <algorithm>

#include <fmt/format.h>

#include "report/report.h"

namespace aegis {
namespace {

// One checked object's lines: those that fail it, those only shown.
struct ObjectLines {
  std::string failing, passing;
};

ObjectLines LinesOf(const std::vector<const Finding*>& findings, const ReportOptions& o) {
  ObjectLines lines;
  for (const Finding* f : findings) {
    std::string line = fmt::format("{}:{}:{}: {}: {} [{}]\n", f->file, f->mark.line, f->mark.column, SeverityName(*f),
                                   f->message, f->rule_id);
    (f->severity == Severity::kError || o.fail_on_warn ? lines.failing : lines.passing) += line;
  }
  return lines;
}

void WriteCase(ReportStream& out, const ObjectRecord& obj, const ObjectLines& lines) {
  out.Format("    <testcase classname=\"{}\" name=\"{} {}/{}\" file=\"{}\" line=\"{}\">\n", XmlEscape(obj.file),
             XmlEscape(obj.kind), XmlEscape(obj.namespace_), XmlEscape(obj.name), XmlEscape(obj.file), obj.mark.line);
  if (!lines.failing.empty()) {
    size_t first = lines.failing.find('\n');
    out.Format("      <failure type=\"aegis.policy\" message=\"{}\">{}</failure>\n",
               XmlEscape(lines.failing.substr(0, first)), XmlEscape(lines.failing));
  }
  if (!lines.passing.empty()) out.Format("      <system-out>{}</system-out>\n", XmlEscape(lines.passing));
  out << "    </testcase>\n";
}

}  // namespace

// The counts come first in the XML: a first pass counts, the second writes each testcase.
void WriteJunit(ReportStream& out, const LintResult& r, const ReportOptions& o) {
  std::vector<std::vector<const Finding*>> by_object(r.objects.size());
  for (const Finding& f : r.findings) by_object[f.object].push_back(&f);
  auto fails = [&](size_t i) {
    return std::any_of(by_object[i].begin(), by_object[i].end(),
                       [&](const Finding* f) { return f->severity == Severity::kError || o.fail_on_warn; });
  };
  size_t tests = 0, failures = 0, errors = 0;
  for (size_t i = 0; i < r.objects.size(); ++i) {
    if (r.objects[i].status != ObjectStatus::kChecked) continue;
    ++tests;
    if (fails(i)) ++failures;
  }
  for (const Diagnostic& d : r.diagnostics) {
    if (d.level == Diagnostic::Level::kError) ++errors;
  }
  tests += errors;
  std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\"", tests, failures, errors);
  out.Format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"aegis lint\" {0}>\n"
      "  <testsuite name=\"aegis lint\" {0} skipped=\"0\">\n",
      counts);
  for (size_t i = 0; i < r.objects.size(); ++i) {
    if (r.objects[i].status == ObjectStatus::kChecked) WriteCase(out, r.objects[i], LinesOf(by_object[i], o));
  }
  for (const Diagnostic& d : r.diagnostics) {
    if (d.level != Diagnostic::Level::kError) continue;
    out.Format(
        "    <testcase classname=\"{}\" name=\"read input\" file=\"{}\" line=\"{}\">\n"
        "      <error type=\"aegis.input\" message=\"{}\">{}</error>\n    </testcase>\n",
        XmlEscape(d.where.file), XmlEscape(d.where.file), d.where.mark.line, XmlEscape(d.where.message),
        XmlEscape(d.where.Describe()));
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace aegis
