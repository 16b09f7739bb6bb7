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

namespace {

// Everything the child needs, prepared before fork (after it, only async-signal-safe calls):
// the environment with the spec's variables replacing the inherited ones, and argv.
struct ChildArgs {
  std::vector<std::string> env;
  std::vector<char*> envp, argv;
};

void PrepareChild(const SubprocessSpec& spec, ChildArgs& c) {
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& kv : spec.env) replaced = replaced || (entry.size() > kv.first.size() && entry.starts_with(kv.first) && entry[kv.first.size()] == '=');
    if (!replaced) c.env.emplace_back(entry);
  }
  for (const auto& [k, v] : spec.env) c.env.push_back(k + "=" + v);
  for (auto& e : c.env) c.envp.push_back(e.data());
  c.envp.push_back(nullptr);
  c.argv.push_back(const_cast<char*>(spec.command.c_str()));
  for (const auto& a : spec.args) c.argv.push_back(const_cast<char*>(a.c_str()));
  c.argv.push_back(nullptr);
}

// In the child: its own process group (a timeout kills its children too), stdout to the pipe,
// stdin from /dev/null, default signals; on exec failure the errno goes to `status_fd`.
[[noreturn]] void ExecChild(ChildArgs& c, int out_fd, int status_fd) {
  ::setpgid(0, 0);
  ::dup2(out_fd, STDOUT_FILENO);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::execvpe(c.argv[0], c.argv.data(), c.envp.data());
  int err = errno;
  (void)!::write(status_fd, &err, sizeof err);
  ::_exit(127);
}

Error Stopped(const SubprocessSpec& spec, pid_t pid, const char* what) {
  KillAndReap(pid);
  return Error{NetError::kTimeout, spec.command, {},
               fmt::format("{} within {} s; stopped it", what, std::chrono::duration_cast<std::chrono::seconds>(spec.timeout).count())};
}

Error Interrupted(const SubprocessSpec& spec, pid_t pid) {
  KillAndReap(pid);
  return Error{ErrorKind::kInterrupted, spec.command, {}, "interrupted"};
}

// Its output until it closes stdout, bounded by `max_output`, the deadline and `stop`.
Status ReadOutput(const SubprocessSpec& spec, pid_t pid, int out_fd, std::chrono::steady_clock::time_point deadline, std::string& output) {
  char buf[4096];
  for (;;) {
    if (spec.stop != nullptr && spec.stop->load()) return Interrupted(spec, pid);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return Stopped(spec, pid, "did not finish");
    pollfd pfd{out_fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 200)));  // wakes to look at `stop`
    if (ready < 0 && errno != EINTR) {
      KillAndReap(pid);
      return Error{ErrorKind::kIo, spec.command, {}, "cannot read its output"};
    }
    if (ready <= 0) continue;
    ssize_t n = ::read(out_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Ok{};  // end of output: it closed stdout (normally by exiting)
    if (output.size() + static_cast<size_t>(n) > spec.max_output) {
      KillAndReap(pid);
      return Error{ErrorKind::kLimit, spec.command, {}, fmt::format("printed more than {} bytes; stopped it", spec.max_output)};
    }
    output.append(buf, static_cast<size_t>(n));
  }
}

// Output closed; the program may still linger: a bounded wait for it to exit, observed without
// reaping it (WNOWAIT), so its group id stays reserved until the group is killed.
Status AwaitExit(const SubprocessSpec& spec, pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) return Ok{};
    if (spec.stop != nullptr && spec.stop->load()) return Interrupted(spec, pid);
    if (std::chrono::steady_clock::now() >= deadline) return Stopped(spec, pid, "closed its output but did not exit");
    ::poll(nullptr, 0, 20);
  }
}

}  // namespace

Expected<SubprocessResult> RunCaptured(const SubprocessSpec& spec) {
  int out[2], exec_status[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Error{ErrorKind::kIo, spec.command, {}, "cannot create a pipe"};
  Fd out_read(out[0]), out_write(out[1]);
  // Written by the child only when exec fails (the errno), closed by a successful exec.
  if (::pipe2(exec_status, O_CLOEXEC) != 0) return Error{ErrorKind::kIo, spec.command, {}, "cannot create a pipe"};
  Fd status_read(exec_status[0]), status_write(exec_status[1]);
  ChildArgs child;
  PrepareChild(spec, child);
  pid_t pid = ::fork();
  if (pid < 0) return Error{ErrorKind::kIo, spec.command, {}, fmt::format("cannot start: {}", std::strerror(errno))};
  if (pid == 0) ExecChild(child, out_write.get(), status_write.get());
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
  AEGIS_TRY(ReadOutput(spec, pid, out_read.get(), deadline, result.output));
  AEGIS_TRY(AwaitExit(spec, pid, deadline));
  int status = KillAndReap(pid);  // nothing of the group outlives the call
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace aegis::platform
