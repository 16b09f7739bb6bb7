#include "report/report.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/strings.h"

namespace aegis {

Expected<Format> ParseFormat(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  if (name == "sarif") return Format::kSarif;
  if (name == "junit") return Format::kJunit;
  if (name == "github") return Format::kGithub;
  return Error{ErrorKind::kUsage, {}, {},
               fmt::format("unknown format {} (text, json, sarif, junit or github)", Quote(name))};
}

void WriteReport(ReportStream& out, Format format, const LintResult& result, const ReportOptions& options) {
  switch (format) {
    case Format::kText: return WriteText(out, result, options);
    case Format::kJson: return WriteJson(out, result);
    case Format::kSarif: return WriteSarif(out, result);
    case Format::kJunit: return WriteJunit(out, result, options);
    case Format::kGithub: return WriteGithub(out, result);
  }
}

namespace {

template <typename Write>
std::string ToText(Write write) {
  std::string text;
  ReportStream out(StringSink(text));
  write(out);
  (void)out.Finish();  // a string sink does not fail
  return text;
}

}  // namespace

std::string RenderText(const LintResult& r, const ReportOptions& o) {
  return ToText([&](ReportStream& out) { WriteText(out, r, o); });
}
std::string RenderJson(const LintResult& r) {
  return ToText([&](ReportStream& out) { WriteJson(out, r); });
}
std::string RenderSarif(const LintResult& r) {
  return ToText([&](ReportStream& out) { WriteSarif(out, r); });
}
std::string RenderJunit(const LintResult& r, const ReportOptions& o) {
  return ToText([&](ReportStream& out) { WriteJunit(out, r, o); });
}
std::string RenderGithub(const LintResult& r) {
  return ToText([&](ReportStream& out) { WriteGithub(out, r); });
}

std::string_view ToString(ObjectStatus s) {
  switch (s) {
    case ObjectStatus::kChecked: return "checked";
    case ObjectStatus::kOutOfScope: return "out-of-scope";
    case ObjectStatus::kNotChecked: return "not-checked";
  }
  return "not-checked";
}

std::string_view ToString(Diagnostic::Level l) {
  switch (l) {
    case Diagnostic::Level::kError: return "error";
    case Diagnostic::Level::kWarning: return "warning";
    case Diagnostic::Level::kNote: return "note";
  }
  return "note";
}

std::string_view SeverityName(const Finding& f) { return f.severity == Severity::kError ? "error" : "warning"; }

size_t CheckedObjects(const LintResult& r) {
  return static_cast<size_t>(std::count_if(r.objects.begin(), r.objects.end(),
                                           [](const ObjectRecord& o) { return o.status == ObjectStatus::kChecked; }));
}

std::string XmlEscape(std::string_view s) {
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

}  // namespace aegis
