// Writes the generated policy tests into the repository: aegis_gen_policy_tests REPO_ROOT
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "policygen/policy_gen.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s REPO_ROOT\n", argv[0]);
    return 2;
  }
  namespace fs = std::filesystem;
  fs::path root(argv[1]);
  for (const auto& dir : aegis::policygen::GeneratedDirectories()) fs::remove_all(root / dir);
  for (const auto& f : aegis::policygen::Generate(root.string())) {
    fs::create_directories((root / f.path).parent_path());
    std::ofstream(root / f.path, std::ios::binary) << f.content;
    std::printf("wrote %s\n", f.path.c_str());
  }
  return 0;
}
