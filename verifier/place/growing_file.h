// A download read while it is still arriving. The fetch publishes how much of the file's
// prefix is final (hashed in order, never written again); a reader asking for bytes beyond it
// waits until they are final, the download ends, or it fails. Lets a tar be extracted while
// its later parts are still on the wire (docs/VERIFIER.md, "Order of work").
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "platform/fd.h"
#include "util/expected.h"

namespace aegis::verifier {

class GrowingFile {
 public:
  explicit GrowingFile(std::string path) : path_(std::move(path)) {}

  // Download side (any thread). The first `prefix` of `total` bytes are final.
  void Publish(uint64_t total, uint64_t prefix);
  // The download failed or was abandoned: readers stop with an error.
  void Abort();

  // Reader side: the file's size once the download knows it; nullopt when aborted first.
  std::optional<uint64_t> WaitForSize();
  // Up to `n` final bytes at `offset`, waiting for them: the count, 0 at the end; kInterrupted
  // when aborted, kIo when the file cannot be read. Offsets only grow (one pass): what lies
  // before an offset has been consumed, and its disk blocks are given back (a hole is
  // punched), so the archive's pages need not be written out and the work area holds about
  // one copy of the model instead of two.
  Expected<size_t> ReadAt(uint64_t offset, char* buf, size_t n);

 private:
  void Release(uint64_t consumed);

  std::string path_;
  platform::Fd fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<uint64_t> total_;
  uint64_t prefix_ = 0;
  bool aborted_ = false;
  uint64_t released_ = 0;  // [0, released_) is a hole (reader side only)
  bool can_release_ = true;
};

}  // namespace aegis::verifier
