#include "util/file_io.h"

#include "util/strings.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace aegis {
namespace fs = std::filesystem;

namespace {

constexpr int kNamedPipeWaitMs = 10000;

Error IoError(const std::string& path, std::string_view what) {
  return Error{ErrorKind::kIo, path, {}, std::string(what)};
}

bool IsManifestFile(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

Expected<std::string> ReadInput(const std::string& path, uint64_t max_bytes) {
  bool is_stdin = path == "-";
  std::string name = is_stdin ? "<stdin>" : path;
  std::FILE* f = stdin;
  if (!is_stdin) {
    // O_NONBLOCK: opening a named pipe nobody writes to would block forever in open().
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return IoError(name, fmt::format("cannot open: {}", std::strerror(errno)));
    struct stat fst {};
    if (::fstat(fd, &fst) == 0 && S_ISFIFO(fst.st_mode) && !path.starts_with("/dev/fd/") && !path.starts_with("/proc/")) {
      // A named pipe is read when something is written to it; one nobody opens is an error,
      // not a hang. (Process substitution, /dev/fd/N, is a pipe with a writer: read as is.)
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, kNamedPipeWaitMs) <= 0) {
        ::close(fd);
        return IoError(name, fmt::format("a named pipe nothing was written to within {} s", kNamedPipeWaitMs / 1000));
      }
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    f = ::fdopen(fd, "rb");
    if (f == nullptr) {
      ::close(fd);
      return IoError(name, fmt::format("cannot open: {}", std::strerror(errno)));
    }
  }
  std::string data;
  struct stat st {};
  auto too_large = [&] {
    if (!is_stdin) std::fclose(f);
    return Error{ErrorKind::kLimit, name, {},
                 fmt::format("larger than the input size limit of {} MiB (--max-input-mb raises it)", max_bytes >> 20)};
  };
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > max_bytes) return too_large();
    data.reserve(static_cast<size_t>(st.st_size));  // one allocation, one copy for regular files
  }
  char buf[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (data.size() + n > max_bytes) return too_large();  // a device or pipe that does not end
    data.append(buf, n);
  }
  bool failed = std::ferror(f) != 0;
  if (!is_stdin) std::fclose(f);
  if (failed) return IoError(name, is_stdin ? "cannot read standard input" : "read error (is it a directory?)");
  return data;
}

