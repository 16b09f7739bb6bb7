// `aegis` runs lint, render and policy itself, linking no network, archive or crypto library,
// so a pre-commit hook pays for reading YAML and not for loading libcurl, OpenSSL and their
// forty dependencies (docs/ARCHITECTURE.md, "Two executables"). Every other subcommand, and
// the top-level help, runs in `aegis-full` (the whole CLI), to which `aegis` hands its
// arguments unchanged.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"

namespace aegis::cli {

// Whether this executable's command table handles the command line itself: its first
// argument names one of `commands`, or is --version.
bool RunsHere(int argc, char** argv, const std::vector<Command>& commands);

// Where aegis-full is looked for: beside this executable (a build tree), then in
// RELATIVE_LIBEXEC from its directory (an installation: ../libexec/aegis).
std::vector<std::string> FullCliCandidates();

// Replaces this process with aegis-full and the same arguments. Returns only when no
// candidate can be executed, after printing which were tried: the usage exit code.
int ExecFullCli(char** argv);

}  // namespace aegis::cli
