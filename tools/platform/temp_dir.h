// A fresh private directory (mode 0700, unpredictable name), removed with its contents when
// the owner goes out of scope.
#pragma once

#include <string>

#include "util/expected.h"

namespace aegis::platform {

class TempDir {
 public:
  // Created under `parent` (empty: the system's temporary directory) as `<prefix>XXXXXX`.
  static Expected<TempDir> Create(const std::string& parent, const std::string& prefix);

  TempDir(TempDir&& o) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace aegis::platform
