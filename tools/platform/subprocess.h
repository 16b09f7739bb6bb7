// Runs a helper program (a credential plugin) and captures what it prints, without letting it
// hang the caller: its own process group, stdin from /dev/null, stderr passed through, a
// deadline, a cap on its output, and a stop flag (Ctrl-C). On any of those the whole group
// is killed and reaped, so no grandchild is left behind holding the pipe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "util/expected.h"
#include "platform/net_error.h"

namespace aegis::platform {

struct SubprocessSpec {
  std::string command;  // looked up in PATH unless it contains a '/'
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  size_t max_output = 1u << 20;
  const std::atomic<bool>* stop = nullptr;  // set (by a signal handler): kill and return
};

struct SubprocessResult {
  int exit_code = -1;   // -1 when it did not exit normally
  int signal = 0;       // the signal that ended it, if one did
  std::string output;   // its standard output (at most max_output bytes)
};

// Errors: kUsage when the program cannot be started (not found, not executable: the message
// says which), NetError::kTimeout when the deadline passed, kLimit when it printed more than
// max_output, kIo for pipe/fork failures, ErrorKind::kInterrupted when `stop` was set.
Expected<SubprocessResult> RunCaptured(const SubprocessSpec& spec);

}  // namespace aegis::platform
