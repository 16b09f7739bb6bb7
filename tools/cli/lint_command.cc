// `aegis lint`: flags → LintOptions → Linter → reports.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "inputs/policy_files.h"
#include "cli/commands.h"
#include "cli/output_flags.h"
#include "cli/project.h"
#include "lint/linter.h"
#include "report/report.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace aegis::cli {
namespace {

struct LintFlags {
  std::vector<std::string> paths;
  std::string policy;
  std::string namespace_;  // "": the project file's, else default
  ConfigFlags config;
  std::vector<std::string> filenames;  // -f/--filename, as kubectl's
  OutputFlags output;
  std::string color = "auto";
  bool fail_on_warn = false;
  bool quiet = false;
  bool list_skipped = false;
  std::vector<std::string> namespace_labels;
  size_t jobs = 0;
  uint64_t max_input_mb = kDefaultMaxInputBytes >> 20;
};

void PrintError(const Error& e) { std::cerr << "aegis lint: error: " << Printable(e.Describe()) << "\n"; }

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr &&
         (term == nullptr || std::string_view(term) != "dumb");
}

const std::vector<std::string>& FormatNames() {
  static const std::vector<std::string> kNames = {"text", "json", "sarif", "junit", "github"};
  return kNames;
}

// -f is kubectl's --filename; the earlier `-f FORMAT` still works for one release.
void SplitFilenames(LintFlags& f, std::vector<std::string>& warnings) {
  for (const std::string& v : f.filenames) {
    std::error_code ec;
    bool format = std::find(FormatNames().begin(), FormatNames().end(), v) != FormatNames().end();
    if (format && !std::filesystem::exists(v, ec)) {
      warnings.push_back(fmt::format("-f {} names a format: that spelling is deprecated (-f names a file, as in "
                                     "kubectl); use -o {}",
                                     v, v));
      f.output.format.push_back(v);
    } else {
      f.paths.push_back(v);
    }
  }
}

// The report written as it is produced: to stdout, or to FILE (replaced only once complete).
Status WriteReportTo(const std::string& file, Format format, const LintResult& result, const ReportOptions& opts) {
  if (file == "-") {
    ReportStream out([](std::string_view piece) -> Status {
      if (std::fwrite(piece.data(), 1, piece.size(), stdout) != piece.size()) {
        return Error{ErrorKind::kIo, "<stdout>", {}, "cannot write the report"};
      }
      return Ok{};
    });
    WriteReport(out, format, result, opts);
    AEGIS_TRY(out.Finish());
    std::fflush(stdout);
    return Ok{};
  }
  auto output = OutputFile::Open(file);
  if (!output) return output.error();
  ReportStream out([&output](std::string_view piece) { return output->Write(piece); });
  WriteReport(out, format, result, opts);
  AEGIS_TRY(out.Finish());
  return output->Commit();
}

