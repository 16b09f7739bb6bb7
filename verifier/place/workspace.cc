#include "verifier/place/workspace.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "util/strings.h"

#include <nlohmann/json.hpp>

#include "util/file_io.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kWorkPrefix = ".aegis-work-";

Error Io(const std::string& path, const std::string& what) { return Error{ErrorKind::kIo, path, {}, what}; }

// The entries the previous run's marker lists; empty when there is no (readable) marker.
std::vector<std::string> MarkerEntries(const std::string& dest) {
  auto text = ReadInput(dest + "/" + kMarkerName);
  if (!text) return {};
  json j = json::parse(*text, nullptr, false);
  std::vector<std::string> out;
  if (j.is_object() && j.contains("entries") && j["entries"].is_array()) {
    for (const auto& e : j["entries"]) {
      if (e.is_string()) {
        std::string name = e.get<std::string>();
        if (!name.empty() && name.find('/') == std::string::npos && name != "." && name != "..") out.push_back(name);
      }
    }
  }
  return out;
}

void SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Flushes the filesystem holding `path` (data and metadata).
Status SyncFilesystem(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Io(path, fmt::format("cannot open: {}", std::strerror(errno)));
  int r = ::syncfs(fd);
  int err = errno;
  ::close(fd);
  if (r != 0) return Io(path, fmt::format("cannot write the model to disk: {}", std::strerror(err)));
  return Ok{};
}

}  // namespace

Expected<Workspace> Workspace::Open(const std::string& dest_arg) {
  std::error_code ec;
  if (dest_arg.empty()) return Error{ErrorKind::kUsage, {}, {}, "empty destination directory"};
  fs::path dest = fs::path(dest_arg).lexically_normal();
  if (dest == dest.root_path()) return Error{ErrorKind::kUsage, dest_arg, {}, "refusing to use the root directory as the model directory"};
  std::string d = dest.string();
  if (!d.empty() && d.back() == '/') d.pop_back();
  auto st = fs::symlink_status(d, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) return Io(d, "cannot inspect: " + ec.message());
  if (!fs::exists(st)) {
    fs::create_directories(d, ec);
    if (ec) return Io(d, "cannot create the model directory: " + ec.message());
  } else if (!fs::is_directory(fs::status(d, ec))) {
    return Error{ErrorKind::kUsage, d, {}, "the destination exists and is not a directory"};
  }
  std::vector<std::string> previous = MarkerEntries(d);
  for (auto it = fs::directory_iterator(d, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(kWorkPrefix, 0) == 0) {
      fs::remove_all(it->path(), ec);  // a killed run's work area
      if (ec) return Io(it->path().string(), "cannot remove a stale work area: " + ec.message());
      continue;
    }
    if (name == kMarkerName || name == "lost+found") continue;
    if (std::find(previous.begin(), previous.end(), name) != previous.end()) continue;
    return Error{ErrorKind::kUsage, d, {},
                 fmt::format("the model directory holds {:?}, which verify-and-fetch did not place; "
                             "refusing to mix it with a verified model (use an empty directory)",
                             name)};
  }
  if (ec) return Io(d, "cannot list the model directory: " + ec.message());
  std::string tmpl = d + "/" + kWorkPrefix + "XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) return Io(d, fmt::format("cannot create a work area: {}", std::strerror(errno)));
  return Workspace(d, tmpl, std::move(previous));
}

Workspace::Workspace(Workspace&& o) noexcept
    : dest_(std::move(o.dest_)), work_(std::move(o.work_)), previous_(std::move(o.previous_)),
      placed_(std::move(o.placed_)), done_(o.done_) {
  o.done_ = true;
  o.work_.clear();
}

Workspace::~Workspace() {
  if (!done_) Abort();
}

void Workspace::RemovePrevious() {
  std::error_code ec;
  fs::remove(dest_ + "/" + kMarkerName, ec);
  for (const auto& name : previous_) fs::remove_all(dest_ + "/" + name, ec);
  previous_.clear();
}

