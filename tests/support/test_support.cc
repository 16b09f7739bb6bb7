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

// The `aegis` lines of the first sh block after `heading` in README.md, continuations joined,
// trailing comments dropped.
std::vector<std::string> ReadmeSteps(const std::string& heading) {
  std::string readme = ReadFile(SourcePath("README.md"));
  size_t begin = readme.find(heading);
  if (begin == std::string::npos) return {};
  begin = readme.find("```sh\n", begin);
  size_t end = readme.find("```\n", begin + 6);
  std::string block = readme.substr(begin + 6, end - begin - 6);
  std::vector<std::string> steps;
  std::string current;
  for (size_t pos = 0; pos < block.size();) {
    size_t nl = block.find('\n', pos);
    std::string line = block.substr(pos, nl - pos);
    pos = nl + 1;
    if (!current.empty()) {
      current += " " + line;
    } else if (line.rfind("aegis ", 0) == 0) {
      current = line;
    }
    if (!current.empty() && !current.ends_with("\\")) {
      if (size_t hash = current.find("  #"); hash != std::string::npos) current.resize(hash);
      steps.push_back(current);
      current.clear();
    } else if (!current.empty()) {
      current.pop_back();
    }
  }
  return steps;
}

RunResult RunReadmeStep(const std::string& line, const std::string& dir) {
  std::string bin = std::filesystem::path(AEGIS_BIN).parent_path().string();
  return RunShell("export REG=registry.example.com DIGEST=sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 "
                  "PATH='" + bin + "':$PATH; " + line,
                  dir);
}

bool PeersRequired() {
  const char* v = std::getenv("AEGIS_REQUIRE_PEERS");
  return v != nullptr && std::string_view(v) == "1";
}

std::string MakeTestServerCertificate(const std::string& dir, const std::string& ca_name, const std::string& server_cn,
                                      const std::string& client_cn) {
  auto made = RunShell("bash '" AEGIS_SOURCE_DIR "/tests/support/test_ca.sh' . '" + ca_name + "' '" + server_cn +
                           "' '" + client_cn + "'",
                       dir);
  return made.exit_code == 0 ? "" : "openssl could not make the test certificate: " + made.err;
}

bool HaveCommand(const std::string& name) {
  return std::system(("command -v '" + name + "' >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace aegis::testing
