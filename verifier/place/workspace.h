// The model directory and the work area inside it (docs/VERIFIER.md, "Order of work").
//
// <dest-dir> is usually a volume mount point, which cannot be renamed over, so the work
// area is a hidden directory inside it: same filesystem, and the pod's readers only start
// after this container exits. The download and the staging tree live there; only after
// verification are the tree's entries renamed into <dest-dir>, next to a marker,
// `.aegis-verified.json`, that records what was verified and which entries it placed.
// A later run replaces exactly those entries; content it did not place is never deleted:
// such a directory is refused.
#pragma once

#include <string>
#include <vector>

#include "util/expected.h"

namespace aegis::verifier {

inline constexpr const char* kMarkerName = ".aegis-verified.json";

// Format D: removes from `tree` everything the signature does not cover (ignored paths,
// model.sig, empty directories, files of any other type), so that only `signed_files`
// (relative, '/'-separated) and the directories leading to them remain to be placed.
// Starts writing a completed file of the tree to disk without waiting (sync_file_range), so
// the write-back overlaps verification and Place()'s syncfs finds little left to do.
void StartWriteback(int fd);
void StartWriteback(const std::string& path);

Status PruneToSigned(const std::string& tree, const std::vector<std::string>& signed_files);

class Workspace {
 public:
  // Creates `dest` when missing, checks it holds nothing foreign, removes stale work
  // areas of killed runs, and creates a fresh work area (mode 0700).
  static Expected<Workspace> Open(const std::string& dest);

  Workspace(Workspace&& other) noexcept;
  Workspace& operator=(Workspace&&) = delete;
  Workspace(const Workspace&) = delete;
  ~Workspace();  // Abort() unless placed

  // A path inside the work area.
  std::string Path(const std::string& name) const { return work_ + "/" + name; }

  // Replaces the previous model with every entry of `tree` (inside the work area), flushed
  // to disk first (one syncfs), writes the marker with `marker_json` plus the placed
  // entries, and removes the work area.
  Status Place(const std::string& tree, const std::string& artifact, const std::string& sha256, const std::string& key);

  // Failure: removes the work area and the previous model, so <dest-dir> holds no model.
  void Abort();

  // Top-level names placed by the last Place().
  const std::vector<std::string>& placed() const { return placed_; }

 private:
  Workspace(std::string dest, std::string work, std::vector<std::string> previous)
      : dest_(std::move(dest)), work_(std::move(work)), previous_(std::move(previous)) {}
  void RemovePrevious();

  std::string dest_;
  std::string work_;                   // empty once removed
  std::vector<std::string> previous_;  // entries the last successful run placed
  std::vector<std::string> placed_;
  bool done_ = false;
};

}  // namespace aegis::verifier
