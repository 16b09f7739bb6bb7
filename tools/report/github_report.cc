// GitHub Actions workflow commands: ::error file=…,line=…,col=…,title=…::message
#include <fmt/format.h>

#include "policy/rules.h"
#include "report/report.h"

namespace aegis {
namespace {

// Escaping as the Actions runner's command parser expects.
std::string Data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));  // the log renders ANSI
    else out += c;
  }
  return out;
}

std::string Property(std::string_view s) {
  std::string out;
  for (char c : Data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string Command(std::string_view level, const std::string& file, const Mark& m, std::string_view title,
                    std::string_view message) {
  std::string props;
  if (!file.empty()) props += fmt::format("file={}", Property(file));
  if (m.line > 0) props += fmt::format(",line={}", m.line);
  if (m.column > 0) props += fmt::format(",col={}", m.column);
  if (!title.empty()) props += fmt::format("{}title={}", props.empty() ? "" : ",", Property(title));
  return fmt::format("::{}{}{}::{}\n", level, props.empty() ? "" : " ", props, Data(message));
}

}  // namespace

void WriteGithub(ReportStream& out, const LintResult& r) {
  for (const Finding& f : r.findings) {
    std::string title = fmt::format("{} {}", f.rule_id, Rule(f.rule_id).name);
    std::string message = fmt::format("{}\nfix: {}", f.message, f.hint);
    out << Command(SeverityName(f), f.file, f.mark, title, message);
  }
  for (const Diagnostic& d : r.diagnostics) {
    std::string_view level = d.level == Diagnostic::Level::kNote ? "notice" : ToString(d.level);
    out << Command(level, d.where.file, d.where.mark, "aegis lint", d.where.message);
  }
}

}  // namespace aegis
