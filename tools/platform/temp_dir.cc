#include "platform/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace aegis::platform {

namespace fs = std::filesystem;

Expected<TempDir> TempDir::Create(const std::string& parent, const std::string& prefix) {
  std::error_code ec;
  std::string base = parent.empty() ? fs::temp_directory_path(ec).string() : parent;
  if (ec) base = "/tmp";
  std::string tmpl = base + "/" + prefix + "XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return Error{ErrorKind::kIo, base, {}, fmt::format("cannot create a temporary directory: {}", std::strerror(errno))};
  }
  return TempDir(std::move(tmpl));
}

TempDir::TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace aegis::platform
