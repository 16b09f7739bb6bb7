// Reading whole inputs (files, stdin) and expanding directories into manifest files.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "util/expected.h"

namespace aegis {

// Reads a file, or standard input when path is "-".
// Inputs larger than this are refused (kLimit) before they are read whole: /dev/zero, an
// endless pipe or a planted multi-gigabyte file cannot exhaust memory.
constexpr uint64_t kDefaultMaxInputBytes = 64ull << 20;
Expected<std::string> ReadInput(const std::string& path, uint64_t max_bytes = kDefaultMaxInputBytes);

// Expands each argument: a directory becomes its *.yaml, *.yml and *.json files
// (recursive, sorted); "-" and plain files pass through. Missing paths are errors.
struct ExpandedInputs {
  std::vector<std::string> files;
  std::vector<Error> errors;
};
ExpandedInputs ExpandInputs(const std::vector<std::string>& args);

// A file being written as a whole. A regular (or absent) target gets a temporary beside it,
// renamed over it by Commit (readers never see half a file; dropped without Commit, the
// target is untouched). Any other target — a device such as /dev/null, a FIFO, a terminal,
// a symbolic link such as /dev/stdout — is written through as a shell's `>` would, never
// replaced: a rename over /dev/null would turn the machine's /dev/null into a regular file.
class OutputFile {
 public:
  // `mode`: for a new file (default: 0666 less the umask); a replaced file keeps its own.
  static Expected<OutputFile> Open(const std::string& path, std::optional<mode_t> mode = std::nullopt);
  OutputFile(OutputFile&& o) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  ~OutputFile();
  int fd() const { return fd_; }
  Status Write(std::string_view data);
  Status Commit();  // fsync + rename (or close, written through); once

 private:
  OutputFile(std::string path, std::string tmp, int fd) : path_(std::move(path)), tmp_(std::move(tmp)), fd_(fd) {}
  std::string path_, tmp_;  // tmp_ empty: written through
  int fd_ = -1;
};

// Writes a whole file with OutputFile.
Status WriteFileAtomically(const std::string& path, const std::string& content);

// What a file was when it was read (stat before reading): a later replacement is refused
// when the file changed since (an append made while render ran is never lost).
struct FileStamp {
  uint64_t device = 0, inode = 0, size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};
Expected<FileStamp> StampOf(const std::string& path);

struct Replacement {
  std::string path;
  std::string content;
  FileStamp read_as;
};

// Rewrites existing files, all or nothing (render --in-place; docs/RENDER.md, "In place"):
// every new content is first written to a temporary beside its file (same mode and owner,
// fsynced); only when all are ready are they renamed over the originals. Refused, with
// nothing written: a path that is a symbolic link (never written through), a file with
// other hard links (a rename would split them), a file changed since it was read, a file
// whose owner cannot be kept.
Status ReplaceFiles(const std::vector<Replacement>& files);

}  // namespace aegis
