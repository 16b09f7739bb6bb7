// Renders a LintResult in one of the output formats `aegis lint --format` offers.
#pragma once

#include <string>
#include <string_view>

#include "lint/lint_result.h"
#include "util/expected.h"

namespace aegis {

enum class Format { kText, kJson, kSarif, kJunit, kGithub };

Expected<Format> ParseFormat(std::string_view name);

struct ReportOptions {
  bool color = false;         // ANSI colours (text only)
  bool quiet = false;         // text: findings and errors only, no notes or summary
  bool fail_on_warn = false;  // junit: warnings fail their testcase
};

std::string RenderReport(Format format, const LintResult& result, const ReportOptions& options);

// One renderer per format (report/<format>_report.cc).
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
