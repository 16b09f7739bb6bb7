#include "cli/full_cli.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "cli/exit_codes.h"

namespace aegis::cli {

bool RunsHere(int argc, char** argv, const std::vector<Command>& commands) {
  if (argc < 2) return false;
  std::string_view first = argv[1];
  if (first == "--version") return true;
  for (const auto& c : commands) {
    if (first == c.name) return true;
  }
  return false;
}

std::vector<std::string> FullCliCandidates() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  std::filesystem::path dir = self.parent_path();
  return {(dir / "aegis-full").string(), (dir / AEGIS_RELATIVE_LIBEXEC / "aegis-full").lexically_normal().string()};
}

int ExecFullCli(char** argv) {
  std::vector<std::string> tried = FullCliCandidates();
  for (const auto& path : tried) {
    if (::access(path.c_str(), X_OK) != 0) continue;
    ::execv(path.c_str(), argv);
    std::cerr << "aegis: error: cannot run " << path << ": " << std::strerror(errno) << "\n";
    return kExitUsage;
  }
  std::cerr << "aegis: error: this command runs in aegis-full, which is not installed beside aegis (looked for";
  for (const auto& path : tried) std::cerr << " " << path;
  std::cerr << "); reinstall the aegis package\n";
  return kExitUsage;
}

}  // namespace aegis::cli
