// Safe archive extraction for verify-and-fetch (docs/VERIFIER.md, "Extraction").
//
// tar (ustar/pax/gnu), tar.gz, tar.zst and zip are read with libarchive, which checks none
// of the following itself: absolute paths, `..`, symlinks leaving the tree, hardlinks to
// anything but a regular file already extracted, entries passing through a symlink, device,
// FIFO and socket nodes, setuid/setgid bits, duplicate paths, and the limits below. Any
// violation rejects the whole archive and removes the staging directory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "util/expected.h"

namespace aegis::verifier {

struct ExtractLimits {
  uint64_t max_total_bytes = 64ULL << 30;  // uncompressed, all files
  uint64_t max_file_bytes = 32ULL << 30;
  uint64_t max_entries = 200000;
  size_t max_path_bytes = 1024;
  uint64_t max_ratio = 200;                 // uncompressed bytes per archive byte…
  uint64_t ratio_floor_bytes = 16ULL << 20; // …checked once this much has been written
};

struct ExtractStats {
  uint64_t entries = 0;
  uint64_t bytes = 0;
};

// Extracts `archive` into `staging`, which must not exist yet (it is created, mode 0755).
// Files get the archive's permission bits without group/other write. On error (kind
// kArchive for the archive's fault, kIo for ours) `staging` no longer exists.
Expected<ExtractStats> ExtractArchive(const std::string& archive, const std::string& staging,
                                      const ExtractLimits& limits = {});

// Up to `n` bytes of the archive at `offset` into `buf`: the count, 0 at its end, or an
// error (which ends the extraction with it).
using ArchiveReader = std::function<Expected<size_t>(uint64_t offset, char* buf, size_t n)>;

// The same from a reader, in one pass from the start (an archive still being downloaded):
// tar, tar.gz and tar.zst only, as a zip's directory is at its end. `size` is the archive's
// (for the compression ratio limit); `name` names it in errors. A reader's error is returned
// as it is; on any error `staging` no longer exists.
Expected<ExtractStats> ExtractTarStream(const std::string& name, uint64_t size, const ArchiveReader& read,
                                        const std::string& staging, const ExtractLimits& limits = {});

}  // namespace aegis::verifier
