// Helpers shared by the test suites: paths, temp dirs, running the aegis binary.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace aegis::testing {

std::string SourcePath(const std::string& relative);  // under the repository root
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

// A fresh directory, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line (cwd = `dir` when non-empty), optionally feeding `stdin_data`.
RunResult RunShell(const std::string& command, const std::string& dir = "", const std::string& stdin_data = "");

// Runs the aegis binary with `args` (a shell-quoted argument string).
RunResult RunAegis(const std::string& args, const std::string& dir = "", const std::string& stdin_data = "");

bool HaveCommand(const std::string& name);

// The test PKI of every TLS server in the tests (tests/support/test_ca.sh, the shell tests' recipe
// too): in `dir`, a CA (ca.pem, ca.key, CN `ca_name`) and a certificate it issued for 127.0.0.1
// (server.pem, server.key, CN `server_cn`), with `client_cn` also a client certificate
// (client.pem, client.key); valid two days. "" or what went wrong.
std::string MakeTestServerCertificate(const std::string& dir, const std::string& ca_name,
                                      const std::string& server_cn = "127.0.0.1", const std::string& client_cn = "");

// The `aegis` lines of the first sh block after `heading` in README.md, continuations joined,
// trailing comments dropped: what a reader following that section types.
std::vector<std::string> ReadmeSteps(const std::string& heading);

// Runs one README line as a reader would, with the built aegis first on PATH and the
// README's placeholders set: REG (a registry's name) and DIGEST (an image digest).
RunResult RunReadmeStep(const std::string& line, const std::string& dir);

// True when a missing peer must fail the test instead of skipping it (AEGIS_REQUIRE_PEERS=1,
// set by ci/test.sh): only a developer build without peers may skip.
bool PeersRequired();

}  // namespace aegis::testing

// Skips the test with `reason` in a developer build; fails it when peers are required (CI).
#define AEGIS_SKIP_WITHOUT_PEER(reason)                                            \
  do {                                                                              \
    if (::aegis::testing::PeersRequired()) GTEST_FAIL() << "missing peer: " << reason; \
    GTEST_SKIP() << reason;                                                         \
  } while (0)

namespace aegis::testing {

}  // namespace aegis::testing
