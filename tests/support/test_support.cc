#include "support/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace aegis::testing {
namespace fs = std::filesystem;

std::string SourcePath(const std::string& relative) { return std::string(AEGIS_SOURCE_DIR) + "/" + relative; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "aegis-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

RunResult RunShell(const std::string& command, const std::string& dir, const std::string& stdin_data) {
  TempDir io;
  WriteFile(io.File("in"), stdin_data);
  std::string line = (dir.empty() ? "" : "cd '" + dir + "' && ") + "( " + command + " ) <'" + io.File("in") + "' >'" +
                     io.File("out") + "' 2>'" + io.File("err") + "'";
  int status = std::system(line.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(io.File("out"));
  r.err = ReadFile(io.File("err"));
  return r;
}

RunResult RunAegis(const std::string& args, const std::string& dir, const std::string& stdin_data) {
  return RunShell(std::string("'") + AEGIS_BIN + "' " + args, dir, stdin_data);
}

bool PeersRequired() {
  const char* v = std::getenv("AEGIS_REQUIRE_PEERS");
  return v != nullptr && std::string_view(v) == "1";
}

bool HaveCommand(const std::string& name) {
  return std::system(("command -v '" + name + "' >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace aegis::testing
