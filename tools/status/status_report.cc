#include "status/status_report.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "util/json_access.h"

namespace aegis::status {
namespace {
using nlohmann::json;

// sha256:4f1c9a0e12b3 — enough to tell two apart in a table; JSON has them whole.
std::string Short(const std::string& digest) {
  constexpr size_t kKeep = 7 + 12;
  return digest.rfind("sha256:", 0) == 0 && digest.size() > kKeep ? digest.substr(0, kKeep) : digest;
}

std::string ShortSigner(const json& signer) {
  std::string text = SignerText(signer);
  std::string fingerprint = JsonStringOr(signer, {"keyFingerprint"});
  if (JsonStringOr(signer, {"identity"}).empty() && !fingerprint.empty()) return "key " + Short(fingerprint);
  return text;
}

// At most `n` characters (UTF-8 aware), "..." marking a cut.
std::string Cut(const std::string& s, size_t n) {
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars > n) break;
  }
  return i >= s.size() ? s : s.substr(0, i) + "...";
}

size_t Width(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string Or(const std::string& s) { return s.empty() ? "<none>" : s; }

json ToJson(const ServedModel& m) {
  json j = {{"namespace", m.namespace_}, {"pod", m.pod},
            {"workload", m.workload},    {"component", m.component},
            {"model", m.model},          {"state", StateName(m.state)},
            {"ready", m.ready},          {"constraints", m.constraints},
            {"verifier", m.verifier}};
  if (m.state == State::kVerified) {
    j["digest"] = m.digest;
    j["signer"] = m.signer;
    j["verifiedAt"] = m.verified_at;
  }
  if (m.state == State::kFailed) {
    j["exitCode"] = m.exit_code;
    j["reason"] = m.reason;
  }
  return j;
}

// A label value in the text format: backslash, double quote and line feed escaped.
std::string LabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string MetricLabels(const ServedModel& m) {
  return fmt::format(
      R"(namespace="{}",pod="{}",workload="{}",component="{}",model="{}",digest="{}",signer="{}",state="{}")",
      LabelValue(m.namespace_), LabelValue(m.pod), LabelValue(m.workload), LabelValue(m.component), LabelValue(m.model),
      LabelValue(m.digest), LabelValue(SignerText(m.signer)), StateName(m.state));
}

// RFC 3339 UTC (the record's verifiedAt, "2026-12-07T21:00:00Z") as Unix seconds; -1 when not one.
long long UnixSeconds(const std::string& rfc3339) {
  std::tm tm{};
  char z = 0;
  if (std::sscanf(rfc3339.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &z) != 7 ||
      z != 'Z') {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(timegm(&tm));
}

}  // namespace

std::string TableText(const std::vector<ServedModel>& models, bool all_namespaces, bool header) {
  std::vector<std::vector<std::string>> rows;
  if (header)
    rows.push_back(
        {"NAMESPACE", "POD", "WORKLOAD", "COMPONENT", "STATE", "MODEL", "DIGEST", "SIGNER", "VERIFIED AT", "REASON"});
  for (const ServedModel& m : models) {
    std::string state = m.state == State::kFailed ? fmt::format("Failed({})", m.exit_code) : StateName(m.state);
    rows.push_back({m.namespace_, m.pod, m.workload, Or(m.component), state, Or(m.model), Or(Short(m.digest)),
                    Or(ShortSigner(m.signer)), Or(m.verified_at), m.reason.empty() ? "<none>" : Cut(m.reason, 100)});
  }
  size_t first = all_namespaces ? 0 : 1;
  std::vector<size_t> width(rows.empty() ? 0 : rows.front().size(), 0);
  for (const auto& r : rows) {
    for (size_t i = first; i < r.size(); ++i) width[i] = std::max(width[i], Width(r[i]));
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = first; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - Width(r[i]) + 3, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string JsonList(const std::vector<ServedModel>& models, const std::vector<std::string>& warnings) {
  json items = json::array();
  for (const ServedModel& m : models) items.push_back(ToJson(m));
  json list = {{"apiVersion", "aegis.dev/v1"}, {"kind", "ModelStatusList"}, {"items", std::move(items)}};
  if (!warnings.empty()) list["warnings"] = warnings;
  return JsonDump(list, 2) + "\n";
}

std::string JsonItem(const ServedModel& model) { return JsonDump(ToJson(model)); }

std::string PrometheusText(const std::vector<ServedModel>& models) {
  std::string out =
      "# HELP aegis_model_verified 1 when the pod's verifier placed a verified model, 0 when it failed, is still "
      "verifying or the pod has no verifier.\n"
      "# TYPE aegis_model_verified gauge\n";
  for (const ServedModel& m : models)
    out += fmt::format("aegis_model_verified{{{}}} {}\n", MetricLabels(m), m.state == State::kVerified ? 1 : 0);
  out +=
      "# HELP aegis_model_verified_timestamp_seconds When the verifier placed the model (its success record's "
      "verifiedAt), as Unix time.\n"
      "# TYPE aegis_model_verified_timestamp_seconds gauge\n";
  for (const ServedModel& m : models) {
    long long t = m.state == State::kVerified ? UnixSeconds(m.verified_at) : -1;
    if (t >= 0) out += fmt::format("aegis_model_verified_timestamp_seconds{{{}}} {}\n", MetricLabels(m), t);
  }
  out +=
      "# HELP aegis_model_verifier_exit_code The exit code of a verifier that failed (docs/VERIFIER.md).\n"
      "# TYPE aegis_model_verifier_exit_code gauge\n";
  for (const ServedModel& m : models) {
    if (m.state == State::kFailed)
      out += fmt::format("aegis_model_verifier_exit_code{{{}}} {}\n", MetricLabels(m), m.exit_code);
  }
  return out;
}

}  // namespace aegis::status
