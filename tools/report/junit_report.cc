// JUnit XML: one testcase per checked object (failing when it has findings), plus one
// erroring testcase per unreadable or invalid input.
#include <fmt/format.h>

#include "report/report.h"

namespace aegis {
namespace {


}  // namespace

std::string RenderJunit(const LintResult& r, const ReportOptions& o) {
  std::vector<std::vector<const Finding*>> by_object(r.objects.size());
  for (const Finding& f : r.findings) by_object[f.object].push_back(&f);

  std::string cases;
  size_t tests = 0, failures = 0, errors = 0;
  for (size_t i = 0; i < r.objects.size(); ++i) {
    const ObjectRecord& obj = r.objects[i];
    if (obj.status != ObjectStatus::kChecked) continue;
    ++tests;
    std::string failing, passing;
    for (const Finding* f : by_object[i]) {
      std::string line = fmt::format("{}:{}:{}: {}: {} [{}]\n", f->file, f->mark.line, f->mark.column, SeverityName(*f),
                                     f->message, f->rule_id);
      (f->severity == Severity::kError || o.fail_on_warn ? failing : passing) += line;
    }
    cases += fmt::format("    <testcase classname=\"{}\" name=\"{} {}/{}\" file=\"{}\" line=\"{}\">\n", XmlEscape(obj.file),
                         XmlEscape(obj.kind), XmlEscape(obj.namespace_), XmlEscape(obj.name), XmlEscape(obj.file), obj.mark.line);
    if (!failing.empty()) {
      ++failures;
      size_t first = failing.find('\n');
      cases += fmt::format("      <failure type=\"aegis.policy\" message=\"{}\">{}</failure>\n",
                           XmlEscape(failing.substr(0, first)), XmlEscape(failing));
    }
    if (!passing.empty()) cases += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(passing));
    cases += "    </testcase>\n";
  }
  for (const Diagnostic& d : r.diagnostics) {
    if (d.level != Diagnostic::Level::kError) continue;
    ++tests;
    ++errors;
    cases += fmt::format(
        "    <testcase classname=\"{}\" name=\"read input\" file=\"{}\" line=\"{}\">\n"
        "      <error type=\"aegis.input\" message=\"{}\">{}</error>\n    </testcase>\n",
        XmlEscape(d.where.file), XmlEscape(d.where.file), d.where.mark.line, XmlEscape(d.where.message), XmlEscape(d.where.Describe()));
  }
  std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\"", tests, failures, errors);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"aegis lint\" {0}>\n"
      "  <testsuite name=\"aegis lint\" {0} skipped=\"0\">\n{1}  </testsuite>\n"
      "</testsuites>\n",
      counts, cases);
}

}  // namespace aegis
