// The order of work of verify-and-fetch (docs/VERIFIER.md): signature first, then the
// artifact streamed to a file while hashed, verification before any archive parsing
// (formats A, B), extraction to staging, tree verification (format D), placement.
#pragma once

#include <string>

#include "util/expected.h"
#include "verifier/log.h"
#include "verifier/options.h"
#include "verifier/s3.h"

namespace aegis::verifier {

// Everything a run needs from outside: the environment and where to log.
struct RunContext {
  Env env;
  Logger* log = nullptr;
};

// Verifies and places the model, or leaves <dest-dir> without model content.
Status VerifyAndFetch(const Options& options, const RunContext& context);

// The reason for the termination log: at most 4096 bytes, cut at a UTF-8 boundary.
std::string TerminationMessage(const Error& error);

// Writes the termination log; failure to write it is only logged.
void WriteTerminationLog(const std::string& path, const std::string& message, Logger& log);

}  // namespace aegis::verifier
