// file:///… and plain paths: a mounted volume (KServe's pvc://) read in place; one file copied
// while hashing, a model directory copied without following links.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "platform/fd.h"
#include "platform/net_error.h"
#include "verifier/common/verify_error.h"
#include "verifier/sources/backends.h"

namespace aegis::verifier {
namespace {

namespace fs = std::filesystem;
using platform::Fd;

class FileSource : public Source {
 public:
  using Source::Source;
  Expected<FetchResult> Get(const Location& loc, const std::string& out_path, const FetchOptions& o) override {
    return CopyLocal(loc.LocalPath(), out_path, o.digests, o.max_bytes);
  }
};

}  // namespace

std::unique_ptr<Source> MakeFileSource(const SourceSettings& settings) {
  return std::make_unique<FileSource>(settings);
}

Expected<FetchResult> CopyLocal(const std::string& path, const std::string& out_path, DigestSet digests,
                                uint64_t max_bytes) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) {
    if (errno == ENOENT) return Error{NetError::kNotFound, path, {}, "not found"};
    return Error{ErrorKind::kIo, path, {}, fmt::format("cannot open: {}", std::strerror(errno))};
  }
  Fd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.get() < 0) return Error{ErrorKind::kIo, out_path, {}, fmt::format("cannot create: {}", std::strerror(errno))};
  auto fail = [&](Error e) {
    ::close(out.release());
    ::unlink(out_path.c_str());
    return e;
  };
  FetchResult r;
  r.attempts = 1;
  MultiHasher hasher(digests);
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(Error{ErrorKind::kIo, path, {}, fmt::format("read error: {}", std::strerror(errno))});
    if (n == 0) break;
    r.bytes += static_cast<uint64_t>(n);
    if (max_bytes > 0 && r.bytes > max_bytes) {
      return fail(Error{ErrorKind::kLimit, path, {}, fmt::format("larger than the limit of {} bytes", max_bytes)});
    }
    hasher.Update(std::string_view(buf.data(), static_cast<size_t>(n)));
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out.get(), buf.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return fail(Error{ErrorKind::kIo, out_path, {}, fmt::format("write error: {}", std::strerror(errno))});
      done += w;
    }
  }
  if (::close(out.release()) != 0) {  // placement makes what it places durable (Workspace::Place)
    ::unlink(out_path.c_str());
    return Error{ErrorKind::kIo, out_path, {}, "write error on close"};
  }
  r.digests = hasher.Final();
  return r;
}

Expected<TreeResult> CopyLocalTree(const std::string& src, const std::string& dst, const ExtractLimits& limits) {
  std::error_code ec;
  fs::create_directories(dst, ec);
  if (ec) return Error{ErrorKind::kIo, dst, {}, "cannot create the model directory: " + ec.message()};
  TreeResult result;
  uint64_t entries = 0;
  auto it = fs::recursive_directory_iterator(src, fs::directory_options::none, ec);
  if (ec) return Error{ErrorKind::kIo, src, {}, "cannot read the model directory: " + ec.message()};
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Error{ErrorKind::kIo, src, {}, "cannot read the model directory: " + ec.message()};
    const fs::path& path = it->path();
    std::string rel = fs::relative(path, src, ec).generic_string();
    if (ec || rel.empty() || rel.size() > limits.max_path_bytes) {
      return Error{
          VerifyError::kArchive, path.string(), {}, fmt::format("a path longer than {} bytes", limits.max_path_bytes)};
    }
    if (++entries > limits.max_entries) {
      return Error{
          ErrorKind::kLimit, src, {}, fmt::format("more than {} entries in the model directory", limits.max_entries)};
    }
    fs::file_status st = it->symlink_status(ec);
    if (fs::is_directory(st)) {
      fs::create_directory(dst + "/" + rel, ec);
      if (ec) return Error{ErrorKind::kIo, dst + "/" + rel, {}, "cannot create: " + ec.message()};
      continue;
    }
    if (!fs::is_regular_file(st)) {
      return Error{VerifyError::kArchive,
                   path.string(),
                   {},
                   fs::is_symlink(st) ? "a symbolic link: a model directory is copied without links"
                                      : "neither a file nor a directory"};
    }
    auto got = CopyLocal(path.string(), dst + "/" + rel, DigestSet{false, false}, limits.max_file_bytes);
    if (!got) return got.error();
    ++result.files;
    result.bytes += got->bytes;
    if (result.bytes > limits.max_total_bytes) {
      return Error{
          ErrorKind::kLimit, src, {}, fmt::format("the model directory exceeds {} bytes", limits.max_total_bytes)};
    }
    fs::permissions(dst + "/" + rel, fs::perms(0644), fs::perm_options::replace, ec);
    if (ec) return Error{ErrorKind::kIo, dst + "/" + rel, {}, "cannot set permissions: " + ec.message()};
  }
  return result;
}

}  // namespace aegis::verifier
