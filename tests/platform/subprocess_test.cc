// platform::RunCaptured: a helper program cannot hang, flood or outlive the caller.
#include "platform/subprocess.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "platform/net_error.h"
#include "support/test_support.h"

namespace aegis::platform {
namespace {

using std::chrono::milliseconds;

SubprocessSpec Shell(const std::string& script, milliseconds timeout = std::chrono::seconds(20)) {
  SubprocessSpec s;
  s.command = "/bin/sh";
  s.args = {"-c", script};
  s.timeout = timeout;
  return s;
}

// Running (a zombie waiting for its reaper counts as gone).
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

TEST(Subprocess, CapturesOutputExitCodeAndEnvironment) {
  auto spec = Shell("printf '%s' \"$AEGIS_TEST_VALUE\"; exit 3");
  spec.env = {{"AEGIS_TEST_VALUE", "from the caller"}};
  auto r = RunCaptured(spec);
  ASSERT_TRUE(r) << r.error().Describe();
  EXPECT_EQ(r->output, "from the caller");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->signal, 0);
}

TEST(Subprocess, AMissingProgramIsAUsageErrorNamingIt) {
  SubprocessSpec s;
  s.command = "aegis-no-such-program";
  auto r = RunCaptured(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error().file, "aegis-no-such-program");
  EXPECT_NE(r.error().message.find("not found"), std::string::npos) << r.error().message;
}

// A program that hangs past the deadline is killed with its whole process group: the
// grandchild that inherited the pipe (and would keep a naive reader waiting) dies too.
TEST(Subprocess, DeadlineKillsTheWholeGroup) {
  aegis::testing::TempDir dir;
  std::string pid_file = dir.File("grandchild.pid");
  auto spec = Shell("sleep 600 & echo $! > " + pid_file + "; wait", milliseconds(500));
  auto start = std::chrono::steady_clock::now();
  auto r = RunCaptured(spec);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, NetError::kTimeout);
  EXPECT_LT(took, std::chrono::seconds(10));
  std::ifstream in(pid_file);
  pid_t grandchild = 0;
  ASSERT_TRUE(in >> grandchild);
  // SIGKILL is delivered asynchronously: allow the kernel a moment to finish it.
  for (int i = 0; i < 100 && Alive(grandchild); ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_FALSE(Alive(grandchild)) << "the grandchild survived the deadline";
}

TEST(Subprocess, OutputBeyondTheCapIsRefused) {
  auto spec = Shell("yes aegis");
  spec.max_output = 64 * 1024;
  auto r = RunCaptured(spec);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kLimit);
}

TEST(Subprocess, StopFlagInterrupts) {
  std::atomic<bool> stop{true};
  auto spec = Shell("sleep 600");
  spec.stop = &stop;
  auto r = RunCaptured(spec);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInterrupted);
}

}  // namespace
}  // namespace aegis::platform
