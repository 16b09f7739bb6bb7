// A background process for tests (a server): started with its stdout piped, read line by
// line (blocking, no sleeps), terminated with SIGTERM and reaped when the object goes away.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace aegis::testing {

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& dir = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // The next line of its stdout, or nullopt at EOF (it exited) or after `timeout_ms`.
  std::optional<std::string> ReadLine(int timeout_ms);

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

}  // namespace aegis::testing
