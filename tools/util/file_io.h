// Reading whole inputs (files, stdin) and expanding directories into manifest files.
#pragma once

#include <cstdint>
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

// Writes atomically: a temp file in the same directory, then rename.
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
