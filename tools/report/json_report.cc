// The JSON report (schemaVersion 1). Documented in README.md, "JSON output"; stable. Written as
// it goes (report/json_writer.h); keys in sorted order, as the report always had them.
#include "policy/match.h"
#include "policy/rules.h"
#include "report/json_writer.h"
#include "report/report.h"

namespace aegis {
namespace {

void WriteConstraint(JsonWriter& w, const Constraint& c) {
  w.Object()
      .Field("enforcementAction", ToString(c.action))
      .Field("file", c.file)
      .Field("name", c.name)
      .Field("scope", DescribeScope(c.match))
      .End();
}

void WriteFinding(JsonWriter& w, const LintResult& r, const Finding& f) {
  const ObjectRecord& o = r.objects[f.object];
  w.Object()
      .Field("apiVersion", o.api_version)
      .Field("column", uint64_t{f.mark.column})
      .Field("component", f.component)
      .Field("constraint", r.constraints[f.constraint].name)
      .Field("enforcementAction", ToString(f.action))
      .Field("file", f.file)
      .Field("hint", f.hint)
      .Field("kind", o.kind)
      .Field("line", uint64_t{f.mark.line})
      .Field("message", f.message)
      .Field("name", o.name)
      .Field("namespace", o.namespace_)
      .Field("ruleId", f.rule_id)
      .Field("ruleName", Rule(f.rule_id).name)
      .Field("severity", SeverityName(f))
      .End();
}

void WriteObject(JsonWriter& w, const ObjectRecord& o) {
  w.Object()
      .Field("apiVersion", o.api_version)
      .Field("column", uint64_t{o.mark.column})
      .Field("file", o.file)
      .Field("kind", o.kind)
      .Field("line", uint64_t{o.mark.line})
      .Field("name", o.name)
      .Field("namespace", o.namespace_)
      .Field("status", ToString(o.status))
      .End();
}

void WriteDiagnostic(JsonWriter& w, const Diagnostic& d) {
  w.Object()
      .Field("column", uint64_t{d.where.mark.column})
      .Field("file", d.where.file)
      .Field("level", ToString(d.level))
      .Field("line", uint64_t{d.where.mark.line})
      .Field("message", d.where.message)
      .End();
}

}  // namespace

void WriteJson(ReportStream& out, const LintResult& r) {
  JsonWriter w(out);
  w.Object().Key("constraints").Array();
  for (const Constraint& c : r.constraints) WriteConstraint(w, c);
  w.End().Key("diagnostics").Array();
  for (const Diagnostic& d : r.diagnostics) WriteDiagnostic(w, d);
  w.End().Key("findings").Array();
  for (const Finding& f : r.findings) WriteFinding(w, r, f);
  w.End().Key("objects").Array();
  for (const ObjectRecord& o : r.objects) WriteObject(w, o);
  w.End().Field("schemaVersion", uint64_t{1});
  w.Key("summary")
      .Object()
      .Field("checked", uint64_t{CheckedObjects(r)})
      .Field("errors", uint64_t{r.Count(Severity::kError)})
      .Field("files", uint64_t{r.files})
      .Field("inputErrors", uint64_t{r.InputErrors()})
      .Field("objects", uint64_t{r.objects.size()})
      .Field("warnings", uint64_t{r.Count(Severity::kWarning)})
      .End();
  w.Key("tool").Object().Field("name", "aegis").Field("version", AEGIS_VERSION).End();
  w.End();
  out << '\n';
}

}  // namespace aegis
