#include "sign/pack.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "util/file_io.h"

namespace aegis::sign {
namespace {
namespace fs = std::filesystem;

struct Item {
  std::string rel;  // generic, '/'-separated
  fs::path path;
  fs::file_type type;
};

// Does the symlink at `link` stay inside the tree `real_root` (canonical)? Lexically first,
// then through the real tree: links can escape through one another (`d/up -> ..`, then
// `esc -> d/up/d/up/../../x`), and the archive must not carry such a chain.
bool StaysInside(const fs::path& real_root, const fs::path& link, const std::string& rel, const std::string& target) {
  if (target.empty() || target.front() == '/') return false;
  fs::path lexical = (fs::path(rel).parent_path() / target).lexically_normal();
  if (lexical.empty() || *lexical.begin() == "..") return false;
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(link.parent_path() / target, ec);
  if (ec) return false;  // a loop
  auto [end, _] = std::mismatch(real_root.begin(), real_root.end(), resolved.begin(), resolved.end());
  return end == real_root.end();
}

}  // namespace

Expected<PackStats> PackModel(const std::string& model_dir, const std::string& out, int64_t mtime,
                              const std::function<void(uint64_t)>& on_bytes) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(model_dir, ec))) return Error{ErrorKind::kUsage, model_dir, {}, "not a directory"};
  fs::path root = fs::path(model_dir).lexically_normal();
  if (!root.has_filename()) root = root.parent_path();
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return Error{ErrorKind::kIo, model_dir, {}, "cannot resolve: " + ec.message()};
  std::vector<Item> items;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fs::file_type t = it->symlink_status().type();
    std::string rel = it->path().lexically_relative(root).generic_string();  // never resolves symlinks
    if (t == fs::file_type::symlink) {
      std::string target = fs::read_symlink(it->path(), ec).string();
      if (ec || !StaysInside(real_root, it->path(), rel, target)) {
        return Error{ErrorKind::kUsage, it->path().string(), {}, fmt::format("symlink to {:?} leaves the model directory", target)};
      }
    } else if (t != fs::file_type::regular && t != fs::file_type::directory) {
      return Error{ErrorKind::kUsage, it->path().string(), {}, "special file (device, FIFO or socket) cannot be packed"};
    }
    items.push_back({rel, it->path(), t});
  }
  if (ec) return Error{ErrorKind::kIo, model_dir, {}, "cannot list: " + ec.message()};
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.rel < b.rel; });

  auto file = OutputFile::Open(out, 0644);
  if (!file) return file.error();
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_write_new(), archive_write_free);
  archive_write_set_format_pax_restricted(a.get());
  archive_write_add_filter_gzip(a.get());
  archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr);  // no mtime in the gzip header
  archive_write_set_bytes_in_last_block(a.get(), 1);
  auto fail = [&](Error e) {
    a.reset();
    return e;  // the temporary goes with `file`
  };
  const int fd = file->fd();
  if (archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) return fail(Error{ErrorKind::kIo, out, {}, archive_error_string(a.get())});
  PackStats stats;
  std::vector<char> buf(1 << 20);
  for (const Item& item : items) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(e.get(), item.type == fs::file_type::directory ? (item.rel + "/").c_str() : item.rel.c_str());
    archive_entry_set_mtime(e.get(), mtime, 0);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    uint64_t size = 0;
    if (item.type == fs::file_type::directory) {
      archive_entry_set_filetype(e.get(), AE_IFDIR);
      archive_entry_set_perm(e.get(), 0755);
    } else if (item.type == fs::file_type::symlink) {
      archive_entry_set_filetype(e.get(), AE_IFLNK);
      archive_entry_set_perm(e.get(), 0777);
      archive_entry_set_symlink(e.get(), fs::read_symlink(item.path, ec).c_str());
    } else {
      size = fs::file_size(item.path, ec);
      if (ec) return fail(Error{ErrorKind::kIo, item.path.string(), {}, "cannot stat"});
      auto perms = fs::status(item.path, ec).permissions();
      bool exec = (perms & fs::perms::owner_exec) != fs::perms::none;
      archive_entry_set_filetype(e.get(), AE_IFREG);
      archive_entry_set_perm(e.get(), exec ? 0755 : 0644);
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    }
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) {
      return fail(Error{ErrorKind::kIo, item.path.string(), {}, archive_error_string(a.get())});
    }
    if (item.type == fs::file_type::regular) {
      std::FILE* f = std::fopen(item.path.c_str(), "rb");
      if (f == nullptr) return fail(Error{ErrorKind::kIo, item.path.string(), {}, "cannot open"});
      uint64_t done = 0;
      size_t n = 0;
      while (done < size && (n = std::fread(buf.data(), 1, std::min<uint64_t>(buf.size(), size - done), f)) > 0) {
        if (archive_write_data(a.get(), buf.data(), n) != static_cast<la_ssize_t>(n)) {
          std::fclose(f);
          return fail(Error{ErrorKind::kIo, out, {}, archive_error_string(a.get())});
        }
        done += n;
        if (on_bytes) on_bytes(n);
      }
      std::fclose(f);
      if (done != size) return fail(Error{ErrorKind::kIo, item.path.string(), {}, "the file changed while being packed"});
      ++stats.files;
      stats.bytes += size;
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return fail(Error{ErrorKind::kIo, out, {}, archive_error_string(a.get())});
  a.reset();
  if (Status st = file->Commit(); !st) return st.error();
  return stats;
}

}  // namespace aegis::sign
