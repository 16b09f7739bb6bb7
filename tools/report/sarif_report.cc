// SARIF 2.1.0 as GitHub code scanning accepts it: rules with help, results with
// line/column regions, input errors as tool execution notifications. Written as it goes
// (report/json_writer.h); keys in sorted order, as the report always had them.
#include <fmt/format.h>

#include "policy/rules.h"
#include "report/json_writer.h"
#include "report/report.h"

namespace aegis {
namespace {

// A relative URI reference for a path: "./" dropped, reserved characters escaped.
std::string PathUri(std::string_view path) {
  if (path.starts_with("./")) path.remove_prefix(2);
  std::string out;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    bool keep = std::isalnum(u) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || u >= 0x80;
    out += keep ? std::string(1, c) : fmt::format("%{:02X}", u);
  }
  return out;
}

void WriteLocation(JsonWriter& w, const std::string& file, const Mark& m) {
  w.Object().Key("physicalLocation").Object();
  w.Key("artifactLocation").Object().Field("uri", PathUri(file)).End();
  w.Key("region").Object();
  if (m.column > 0) w.Field("startColumn", uint64_t{m.column});
  w.Field("startLine", uint64_t{std::max<uint32_t>(m.line, 1)}).End();
  w.End().End();
}

// FNV-1a: a stable fingerprint of what a finding is about (not where it is).
std::string Fingerprint(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

void WriteRule(JsonWriter& w, const RuleInfo& rule) {
  w.Object();
  w.Key("defaultConfiguration").Object().Field("level", "error").End();
  w.Key("fullDescription").Object().Field("text", rule.help).End();
  w.Key("help")
      .Object()
      .Field("markdown", fmt::format("{}\n\n**Fix:** {}.", rule.help, rule.hint))
      .Field("text", fmt::format("{}\nFix: {}.", rule.help, rule.hint))
      .End();
  w.Field("id", rule.id).Field("name", rule.name);
  w.Key("properties")
      .Object()
      .Key("tags")
      .Array()
      .String("security")
      .String("supply-chain")
      .String("kubernetes")
      .End()
      .End();
  w.Key("shortDescription").Object().Field("text", rule.summary).End();
  w.End();
}

void WriteTool(JsonWriter& w) {
  w.Key("tool").Object().Key("driver").Object();
  w.Field("fullName", "aegis lint (signed-model policy)").Field("name", "aegis");
  w.Key("rules").Array();
  for (const RuleInfo& rule : RuleCatalog()) WriteRule(w, rule);
  w.End().Field("semanticVersion", AEGIS_VERSION).Field("version", AEGIS_VERSION);
  w.End().End();
}

void WriteInvocation(JsonWriter& w, const LintResult& r) {
  w.Key("invocations").Array().Object();
  w.Field("executionSuccessful", r.InputErrors() == 0);
  w.Key("toolExecutionNotifications").Array();
  for (const Diagnostic& d : r.diagnostics) {
    if (d.level == Diagnostic::Level::kNote) continue;
    w.Object().Field("level", ToString(d.level));
    if (!d.where.file.empty()) {
      w.Key("locations").Array();
      WriteLocation(w, d.where.file, d.where.mark);
      w.End();
    }
    w.Key("message").Object().Field("text", d.where.message).End();
    w.End();
  }
  w.End().End().End();
}

void WriteResult(JsonWriter& w, const LintResult& r, const Finding& f) {
  const ObjectRecord& o = r.objects[f.object];
  size_t index = 0;
  while (index < RuleCatalog().size() && RuleCatalog()[index].id != f.rule_id) ++index;
  const std::string& constraint = r.constraints[f.constraint].name;
  std::string identity =
      fmt::format("{}|{}|{}|{}|{}|{}", f.rule_id, o.kind, o.namespace_, o.name, f.component, constraint);
  w.Object().Field("level", SeverityName(f));
  w.Key("locations").Array();
  WriteLocation(w, f.file, f.mark);
  w.End();
  w.Key("message").Object().Field("text", f.message).End();
  w.Key("partialFingerprints").Object().Field("aegisFinding/v1", Fingerprint(identity)).End();
  w.Key("properties")
      .Object()
      .Field("component", f.component)
      .Field("constraint", constraint)
      .Field("enforcementAction", ToString(f.action))
      .Field("kind", o.kind)
      .Field("name", o.name)
      .Field("namespace", o.namespace_)
      .End();
  w.Field("ruleId", f.rule_id).Field("ruleIndex", uint64_t{index});
  w.End();
}

}  // namespace

void WriteSarif(ReportStream& out, const LintResult& r) {
  JsonWriter w(out);
  w.Object().Field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  w.Key("runs").Array().Object();
  w.Field("columnKind", "unicodeCodePoints");
  WriteInvocation(w, r);
  w.Key("results").Array();
  for (const Finding& f : r.findings) WriteResult(w, r, f);
  w.End();
  WriteTool(w);
  w.End().End();
  w.Field("version", "2.1.0").End();
  out << '\n';
}

}  // namespace aegis
