// The JSON report (schemaVersion 1). Documented in README.md, "JSON output"; stable.
#include <nlohmann/json.hpp>

#include "policy/rules.h"
#include "policy/match.h"
#include "report/report.h"

namespace aegis {

std::string RenderJson(const LintResult& r) {
  using nlohmann::json;
  json constraints = json::array();
  for (const Constraint& c : r.constraints) {
    constraints.push_back({{"name", c.name},
                           {"file", c.file},
                           {"enforcementAction", ToString(c.action)},
                           {"scope", DescribeScope(c.match)}});
  }
  json findings = json::array();
  for (const Finding& f : r.findings) {
    const ObjectRecord& o = r.objects[f.object];
    findings.push_back({{"file", f.file},
                        {"line", f.mark.line},
                        {"column", f.mark.column},
                        {"apiVersion", o.api_version},
                        {"kind", o.kind},
                        {"namespace", o.namespace_},
                        {"name", o.name},
                        {"component", f.component},
                        {"ruleId", f.rule_id},
                        {"ruleName", Rule(f.rule_id).name},
                        {"severity", SeverityName(f)},
                        {"enforcementAction", ToString(f.action)},
                        {"constraint", r.constraints[f.constraint].name},
                        {"message", f.message},
                        {"hint", f.hint}});
  }
  json objects = json::array();
  for (const ObjectRecord& o : r.objects) {
    objects.push_back({{"file", o.file},
                       {"line", o.mark.line},
                       {"column", o.mark.column},
                       {"apiVersion", o.api_version},
                       {"kind", o.kind},
                       {"namespace", o.namespace_},
                       {"name", o.name},
                       {"status", ToString(o.status)}});
  }
  json diagnostics = json::array();
  for (const Diagnostic& d : r.diagnostics) {
    diagnostics.push_back({{"level", ToString(d.level)},
                           {"file", d.where.file},
                           {"line", d.where.mark.line},
                           {"column", d.where.mark.column},
                           {"message", d.where.message}});
  }
  json doc = {{"schemaVersion", 1},
              {"tool", {{"name", "aegis"}, {"version", AEGIS_VERSION}}},
              {"constraints", constraints},
              {"findings", findings},
              {"objects", objects},
              {"diagnostics", diagnostics},
              {"summary",
               {{"files", r.files},
                {"objects", r.objects.size()},
                {"checked", CheckedObjects(r)},
                {"errors", r.Count(Severity::kError)},
                {"warnings", r.Count(Severity::kWarning)},
                {"inputErrors", r.InputErrors()}}}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace aegis
