// `aegis pack`: a deterministic tar.gz of a model directory (same tree, same bytes).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "sign/pack.h"
#include "util/strings.h"
#include "verifier/common/crypto.h"
#include "verifier/options.h"

namespace aegis::cli {
namespace {

// The bytes of the tree's regular files: the progress line's total.
uint64_t TreeBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code fec;
    if (it->is_regular_file(fec)) total += it->file_size(fec);
  }
  return total;
}

}  // namespace

void SetupPack(CLI::App& sub, int& exit_code) {
  struct Flags {
    std::string dir, out;
    int64_t mtime = -1;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("model-dir", f->dir, "the model directory")->required();
  sub.add_option("output", f->out, "the archive to write (.tar.gz)")->required();
  sub.add_option("--mtime", f->mtime, "timestamp of every entry (default SOURCE_DATE_EPOCH, else 0)");
  sub.footer(
      "Prints the archive's SHA-256. Exit codes: 0 packed; 2 usage; 6 an entry that cannot be packed safely (a link\n"
      "leaving the tree, a special file); 8 local I/O. Sign the result with aegis sign (README, \"Producing signed\n"
      "models\").");
  sub.callback([f, &exit_code] {
    int64_t mtime = f->mtime;
    if (mtime < 0) {
      const char* sde = std::getenv("SOURCE_DATE_EPOCH");
      mtime = sde != nullptr ? std::strtoll(sde, nullptr, 10) : 0;
    }
    auto bar = TerminalProgress("aegis pack");
    if (bar) bar->Expect(TreeBytes(f->dir));
    auto r = sign::PackModel(f->dir, f->out, mtime, Feed(bar));
    if (bar) bar->Finish();
    if (!r) {
      std::cerr << "aegis pack: error: " << Printable(r.error().Describe()) << "\n";
      exit_code = VerifierExitCode(r.error().kind);
      return;
    }
    auto d = verifier::DigestFile(f->out, {false, false});
    std::cerr << fmt::format("aegis pack: {} files, {} bytes\n", r->files, r->bytes);
    std::cout << fmt::format("{}  {}\n", d ? verifier::Hex(d->sha256) : "?", f->out);
    exit_code = kExitClean;
  });
}

}  // namespace aegis::cli