void Workspace::Abort() {
  std::error_code ec;
  if (!work_.empty()) fs::remove_all(work_, ec);
  work_.clear();
  RemovePrevious();
  done_ = true;
}

Status Workspace::Place(const std::string& tree, const std::string& artifact, const std::string& sha256, const std::string& key) {
  std::error_code ec;
  std::vector<std::string> names;
  for (auto it = fs::directory_iterator(tree, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return Io(tree, "cannot list the verified tree: " + ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    // The whole ".aegis-" prefix is verify-and-fetch's (marker, work areas, temporaries).
    if (name.rfind(".aegis-", 0) == 0 || name == "lost+found") {
      return Error{VerifyError::kArchive, artifact, {}, fmt::format("top-level entry {} uses a name verify-and-fetch reserves", Quote(name))};
    }
    // The marker records the placed names so that a later run can replace them exactly.
    if (!IsValidUtf8(name)) {
      return Error{VerifyError::kArchive, artifact, {}, fmt::format("top-level entry {} is not valid UTF-8", Quote(name))};
    }
  }
  // The tree (files and directories) reaches the disk before its entries are renamed into
  // place: a crash after placement must not leave a marker vouching for data that never got
  // there. Downloads and extraction write without fsync (the kernel writes back meanwhile);
  // one syncfs of the work area's filesystem flushes it all at once, where an fsync per file
  // (and of the archive, deleted after extraction) held the download and the extraction up
  // (ci/bench_link.sh, a 4 GiB tar over 1 Gbit/s: 61 s with fsyncs, 48 s with syncfs).
  if (Status s = SyncFilesystem(tree); !s) return s;
  RemovePrevious();
  for (const auto& name : names) {
    if (::rename((tree + "/" + name).c_str(), (dest_ + "/" + name).c_str()) != 0) {
      int err = errno;
      for (const auto& p : placed_) fs::remove_all(dest_ + "/" + p, ec);
      placed_.clear();
      return Io(dest_ + "/" + name, fmt::format("cannot move into place: {}", std::strerror(err)));
    }
    placed_.push_back(name);
  }
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  json marker = {{"artifact", artifact}, {"sha256", sha256}, {"key", key}, {"entries", placed_},
                 {"placedAt", fmt::format("{}", static_cast<long long>(now))}};
  if (Status s = WriteFileAtomically(dest_ + "/" + kMarkerName, marker.dump(2, ' ', false, json::error_handler_t::replace) + "\n"); !s) {
    for (const auto& p : placed_) fs::remove_all(dest_ + "/" + p, ec);
    placed_.clear();
    return s;
  }
  fs::remove_all(work_, ec);
  work_.clear();
  SyncDir(dest_);
  done_ = true;
  return Ok{};
}

void StartWriteback(int fd) { ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE); }

void StartWriteback(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  StartWriteback(fd);
  ::close(fd);
}

Status PruneToSigned(const std::string& tree, const std::vector<std::string>& signed_files) {
  std::set<std::string> keep;
  for (const std::string& f : signed_files) {
    for (fs::path p = f; !p.empty(); p = p.parent_path()) {
      if (!keep.insert(p.generic_string()).second) break;
    }
  }
  std::error_code ec;
  std::vector<fs::path> doomed;
  const fs::path root(tree);
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (keep.count(it->path().lexically_relative(root).generic_string())) continue;
    doomed.push_back(it->path());
    std::error_code sec;
    if (it->symlink_status(sec).type() == fs::file_type::directory) it.disable_recursion_pending();
  }
  if (ec) return Error{ErrorKind::kIo, tree, {}, "cannot list the verified tree: " + ec.message()};
  for (const fs::path& p : doomed) {
    fs::remove_all(p, ec);
    if (ec) return Error{ErrorKind::kIo, p.string(), {}, "cannot remove unsigned content: " + ec.message()};
  }
  return Ok{};
}

}  // namespace aegis::verifier
