// SARIF 2.1.0 as GitHub code scanning accepts it: rules with help, results with
// line/column regions, input errors as tool execution notifications.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "policy/rules.h"
#include "report/report.h"

namespace aegis {
namespace {

using nlohmann::json;

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

json Location(const std::string& file, const Mark& m) {
  json region = {{"startLine", std::max<uint32_t>(m.line, 1)}};
  if (m.column > 0) region["startColumn"] = m.column;
  return {{"physicalLocation", {{"artifactLocation", {{"uri", PathUri(file)}}}, {"region", region}}}};
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

}  // namespace

std::string RenderSarif(const LintResult& r) {
  json rules = json::array();
  for (const RuleInfo& rule : RuleCatalog()) {
    rules.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"shortDescription", {{"text", rule.summary}}},
                     {"fullDescription", {{"text", rule.help}}},
                     {"help", {{"text", fmt::format("{}\nFix: {}.", rule.help, rule.hint)},
                               {"markdown", fmt::format("{}\n\n**Fix:** {}.", rule.help, rule.hint)}}},
                     {"defaultConfiguration", {{"level", "error"}}},
                     {"properties", {{"tags", {"security", "supply-chain", "kubernetes"}}}}});
  }
  json results = json::array();
  for (const Finding& f : r.findings) {
    const ObjectRecord& o = r.objects[f.object];
    size_t index = 0;
    while (index < RuleCatalog().size() && RuleCatalog()[index].id != f.rule_id) ++index;
    std::string identity = fmt::format("{}|{}|{}|{}|{}|{}", f.rule_id, o.kind, o.namespace_, o.name, f.component,
                                       r.constraints[f.constraint].name);
    results.push_back({{"ruleId", f.rule_id},
                       {"ruleIndex", index},
                       {"level", SeverityName(f)},
                       {"message", {{"text", f.message}}},
                       {"locations", json::array({Location(f.file, f.mark)})},
                       {"partialFingerprints", {{"aegisFinding/v1", Fingerprint(identity)}}},
                       {"properties",
                        {{"kind", o.kind},
                         {"namespace", o.namespace_},
                         {"name", o.name},
                         {"component", f.component},
                         {"constraint", r.constraints[f.constraint].name},
                         {"enforcementAction", ToString(f.action)}}}});
  }
  json notifications = json::array();
  for (const Diagnostic& d : r.diagnostics) {
    if (d.level == Diagnostic::Level::kNote) continue;
    json n = {{"level", ToString(d.level)}, {"message", {{"text", d.where.message}}}};
    if (!d.where.file.empty()) n["locations"] = json::array({Location(d.where.file, d.where.mark)});
    notifications.push_back(n);
  }
  json run = {{"tool",
               {{"driver",
                 {{"name", "aegis"},
                  {"fullName", "aegis lint (signed-model policy)"},
                  {"version", AEGIS_VERSION},
                  {"semanticVersion", AEGIS_VERSION},
                  {"rules", rules}}}}},
              {"invocations",
               json::array({{{"executionSuccessful", r.InputErrors() == 0},
                             {"toolExecutionNotifications", notifications}}})},
              {"columnKind", "unicodeCodePoints"},
              {"results", results}};
  json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({run})}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace aegis
