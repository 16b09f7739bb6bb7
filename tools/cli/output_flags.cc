#include "cli/output_flags.h"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/strings.h"

namespace aegis::cli {

void AddOutputFlags(CLI::App& sub, OutputFlags& flags, const std::vector<std::string>& formats, bool repeatable) {
  std::string list = fmt::format("{}", fmt::join(formats, ", "));
  auto* o = sub.add_option("-o,--output", flags.output,
                           fmt::format("Output format: {}{}", list, repeatable ? " (repeatable)" : ""));
  auto* file = sub.add_option("--output-file", flags.output_file,
                              repeatable ? "Write the matching -o format to FILE (repeatable, in order; - for stdout)"
                                         : "Write the report to FILE (- for stdout)");
  auto* old = sub.add_option("--format", flags.format, "Deprecated spelling of -o/--output FORMAT");
  for (auto* opt : {o, file, old}) {
    opt->allow_extra_args(false);
    if (!repeatable) opt->multi_option_policy(CLI::MultiOptionPolicy::Throw);
  }
}

Expected<std::vector<OutputChoice>> ResolveOutputs(const OutputFlags& flags, const std::vector<std::string>& formats,
                                                   const std::string& fallback, std::vector<std::string>& warnings) {
  auto is_format = [&](const std::string& v) { return std::find(formats.begin(), formats.end(), v) != formats.end(); };
  std::vector<std::string> chosen, files = flags.output_file;
  for (const std::string& v : flags.output) {
    if (is_format(v)) {
      chosen.push_back(v);
      continue;
    }
    if (v.empty() || v.find_first_of("/.") == std::string::npos) {
      return Error{ErrorKind::kUsage, {}, {},
                   fmt::format("-o {}: not an output format (one of {}); write to a file with --output-file FILE",
                               Printable(v), fmt::join(formats, ", "))};
    }
    warnings.push_back(fmt::format("-o {} names a file: that spelling is deprecated (kubectl's -o names a format); "
                                   "use --output-file {}",
                                   Printable(v), Printable(v)));
    files.push_back(v);
  }
  for (const std::string& v : flags.format) {
    if (!is_format(v)) {
      return Error{ErrorKind::kUsage, {}, {},
                   fmt::format("--format {}: not an output format (one of {})", Printable(v), fmt::join(formats, ", "))};
    }
    warnings.push_back(fmt::format("--format {} is deprecated: use -o {}", v, v));
    chosen.push_back(v);
  }
  if (chosen.empty()) chosen.push_back(fallback);
  if (files.size() > chosen.size()) {
    return Error{ErrorKind::kUsage, {}, {}, "more --output-file than -o flags (pair them: -o FORMAT --output-file FILE)"};
  }
  std::vector<OutputChoice> out;
  int to_stdout = 0;
  for (size_t i = 0; i < chosen.size(); ++i) {
    OutputChoice c{chosen[i], i < files.size() ? files[i] : "-"};
    to_stdout += c.file == "-";
    out.push_back(std::move(c));
  }
  if (to_stdout > 1) {
    return Error{ErrorKind::kUsage, {}, {}, "several formats would go to standard output: give each an --output-file FILE"};
  }
  return out;
}

}  // namespace aegis::cli
