#include "verifier/place/growing_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace aegis::verifier {

void GrowingFile::Publish(uint64_t total, uint64_t prefix) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    total_ = total;
    prefix_ = std::max(prefix_, std::min(prefix, total));
  }
  cv_.notify_all();
}

void GrowingFile::Abort() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    aborted_ = true;
  }
  cv_.notify_all();
}

std::optional<uint64_t> GrowingFile::WaitForSize() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return aborted_ || total_.has_value(); });
  if (aborted_) return std::nullopt;
  return total_;
}

void GrowingFile::Release(uint64_t consumed) {
  constexpr uint64_t kStep = 8 << 20;
  uint64_t upto = consumed & ~uint64_t{4095};
  if (!can_release_ || upto < released_ + kStep) return;
  // A file system without holes keeps the blocks: only the disk space is not given back.
  if (::fallocate(fd_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(released_),
                  static_cast<off_t>(upto - released_)) != 0) {
    can_release_ = false;
    return;
  }
  released_ = upto;
}

Expected<size_t> GrowingFile::ReadAt(uint64_t offset, char* buf, size_t n) {
  uint64_t available = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return aborted_ || (total_ && (prefix_ > offset || prefix_ == *total_)); });
    if (aborted_) return Error{ErrorKind::kInterrupted, path_, {}, "the download stopped"};
    available = prefix_ > offset ? prefix_ - offset : 0;
  }
  if (available == 0) return size_t{0};  // the end
  if (fd_.get() < 0) {
    fd_ = platform::Fd(::open(path_.c_str(), O_RDWR | O_CLOEXEC));
    if (fd_.get() < 0) return Error{ErrorKind::kIo, path_, {}, "cannot read the download"};
  }
  Release(offset);
  size_t want = static_cast<size_t>(std::min<uint64_t>(n, available));
  for (;;) {
    ssize_t r = ::pread(fd_.get(), buf, want, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Error{ErrorKind::kIo, path_, {}, "cannot read back the download"};
    return static_cast<size_t>(r);
  }
}

}  // namespace aegis::verifier
