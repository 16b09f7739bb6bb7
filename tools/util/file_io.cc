#include "util/file_io.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

namespace aegis {
namespace fs = std::filesystem;

namespace {

Error IoError(const std::string& path, std::string_view what) {
  return Error{ErrorKind::kIo, path, {}, std::string(what)};
}

bool IsManifestFile(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

Expected<std::string> ReadInput(const std::string& path) {
  bool is_stdin = path == "-";
  std::string name = is_stdin ? "<stdin>" : path;
  std::FILE* f = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IoError(name, fmt::format("cannot open: {}", std::strerror(errno)));
  std::string data;
  struct stat st {};
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
    data.reserve(static_cast<size_t>(st.st_size));  // one allocation, one copy for regular files
  }
  char buf[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
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
    if (ec || !fs::exists(status)) {
      out.errors.push_back(IoError(arg, "no such file or directory"));
      continue;
    }
    if (!fs::is_directory(status)) {
      out.files.push_back(arg);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file() && IsManifestFile(it->path())) found.push_back(it->path().string());
    }
    if (ec) out.errors.push_back(IoError(arg, fmt::format("cannot list directory: {}", ec.message())));
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  fs::path target(path);
  fs::path tmp = target;
  tmp += ".aegis-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError(path, "cannot create temporary file");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ignore;
      fs::remove(tmp, ignore);
      return IoError(path, "write failed");
    }
  }
  std::error_code ec;
  if (auto st = fs::status(target, ec); !ec && fs::exists(st)) {
    fs::permissions(tmp, st.permissions(), ec);  // keep the file's mode
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return IoError(path, "cannot replace file");
  }
  return Ok{};
}

}  // namespace aegis
