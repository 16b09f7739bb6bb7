// Output flags as kubectl, gator and conftest spell them: `-o/--output FORMAT` picks the
// format, `--output-file FILE` where it goes. The spelling of earlier releases (`-f/--format
// FORMAT`, `-o FILE`) still works for one release, with a deprecation warning.
#pragma once

#include <string>
#include <vector>

#include "util/expected.h"

namespace CLI {
class App;
}

namespace aegis::cli {

struct OutputFlags {
  std::vector<std::string> output;       // -o/--output: a format (or, deprecated, a file)
  std::vector<std::string> output_file;  // --output-file
  std::vector<std::string> format;       // --format (deprecated); lint's -f values that name a format
};

// One report: its format, and the file it goes to ("-": standard output).
struct OutputChoice {
  std::string format;
  std::string file = "-";
};

// Declares -o/--output, --output-file and the deprecated --format on `sub`. `repeatable`:
// several reports in one run (lint), else one.
void AddOutputFlags(CLI::App& sub, OutputFlags& flags, const std::vector<std::string>& formats, bool repeatable);

// The reports asked for, in order: the i-th format goes to the i-th file, later ones to
// standard output (at most one). No format: `fallback`. Deprecated spellings add a line to
// `warnings`.
Expected<std::vector<OutputChoice>> ResolveOutputs(const OutputFlags& flags, const std::vector<std::string>& formats,
                                                   const std::string& fallback, std::vector<std::string>& warnings);

}  // namespace aegis::cli
