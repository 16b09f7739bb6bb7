#include "platform/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "platform/fd.h"
#include "platform/net_error.h"

namespace aegis::platform {
namespace {

// Kills the whole group and reaps the child; returns its wait status.
int KillAndReap(pid_t pid) {
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

Expected<SubprocessResult> RunCaptured(const SubprocessSpec& spec) {
  int out[2], exec_status[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Error{ErrorKind::kIo, spec.command, {}, "cannot create a pipe"};
  Fd out_read(out[0]), out_write(out[1]);
  // Written by the child only when exec fails (the errno), closed by a successful exec.
  if (::pipe2(exec_status, O_CLOEXEC) != 0) return Error{ErrorKind::kIo, spec.command, {}, "cannot create a pipe"};
  Fd status_read(exec_status[0]), status_write(exec_status[1]);

  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& kv : spec.env) replaced = replaced || (entry.size() > kv.first.size() && entry.starts_with(kv.first) && entry[kv.first.size()] == '=');
    if (!replaced) env_strings.emplace_back(entry);
  }
  for (const auto& [k, v] : spec.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(spec.command.c_str()));
  for (const auto& a : spec.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) return Error{ErrorKind::kIo, spec.command, {}, fmt::format("cannot start: {}", std::strerror(errno))};
  if (pid == 0) {
    ::setpgid(0, 0);  // its own group: a timeout kills its children too
    ::dup2(out_write.get(), STDOUT_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::execvpe(argv[0], argv.data(), envp.data());
    int err = errno;
    (void)!::write(status_write.get(), &err, sizeof err);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent: no race with an early kill
  out_write = Fd();
  status_write = Fd();

  int exec_errno = 0;
  if (::read(status_read.get(), &exec_errno, sizeof exec_errno) == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::string why = exec_errno == ENOENT ? "not found (is it installed and on PATH?)" : std::strerror(exec_errno);
    return Error{ErrorKind::kUsage, spec.command, {}, fmt::format("cannot run the program: {}", why)};
  }

  SubprocessResult result;
  auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  char buf[4096];
  for (;;) {
    if (spec.stop != nullptr && spec.stop->load()) {
      KillAndReap(pid);
      return Error{ErrorKind::kInterrupted, spec.command, {}, "interrupted"};
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      KillAndReap(pid);
      return Error{NetError::kTimeout, spec.command, {},
                   fmt::format("did not finish within {} s; stopped it", std::chrono::duration_cast<std::chrono::seconds>(spec.timeout).count())};
    }
    pollfd pfd{out_read.get(), POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 200)));  // wakes to look at `stop`
    if (ready < 0 && errno != EINTR) {
      KillAndReap(pid);
      return Error{ErrorKind::kIo, spec.command, {}, "cannot read its output"};
    }
    if (ready <= 0) continue;
    ssize_t n = ::read(out_read.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of output: it closed stdout (normally by exiting)
    if (result.output.size() + static_cast<size_t>(n) > spec.max_output) {
      KillAndReap(pid);
      return Error{ErrorKind::kLimit, spec.command, {}, fmt::format("printed more than {} bytes; stopped it", spec.max_output)};
    }
    result.output.append(buf, static_cast<size_t>(n));
  }
  // Output closed; the program may still linger: a bounded wait for it to exit, observed
  // without reaping it (WNOWAIT), so its group id stays reserved until the group is killed.
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) break;
    if (spec.stop != nullptr && spec.stop->load()) {
      KillAndReap(pid);
      return Error{ErrorKind::kInterrupted, spec.command, {}, "interrupted"};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      KillAndReap(pid);
      return Error{NetError::kTimeout, spec.command, {},
                   fmt::format("closed its output but did not exit within {} s; stopped it",
                               std::chrono::duration_cast<std::chrono::seconds>(spec.timeout).count())};
    }
    ::poll(nullptr, 0, 20);
  }
  int status = KillAndReap(pid);  // nothing of the group outlives the call
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace aegis::platform
