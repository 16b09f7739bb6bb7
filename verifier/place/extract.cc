#include "verifier/place/extract.h"
#include "platform/fd.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/workspace.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace aegis::verifier {
namespace {

using platform::Fd;

namespace fs = std::filesystem;

enum class Kind { kDir, kFile, kSymlink };

// Splits a relative path into components; nullopt when it is unsafe.
std::optional<std::vector<std::string>> Components(std::string_view path, std::string* why) {
  auto fail = [&](const char* reason) -> std::optional<std::vector<std::string>> {
    *why = reason;
    return std::nullopt;
  };
  if (path.empty()) return fail("empty path");
  if (path.front() == '/') return fail("absolute path");
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view c = path.substr(start, slash - start);
    if (c == "..") return fail("`..` in path");
    if (!c.empty() && c != ".") parts.emplace_back(c);
    start = slash + 1;
  }
  if (parts.empty()) return fail("path names no entry");
  return parts;
}

std::string Join(const std::vector<std::string>& parts, size_t n) {
  std::string out;
  for (size_t i = 0; i < n && i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

class Extractor {
 public:
  Extractor(const std::string& staging, const ExtractLimits& limits, uint64_t archive_size)
      : staging_(staging), limits_(limits), archive_size_(archive_size == 0 ? 1 : archive_size) {}

  Status Run(struct archive* a);
  const ExtractStats& stats() const { return stats_; }

 private:
  Error Reject(const std::string& entry, const std::string& why) const {
    return Error{VerifyError::kArchive, {}, {}, entry.empty() ? why : fmt::format("entry {:?}: {}", entry, why)};
  }
  Error Local(const std::string& entry, const std::string& what) const {
    return Error{ErrorKind::kIo, {}, {}, fmt::format("{} {}: {}", what, entry, std::strerror(errno))};
  }
  // The directory holding `parts` (all but the last), opened without following links;
  // missing parents are created (archives need not list their directories).
  Status CheckSymlinks();
  Expected<Fd> ParentDir(const std::vector<std::string>& parts, const std::string& entry);
  Status Entry(struct archive* a, struct archive_entry* e);
  // `declared` is the entry's size (a sparse file's trailing hole is only there).
  Status WriteFile(struct archive* a, int dir, const std::string& name, const std::string& entry, mode_t mode, uint64_t declared);
  Status Count(const std::string& entry, uint64_t grown, uint64_t file_size);

  std::string staging_;
  ExtractLimits limits_;
  uint64_t archive_size_;
  Fd root_;
  std::map<std::string, Kind> seen_;
  ExtractStats stats_;
};

Expected<Fd> Extractor::ParentDir(const std::vector<std::string>& parts, const std::string& entry) {
  Fd dir(dup(root_.get()));
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    std::string prefix = Join(parts, i + 1);
    auto it = seen_.find(prefix);
    if (it != seen_.end() && it->second == Kind::kSymlink) return Reject(entry, fmt::format("passes through the symlink {}", prefix));
    if (it != seen_.end() && it->second == Kind::kFile) return Reject(entry, fmt::format("{} is a file, not a directory", prefix));
    if (it == seen_.end()) {
      if (mkdirat(dir.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST) return Local(prefix, "cannot create directory");
      seen_[prefix] = Kind::kDir;
    }
    Fd next(openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next.get() < 0) return Reject(entry, fmt::format("{} is not a plain directory", prefix));
    dir = std::move(next);
  }
  return dir;
}

// Adds `grown` bytes to the total and checks every limit (a hole counts as data: it is
// placed as zeros, and a sparse header must not be a way around the limits).
Status Extractor::Count(const std::string& entry, uint64_t grown, uint64_t file_size) {
  stats_.bytes += grown;
  if (file_size > limits_.max_file_bytes) return Reject(entry, fmt::format("larger than the {} byte file limit", limits_.max_file_bytes));
  if (stats_.bytes > limits_.max_total_bytes) return Reject(entry, fmt::format("archive expands past the {} byte limit", limits_.max_total_bytes));
  if (stats_.bytes > limits_.ratio_floor_bytes && stats_.bytes / archive_size_ > limits_.max_ratio) {
    return Reject(entry, fmt::format("expands more than {}x its compressed size (decompression bomb?)", limits_.max_ratio));
  }
  return Ok{};
}

Status Extractor::WriteFile(struct archive* a, int dir, const std::string& name, const std::string& entry, mode_t mode, uint64_t declared) {
  if (declared > limits_.max_file_bytes) return Reject(entry, fmt::format("larger than the {} byte file limit", limits_.max_file_bytes));
  Fd out(openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (out.get() < 0) return Local(entry, "cannot create");
  uint64_t written = 0;
  for (;;) {
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int r = archive_read_data_block(a, &buf, &size, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK) return Reject(entry, fmt::format("corrupt data: {}", archive_error_string(a) ? archive_error_string(a) : "read error"));
    if (offset < 0) return Reject(entry, "negative data offset");
    uint64_t end = static_cast<uint64_t>(offset) + size;
    if (end < static_cast<uint64_t>(offset)) return Reject(entry, "data offset overflows");
    uint64_t grown = end > written ? end - written : 0;
    written = std::max(written, end);
    if (Status s = Count(entry, grown, written); !s) return s;
    const char* p = static_cast<const char*>(buf);
    size_t left = size;
    off_t at = static_cast<off_t>(offset);
    while (left > 0) {
      ssize_t n = pwrite(out.get(), p, left, at);
      if (n <= 0) return Local(entry, "cannot write");
      p += n;
      at += n;
      left -= static_cast<size_t>(n);
    }
  }
  // A sparse file ends in a hole when its declared size is past its last data block.
  if (declared > written) {
    if (Status s = Count(entry, declared - written, declared); !s) return s;
    written = declared;
  }
  if (ftruncate(out.get(), static_cast<off_t>(written)) != 0) return Local(entry, "cannot size");
  StartWriteback(out.get());  // on disk before placement: Workspace::Place's syncfs
  return Ok{};
}

Status Extractor::Entry(struct archive* a, struct archive_entry* e) {
  const char* raw = archive_entry_pathname_utf8(e);
  if (raw == nullptr) raw = archive_entry_pathname(e);
  if (raw == nullptr) return Reject("", "an entry has no name");
  std::string entry = raw;
  if (entry.size() > limits_.max_path_bytes) {
    return Reject(entry.substr(0, 64) + "…", fmt::format("name longer than {} bytes", limits_.max_path_bytes));
  }
  if (++stats_.entries > limits_.max_entries) return Reject(entry, fmt::format("more than {} entries", limits_.max_entries));
  std::string why;
  auto parts = Components(entry, &why);
  if (!parts && archive_entry_filetype(e) == AE_IFDIR && entry.find_first_not_of("./") == std::string::npos &&
      entry.find("..") == std::string::npos) {
    return Ok{};  // "./" from `tar -C dir .`: the staging root itself
  }
  if (!parts) return Reject(entry, why);
  for (const std::string& c : *parts) {  // the filesystem's NAME_MAX: an archive fault, not a local one
    if (c.size() > 255) return Reject(entry.substr(0, 64) + "…", "a path component longer than 255 bytes");
  }
  std::string path = Join(*parts, parts->size());
  mode_t mode = archive_entry_mode(e);
  if (mode & (S_ISUID | S_ISGID)) return Reject(entry, "setuid/setgid bit");
  const char* hardlink = archive_entry_hardlink(e);
  mode_t type = archive_entry_filetype(e);
  if (hardlink == nullptr && type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
    return Reject(entry, "device, FIFO or socket node");
  }
  auto existing = seen_.find(path);
  if (existing != seen_.end()) {
    if (type == AE_IFDIR && hardlink == nullptr && existing->second == Kind::kDir) return Ok{};  // repeated directory
    return Reject(entry, "duplicate path: it would replace an earlier entry");
  }
  auto dir = ParentDir(*parts, entry);
  if (!dir) return dir.error();
  const std::string& name = parts->back();

  if (hardlink != nullptr) {
    std::string target_why;
    auto target = Components(hardlink, &target_why);
    if (!target) return Reject(entry, fmt::format("hardlink target {}", target_why));
    std::string target_path = Join(*target, target->size());
    auto t = seen_.find(target_path);
    if (t == seen_.end() || t->second != Kind::kFile) {
      return Reject(entry, fmt::format("hardlink to {}, which is not a regular file extracted before it", target_path));
    }
    if (linkat(root_.get(), target_path.c_str(), dir->get(), name.c_str(), 0) != 0) return Local(entry, "cannot link");
    seen_[path] = Kind::kFile;
    return Ok{};
  }
  if (type == AE_IFDIR) {
    if (mkdirat(dir->get(), name.c_str(), 0755) != 0) return Local(entry, "cannot create directory");
    seen_[path] = Kind::kDir;
    return Ok{};
  }
  if (type == AE_IFLNK) {
    const char* target = archive_entry_symlink(e);
    if (target == nullptr || *target == '\0') return Reject(entry, "symlink without target");
    if (target[0] == '/') return Reject(entry, fmt::format("symlink to the absolute path {}", target));
    // Resolve lexically from the link's directory: it must stay inside the tree.
    long depth = static_cast<long>(parts->size()) - 1;
    std::string_view t(target);
    size_t start = 0;
    while (start <= t.size()) {
      size_t slash = t.find('/', start);
      if (slash == std::string_view::npos) slash = t.size();
      std::string_view c = t.substr(start, slash - start);
      if (c == "..") --depth;
      else if (!c.empty() && c != ".") ++depth;
      if (depth < 0) return Reject(entry, fmt::format("symlink to {} leaves the tree", target));
      start = slash + 1;
    }
    if (symlinkat(target, dir->get(), name.c_str()) != 0) return Local(entry, "cannot create symlink");
    seen_[path] = Kind::kSymlink;
    return Ok{};
  }
  uint64_t declared = archive_entry_size_is_set(e) && archive_entry_size(e) > 0 ? static_cast<uint64_t>(archive_entry_size(e)) : 0;
  auto st = WriteFile(a, dir->get(), name, entry, static_cast<mode_t>((mode & 0755) | 0600), declared);
  if (!st) return st;
  seen_[path] = Kind::kFile;
  return Ok{};
}

Status Extractor::Run(struct archive* a) {
  if (mkdir(staging_.c_str(), 0755) != 0) return Local(staging_, "cannot create staging directory");
  root_ = Fd(open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (root_.get() < 0) return Local(staging_, "cannot open staging directory");
  for (;;) {
    struct archive_entry* e = nullptr;
    int r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK) {
      const char* msg = archive_error_string(a);
      return Reject("", fmt::format("corrupt or unsupported archive: {}", msg ? msg : "unreadable header"));
    }
    auto st = Entry(a, e);
    if (!st) return st;
  }
  if (stats_.entries == 0) return Reject("", "the archive holds no entries");
  return CheckSymlinks();
}

// The per-entry check of a symlink is lexical; links can still escape through one another
// (`d/up -> ..`, then `esc -> d/up/d/up/../../x`), whatever their order in the archive. Once
// the tree is complete, every link's target is resolved through the real tree and must stay
// inside; as every link is checked, a path through several links stays inside too.
Status Extractor::CheckSymlinks() {
  std::error_code ec;
  const fs::path root = fs::canonical(staging_, ec);
  if (ec) return Local(staging_, "cannot resolve the staging directory");
  for (const auto& [path, kind] : seen_) {
    if (kind != Kind::kSymlink) continue;
    // The target text from the link's directory (a dangling link must not count as itself).
    std::error_code rec;
    const fs::path link = root / path;
    const fs::path target = fs::read_symlink(link, rec);
    const fs::path resolved = rec ? fs::path() : fs::weakly_canonical(link.parent_path() / target, rec);
    if (rec) return Reject(path, fmt::format("symlink does not resolve: {}", rec.message()));
    auto [end, _] = std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
    if (end != root.end()) return Reject(path, "symlink leaves the tree through another symlink");
  }
  return Ok{};
}

}  // namespace

namespace {

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;

Expected<ExtractStats> ExtractOpened(struct archive* a, const std::string& name, uint64_t size, const std::string& staging,
                                     const ExtractLimits& limits) {
  Extractor x(staging, limits, size);
  Status st = x.Run(a);
  if (!st) {
    std::error_code ec;
    fs::remove_all(staging, ec);  // never leave a partial tree behind
    Error e = st.error();
    if (e.file.empty()) e.file = name;
    return e;
  }
  return x.stats();
}

// libarchive's client: reads through an ArchiveReader, keeping its first error.
struct StreamClient {
  explicit StreamClient(const ArchiveReader& r) : read(&r) {}
  const ArchiveReader* read;
  uint64_t offset = 0;
  std::vector<char> buffer = std::vector<char>(1 << 20);
  std::optional<Error> failure;
};

la_ssize_t ReadStream(struct archive* a, void* data, const void** out) {
  auto* c = static_cast<StreamClient*>(data);
  auto got = (*c->read)(c->offset, c->buffer.data(), c->buffer.size());
  if (!got) {
    c->failure = got.error();
    archive_set_error(a, EIO, "the archive could not be read");
    return -1;
  }
  c->offset += *got;
  *out = c->buffer.data();
  return static_cast<la_ssize_t>(*got);
}

}  // namespace

Expected<ExtractStats> ExtractArchive(const std::string& archive, const std::string& staging,
                                      const ExtractLimits& limits) {
  std::error_code ec;
  uint64_t size = fs::file_size(archive, ec);
  if (ec) return Error{ErrorKind::kIo, archive, {}, "cannot read the archive: " + ec.message()};
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  if (archive_read_open_filename(a.get(), archive.c_str(), 1 << 16) != ARCHIVE_OK) {
    const char* msg = archive_error_string(a.get());
    return Error{VerifyError::kArchive, archive, {}, fmt::format("not a tar, tar.gz, tar.zst or zip archive: {}", msg ? msg : "?")};
  }
  return ExtractOpened(a.get(), archive, size, staging, limits);
}

Expected<ExtractStats> ExtractTarStream(const std::string& name, uint64_t size, const ArchiveReader& read,
                                        const std::string& staging, const ExtractLimits& limits) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  StreamClient client(read);
  if (archive_read_open(a.get(), &client, nullptr, ReadStream, nullptr) != ARCHIVE_OK) {
    if (client.failure) return *client.failure;
    const char* msg = archive_error_string(a.get());
    return Error{VerifyError::kArchive, name, {}, fmt::format("not a tar, tar.gz or tar.zst archive: {}", msg ? msg : "?")};
  }
  auto x = ExtractOpened(a.get(), name, size, staging, limits);
  if (!x && client.failure) return *client.failure;  // the download failed, not the archive
  return x;
}

}  // namespace aegis::verifier