ExpandedInputs ExpandInputs(const std::vector<std::string>& args) {
  ExpandedInputs out;
  for (const auto& arg : args) {
    if (arg == "-") {
      out.files.push_back(arg);
      continue;
    }
    std::error_code ec;
    auto status = fs::status(arg, ec);
    if (ec || !fs::exists(status)) {  // ELOOP, EACCES… say so; only a missing path is "no such file"
      out.errors.push_back(IoError(arg, ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such file or directory"));
      continue;
    }
    if (!fs::is_directory(status)) {
      out.files.push_back(arg);
      continue;
    }
    // Every directory must be readable and yield a manifest: a CI gate must not pass by
    // reading nothing.
    std::vector<std::string> found, ignored;
    fs::recursive_directory_iterator it(arg, ec), end;
    std::string at = arg;
    for (; !ec && it != end; it.increment(ec)) {
      at = it->path().string();
      std::error_code tec;
      if (!it->is_regular_file(tec)) continue;
      if (IsManifestFile(it->path())) found.push_back(it->path().string());
      else ignored.push_back(it->path().filename().string());
    }
    if (ec) {
      out.errors.push_back(IoError(arg, fmt::format("cannot list the directory (at {}): {}", at, ec.message())));
    } else if (found.empty()) {
      out.errors.push_back(IoError(arg, ignored.empty() ? std::string("no manifest files in this directory (*.yaml, *.yml, *.json)")
                                                        : fmt::format("no manifest files in this directory (*.yaml, *.yml, *.json); "
                                                                      "{} other file(s) ignored, e.g. {}",
                                                                      ignored.size(), Quote(ignored.front()))));
    }
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  return out;
}

Expected<OutputFile> OutputFile::Open(const std::string& path, std::optional<mode_t> mode) {
  struct stat lst {};
  const bool exists = ::lstat(path.c_str(), &lst) == 0;
  if (exists && !S_ISREG(lst.st_mode)) {
    // Not a regular file (a device such as /dev/null, a FIFO, a terminal, a link such as
    // /dev/stdout): written through, as a shell's `>` would, and never replaced by a rename.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return IoError(path, "is a directory");
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return IoError(path, fmt::format("cannot open for writing: {}", std::strerror(errno)));
    return OutputFile(path, "", fd);
  }
  // A fresh, unpredictable temporary next to the target, created with O_EXCL (mkstemp): a
  // planted file or symlink with any name can never be followed or truncated.
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmp = (dir / ("." + target.filename().string() + ".aegis-tmp-XXXXXX")).string();
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return IoError(path, fmt::format("cannot create a temporary file in {}: {}", dir.string(), std::strerror(errno)));
  OutputFile out(path, tmp, fd);
  // The mode: the replaced file's, else the one given, else what a plain create would give
  // (0666 less umask).
  mode_t m = 0;
  if (exists) {
    m = lst.st_mode & 07777;
  } else if (mode) {
    m = *mode;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    m = 0666 & ~mask;
  }
  if (::fchmod(fd, m) != 0) return IoError(path, fmt::format("cannot set the temporary file's mode: {}", std::strerror(errno)));
  return out;
}

OutputFile::OutputFile(OutputFile&& o) noexcept
    : path_(std::move(o.path_)), tmp_(std::move(o.tmp_)), fd_(std::exchange(o.fd_, -1)) {}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
}

Status OutputFile::Write(std::string_view data) {
  for (size_t done = 0; done < data.size();) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError(path_, fmt::format("write failed: {}", std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
  return Ok{};
}

Status OutputFile::Commit() {
  const int fd = std::exchange(fd_, -1);
  if (tmp_.empty()) {  // written through
    if (::close(fd) != 0) return IoError(path_, fmt::format("write failed: {}", std::strerror(errno)));
    return Ok{};
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return IoError(path_, fmt::format("cannot flush the file to disk: {}", std::strerror(err)));
  }
  if (::close(fd) != 0) return IoError(path_, fmt::format("write failed: {}", std::strerror(errno)));
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) return IoError(path_, fmt::format("cannot replace the file: {}", std::strerror(errno)));
  tmp_.clear();
  const fs::path target(path_);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);  // the rename itself survives a crash
    ::close(dfd);
  }
  return Ok{};
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  auto out = OutputFile::Open(path);
  if (!out) return out.error();
  if (Status s = out->Write(content); !s) return s;
  return out->Commit();
}

namespace {

int64_t MtimeNs(const struct stat& st) { return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec; }

FileStamp Stamp(const struct stat& st) {
  return FileStamp{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size), MtimeNs(st)};
}

// A prepared replacement: the temporary holding the new content.
struct Staged {
  std::string path, tmp;
};

void Discard(const std::vector<Staged>& staged) {
  for (const auto& s : staged) ::unlink(s.tmp.c_str());
}

// Checks that `r.path` may be replaced and writes its temporary.
Expected<Staged> Stage(const Replacement& r) {
  struct stat st {};
  if (::lstat(r.path.c_str(), &st) != 0) return IoError(r.path, fmt::format("cannot replace: {}", std::strerror(errno)));
  if (S_ISLNK(st.st_mode)) {
    return IoError(r.path, "is a symbolic link: --in-place never writes through links (render the file it points to)");
  }
  if (!S_ISREG(st.st_mode)) return IoError(r.path, "is not a regular file: cannot replace it in place");
  if (st.st_nlink > 1) {
    return IoError(r.path, fmt::format("has {} hard links: replacing it would split them (render to stdout instead)", st.st_nlink));
  }
  if (Stamp(st) != r.read_as) return IoError(r.path, "changed while render ran (run it again)");
  const fs::path target(r.path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmp = (dir / ("." + target.filename().string() + ".aegis-tmp-XXXXXX")).string();
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return IoError(r.path, fmt::format("cannot create a temporary file in {}: {}", dir.string(), std::strerror(errno)));
  auto fail = [&](std::string_view what, int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return IoError(r.path, err != 0 ? fmt::format("{}: {}", what, std::strerror(err)) : std::string(what));
  };
  if (::fchown(fd, st.st_uid, st.st_gid) != 0) {
    struct stat mine {};
    if (::fstat(fd, &mine) != 0 || mine.st_uid != st.st_uid || mine.st_gid != st.st_gid) {
      return fail("cannot keep the file's owner and group", errno);
    }
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) return fail("cannot keep the file's mode", errno);
  for (size_t done = 0; done < r.content.size();) {
    const ssize_t n = ::write(fd, r.content.data() + done, r.content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("write failed", n < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot flush the file to disk", errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return IoError(r.path, fmt::format("write failed: {}", std::strerror(err)));
  }
  return Staged{r.path, tmp};
}

}  // namespace

Expected<FileStamp> StampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return IoError(path, fmt::format("cannot stat: {}", std::strerror(errno)));
  return Stamp(st);
}

Status ReplaceFiles(const std::vector<Replacement>& files) {
  std::vector<Staged> staged;
  for (const auto& r : files) {
    auto s = Stage(r);
    if (!s) {
      Discard(staged);
      Error e = s.error();
      e.message += "; no file was rewritten";
      return e;
    }
    staged.push_back(std::move(*s));
  }
  // Last look before the renames: nothing changed while the temporaries were written.
  for (size_t i = 0; i < files.size(); ++i) {
    auto now = StampOf(files[i].path);
    if (!now || *now != files[i].read_as) {
      Discard(staged);
      return IoError(files[i].path, "changed while render ran (run it again); no file was rewritten");
    }
  }
  std::vector<std::string> replaced;
  for (const auto& s : staged) {
    if (::rename(s.tmp.c_str(), s.path.c_str()) != 0) {
      const int err = errno;
      Discard(std::vector<Staged>(staged.begin() + static_cast<std::ptrdiff_t>(replaced.size()), staged.end()));
      return IoError(s.path, fmt::format("cannot replace the file: {}{}", std::strerror(err),
                                         replaced.empty() ? std::string() : fmt::format(" (already replaced: {})", fmt::join(replaced, ", "))));
    }
    replaced.push_back(s.path);
    const fs::path p(s.path);
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
      ::fsync(dfd);  // the rename itself survives a crash
      ::close(dfd);
    }
  }
  return Ok{};
}

}  // namespace aegis
