// Archives written with libarchive's writer for the extraction and verify-and-fetch tests,
// and the catalogue of hostile archive kinds both suites reject.
#pragma once

#include <sys/types.h>

#include <ostream>
#include <string>
#include <vector>

namespace aegis::testing {

struct Entry {
  std::string path;
  mode_t type = 0100000;  // AE_IFREG
  unsigned perm = 0644;
  std::string data;
  std::string link;      // symlink target
  std::string hardlink;  // hardlink target
};

enum class ArchiveFormat { kTar, kTarGz, kTarZst, kZip };

// Writes `entries` as-is (no checks: hostile names are the point). Returns "" or the
// libarchive error.
std::string WriteArchive(const std::string& file, ArchiveFormat format, const std::vector<Entry>& entries);

struct HostileArchive {
  const char* name;
  ArchiveFormat format;
  std::vector<Entry> entries;
  const char* why;  // a piece of the rejection message
};

inline void PrintTo(const HostileArchive& h, std::ostream* os) { *os << h.name; }

// Every hostile kind docs/VERIFIER.md names (traversal, absolute paths, symlink and hardlink
// escapes, writes through symlinks, device/FIFO nodes, setuid/setgid, duplicates, file
// replacing a directory, over-long names, zip variants, compressed variants).
const std::vector<HostileArchive>& HostileArchives();

}  // namespace aegis::testing
