// `aegis pack`: a deterministic tar.gz of a model directory. The same tree always gives
// the same bytes: entries sorted by path, mtime fixed (SOURCE_DATE_EPOCH or 0), uid/gid 0
// with no owner names, modes normalised (0755 directories and executables, 0644 files), no
// xattrs/ACLs, and a gzip header without a timestamp. Symlinks leaving the tree and
// special files (devices, FIFOs, sockets) are refused; symlinks inside it are kept.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "util/expected.h"

namespace aegis::sign {

struct PackStats {
  uint64_t files = 0;
  uint64_t bytes = 0;
};

// Writes `out` atomically (a temp file next to it, then rename); kUsage for refused entries.
// `on_bytes` hears each block written into the archive (a progress line).
Expected<PackStats> PackModel(const std::string& model_dir, const std::string& out, int64_t mtime,
                              const std::function<void(uint64_t)>& on_bytes = {});

}  // namespace aegis::sign
