// Writes a LintResult in one of the output formats `aegis lint -o` offers.
#pragma once

#include <string>
#include <string_view>

#include "lint/lint_result.h"
#include "report/report_stream.h"
#include "util/expected.h"

namespace aegis {

enum class Format { kText, kJson, kSarif, kJunit, kGithub };

Expected<Format> ParseFormat(std::string_view name);

struct ReportOptions {
  bool color = false;         // ANSI colours (text only)
  bool quiet = false;         // text: findings and errors only, no notes or summary
  bool fail_on_warn = false;  // junit: warnings fail their testcase
};

// Writes the report to `out` as it goes (no document is built: memory stays that of the
// LintResult, whatever the format); `out.Finish()` is the caller's.
void WriteReport(ReportStream& out, Format format, const LintResult& result, const ReportOptions& options);

// One writer per format (report/<format>_report.cc).
void WriteText(ReportStream& out, const LintResult& result, const ReportOptions& options);
void WriteJson(ReportStream& out, const LintResult& result);
void WriteSarif(ReportStream& out, const LintResult& result);
void WriteJunit(ReportStream& out, const LintResult& result, const ReportOptions& options);
void WriteGithub(ReportStream& out, const LintResult& result);

// The same, as one string (tests, fuzzing, small reports).
std::string RenderText(const LintResult& result, const ReportOptions& options);
std::string RenderJson(const LintResult& result);
std::string RenderSarif(const LintResult& result);
std::string RenderJunit(const LintResult& result, const ReportOptions& options);
std::string RenderGithub(const LintResult& result);

// Shared by the renderers.
std::string_view ToString(ObjectStatus s);
std::string_view ToString(Diagnostic::Level l);
std::string_view SeverityName(const Finding& f);  // "error" or "warning"
size_t CheckedObjects(const LintResult& r);

// Text for XML attributes and content: entities escaped, forbidden control characters dropped.
std::string XmlEscape(std::string_view s);

}  // namespace aegis