int RunLint(LintFlags f) {
  std::vector<std::string> warnings;
  SplitFilenames(f, warnings);
  auto outputs = ResolveOutputs(f.output, FormatNames(), "text", warnings);
  for (const auto& w : warnings) std::cerr << "aegis lint: warning: " << w << "\n";
  if (!outputs) {
    PrintError(outputs.error());
    return kExitUsage;
  }
  if (f.paths.empty()) {
    PrintError(Error{ErrorKind::kUsage, {}, {}, "give files or directories to lint (or - for standard input)"});
    return kExitUsage;
  }
  auto project = LoadProjectConfig(f.config);
  if (!project) {
    PrintError(project.error());
    return kExitUsage;
  }
  std::map<std::string, Labels> namespace_labels;
  if (*project) {  // flags win: the file fills in what they leave unsaid
    if (f.policy.empty()) f.policy = (*project)->policy;
    if (f.namespace_.empty()) f.namespace_ = (*project)->namespace_;
    namespace_labels = (*project)->namespace_labels;
  }
  if (f.namespace_.empty()) f.namespace_ = "default";
  auto loaded = f.policy.empty() ? BuiltinConstraints() : LoadConstraints(f.policy);
  if (!loaded) {
    PrintError(loaded.error());
    return kExitUsage;
  }
  std::set<std::string> from_flags;
  for (const std::string& spec : f.namespace_labels) {
    // NS=KEY=VALUE[,KEY=VALUE…]
    size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "aegis lint: error: --namespace-labels " << Printable(spec)
                << ": give NAMESPACE=KEY=VALUE[,KEY=VALUE…]\n";
      return kExitUsage;
    }
    Labels& labels = namespace_labels[spec.substr(0, eq)];
    // The flag replaces what the project file says of this namespace.
    if (from_flags.insert(spec.substr(0, eq)).second) labels.clear();
    for (std::string_view rest = std::string_view(spec).substr(eq + 1); !rest.empty();) {
      std::string_view pair = rest.substr(0, rest.find(','));
      rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
      size_t peq = pair.find('=');
      labels[std::string(pair.substr(0, peq))] = peq == std::string_view::npos ? "" : std::string(pair.substr(peq + 1));
    }
  }
  Linter linter(LintOptions{loaded->constraints, f.namespace_, f.list_skipped, f.jobs, std::move(namespace_labels)});
  for (auto& w : loaded->warnings) linter.AddDiagnostic({Diagnostic::Level::kWarning, std::move(w)});

  ExpandedInputs inputs = ExpandInputs(f.paths);
  for (auto& e : inputs.errors) linter.AddInputError(std::move(e));
  for (const auto& path : inputs.files) {
    auto text = ReadInput(path, f.max_input_mb << 20);
    if (!text) {
      linter.AddInputError(text.error());
      continue;
    }
    linter.LintText(path == "-" ? "<stdin>" : path, *text);
  }
  LintResult result = linter.Finish();

  int code = kExitClean;
  for (const OutputChoice& o : *outputs) {
    bool to_stdout = o.file == "-";
    Format format = *ParseFormat(o.format);
    ReportOptions opts{format == Format::kText && to_stdout && UseColor(f.color), f.quiet, f.fail_on_warn};
    if (auto st = WriteReportTo(o.file, format, result, opts); !st) {
      PrintError(st.error());
      code = kExitUsage;
    }
  }
  if (code != kExitClean || result.InputErrors() > 0) return kExitUsage;
  if (result.Count(Severity::kError) > 0) return kExitFindings;
  bool warned = std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                            [](const Diagnostic& d) { return d.level == Diagnostic::Level::kWarning; });
  if (f.fail_on_warn && (result.Count(Severity::kWarning) > 0 || warned)) return kExitFindings;
  return kExitClean;
}

}  // namespace

void SetupLint(CLI::App& sub, int& exit_code) {
  auto flags = std::make_shared<LintFlags>();
  sub.add_option("paths", flags->paths, "Files, directories (recursive: .yaml, .yml, .json) or - for stdin");
  sub.add_option("-f,--filename", flags->filenames, "A file or directory to lint, as kubectl's -f (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("-p,--policy", flags->policy,
                 "AegisSignedPod Constraint YAML (file or directory); default: the project file's, else the built-in policy");
  sub.add_option("-n,--namespace", flags->namespace_,
                 "Namespace for objects that have none (default: the project file's, else default)");
  AddOutputFlags(sub, flags->output, FormatNames(), true);
  AddConfigFlags(sub, flags->config);
  sub.add_option("--color", flags->color, "Colour text output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  sub.add_flag("--fail-on-warn", flags->fail_on_warn, "Exit 1 on warnings too: findings of warn/dryrun constraints, and findings left unreported because a namespace's labels are unknown");
  sub.add_flag("-q,--quiet", flags->quiet, "Text: only findings and errors, no notes or summary");
  sub.add_flag("--list-skipped", flags->list_skipped, "Add a note for each object of a kind the policy does not check");
  sub.add_option("--namespace-labels", flags->namespace_labels,
                 "Labels of a namespace whose Namespace manifest is not in the input, for namespaceSelectors: "
                 "NS=KEY=VALUE[,KEY=VALUE] (repeatable), e.g. models=aegis.dev/model-serving=true; NS * is "
                 "every namespace not otherwise known. Unknown namespaces have no labels.")
      ->allow_extra_args(false);
  sub.add_option("-j,--jobs", flags->jobs, "Threads for parsing large inputs (default: one per core)");
  sub.add_option("--max-input-mb", flags->max_input_mb, "Refuse an input (file or stdin) larger than this many MiB")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 20))
      ->capture_default_str();
  sub.footer(
      "Exit codes: 0 clean; 1 deny findings (or any finding with --fail-on-warn);\n"
      "2 usage error, unreadable or invalid input.\n"
      "The policy: docs/POLICY.md (installed in /usr/share/doc/aegis/).");
  sub.callback([flags, &exit_code] { exit_code = RunLint(*flags); });
}

}  // namespace aegis::cli
