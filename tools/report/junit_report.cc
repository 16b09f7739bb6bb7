// JUnit XML: one testcase per checked object (failing when it has findings), plus one
// erroring testcase per unreadable or invalid input.
#include <fmt/format.h>

#include "report/report.h"

namespace aegis {
namespace {

std::string Xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

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
    cases += fmt::format("    <testcase classname=\"{}\" name=\"{} {}/{}\" file=\"{}\" line=\"{}\">\n", Xml(obj.file),
                         Xml(obj.kind), Xml(obj.namespace_), Xml(obj.name), Xml(obj.file), obj.mark.line);
    if (!failing.empty()) {
      ++failures;
      size_t first = failing.find('\n');
      cases += fmt::format("      <failure type=\"aegis.policy\" message=\"{}\">{}</failure>\n",
                           Xml(failing.substr(0, first)), Xml(failing));
    }
    if (!passing.empty()) cases += fmt::format("      <system-out>{}</system-out>\n", Xml(passing));
    cases += "    </testcase>\n";
  }
  for (const Diagnostic& d : r.diagnostics) {
    if (d.level != Diagnostic::Level::kError) continue;
    ++tests;
    ++errors;
    cases += fmt::format(
        "    <testcase classname=\"{}\" name=\"read input\" file=\"{}\" line=\"{}\">\n"
        "      <error type=\"aegis.input\" message=\"{}\">{}</error>\n    </testcase>\n",
        Xml(d.where.file), Xml(d.where.file), d.where.mark.line, Xml(d.where.message), Xml(d.where.Describe()));
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
