// verify-and-fetch's exit codes (docs/VERIFIER.md, "Exit codes"), shared by `aegis
// verify/sign/pack`. The mapping from error kinds is compiled into the programs only
// (exit_codes.cc), never into the verifier library: a library reports what went wrong, the
// program decides how to exit.
#pragma once

#include <system_error>

namespace aegis::verifier {

enum ExitCode : int {
  kExitPlaced = 0,
  kExitUsage = 2,
  kExitNotFound = 3,
  kExitNetwork = 4,
  kExitSignature = 5,
  kExitArchive = 6,
  kExitNoTrust = 7,
  kExitLocalIo = 8,
};

int ExitCodeFor(const std::error_code& kind);

}  // namespace aegis::verifier
