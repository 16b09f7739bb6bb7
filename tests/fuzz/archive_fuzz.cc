// libFuzzer target: arbitrary bytes as an archive (tar, tar.gz, tar.zst, zip) through safe
// extraction into a scratch directory, which must be gone again whenever extraction fails.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "verifier/place/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("aegis-archive-fuzz-" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  fs::path archive = dir / "in.archive", staging = dir / "staging";
  std::ofstream(archive, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  aegis::verifier::ExtractLimits limits;
  limits.max_total_bytes = 64 << 20;
  limits.max_entries = 1000;
  auto r = aegis::verifier::ExtractArchive(archive.string(), staging.string(), limits);
  if (!r.ok() && fs::exists(staging)) __builtin_trap();  // a failure must leave nothing behind
  std::error_code ec;
  fs::remove_all(staging, ec);
  return 0;
}
