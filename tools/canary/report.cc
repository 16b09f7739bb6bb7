#include "canary/report.h"

#include "report/report.h"
#include "util/strings.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace aegis::canary {
namespace {

const char* Title(Role r) {
  switch (r) {
    case Role::kPositive: return "a pod with verify-and-fetch and the key starts verified";
    case Role::kViolating: return "a pod without the verifier or the key is reported by Gatekeeper";
    case Role::kTampered: return "on verification failure the initContainer exits non-zero and the pod never becomes Ready";
  }
  return "";
}

const char* VerdictName(const Criterion& c) {
  if (c.timed_out) return "TIMEOUT";
  return c.verdict == Verdict::kPass ? "PASS" : c.verdict == Verdict::kFail ? "FAIL" : "PENDING";
}


}  // namespace

std::string TextReport(const CanaryResult& r, const CanaryOptions& o) {
  // Everything below but the fixed words came from the cluster or the command line.
  std::string out = fmt::format("aegis canary: namespace {}{}\n", Printable(o.namespace_), o.apply ? " (applied canaries)" : "");
  if (r.error) out += fmt::format("ERROR: {}\n", Printable(r.error->Describe()));
  for (const auto& c : r.criteria) {
    out += fmt::format("{} criterion {} ({}): {} — {}\n", VerdictName(c), CriterionNumber(c.role), RoleLabel(c.role), Title(c.role), Printable(c.reason));
    for (const auto& e : c.evidence) out += "    " + Printable(e) + "\n";
  }
  if (!r.created.empty()) out += Printable(fmt::format("created: {}; deleted: {}", fmt::join(r.created, ", "), fmt::join(r.deleted, ", "))) + "\n";
  if (r.interrupted) out += "interrupted: canaries cleaned up\n";
  return out;
}

std::string JsonReport(const CanaryResult& r, const CanaryOptions& o, int exit_code) {
  nlohmann::json j = {{"namespace", o.namespace_}, {"apply", o.apply}, {"exitCode", exit_code}, {"interrupted", r.interrupted},
                      {"created", r.created}, {"deleted", r.deleted}, {"criteria", nlohmann::json::array()}};
  if (r.error) j["error"] = r.error->Describe();
  for (const auto& c : r.criteria) {
    j["criteria"].push_back({{"number", CriterionNumber(c.role)}, {"role", RoleLabel(c.role)}, {"title", Title(c.role)},
                             {"verdict", VerdictName(c)}, {"reason", c.reason}, {"evidence", c.evidence}});
  }
  return j.dump(2) + "\n";
}

std::string JunitReport(const CanaryResult& r, const CanaryOptions& o) {
  int failures = 0;
  for (const auto& c : r.criteria) failures += c.verdict != Verdict::kPass ? 1 : 0;
  int errors = r.error ? 1 : 0;
  std::string out = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"aegis canary\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n"
                                "  <testsuite name=\"canary {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                                r.criteria.size() + static_cast<size_t>(errors), failures, errors, XmlEscape(o.namespace_),
                                r.criteria.size() + static_cast<size_t>(errors), failures, errors);
  if (r.error) {
    out += fmt::format("    <testcase name=\"cluster access\"><error message=\"{}\"/></testcase>\n", XmlEscape(r.error->Describe()));
  }
  for (const auto& c : r.criteria) {
    out += fmt::format("    <testcase classname=\"canary.{}\" name=\"criterion {}: {}\">\n", RoleLabel(c.role), CriterionNumber(c.role), XmlEscape(Title(c.role)));
    std::string evidence;
    for (const auto& e : c.evidence) evidence += e + "\n";
    if (c.verdict != Verdict::kPass) out += fmt::format("      <failure message=\"{}\">{}</failure>\n", XmlEscape(c.reason), XmlEscape(evidence));
    else out += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(evidence));
    out += "    </testcase>\n";
  }
  return out + "  </testsuite>\n</testsuites>\n";
}

}  // namespace aegis::canary
