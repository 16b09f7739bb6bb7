#include "verifier/place/oci_image.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {

// "./models/x" and "/models/x" as "models/x".
std::string Normal(std::string p) {
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  while (!p.empty() && p.front() == '/') p.erase(0, 1);
  return p;
}

}  // namespace

bool IsImageLayer(const std::string& media_type) {
  for (const char* t : {"application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
                        "application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.docker.image.rootfs.diff.tar.gzip"}) {
    if (media_type == t) return true;
  }
  return false;
}

Expected<uint64_t> FilterLayer(const std::string& layer, const std::string& filtered, const std::string& prefix, const ExtractLimits& limits) {
  std::unique_ptr<struct archive, int (*)(struct archive*)> in(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(in.get());
  archive_read_support_filter_gzip(in.get());
  archive_read_support_filter_zstd(in.get());
  archive_read_support_filter_none(in.get());
  if (archive_read_open_filename(in.get(), layer.c_str(), 1 << 16) != ARCHIVE_OK) {
    return Error{VerifyError::kArchive, layer, {}, fmt::format("not a tar layer: {}", archive_error_string(in.get()))};
  }
  std::unique_ptr<struct archive, int (*)(struct archive*)> out(archive_write_new(), archive_write_free);
  archive_write_set_format_pax_restricted(out.get());
  if (archive_write_open_filename(out.get(), filtered.c_str()) != ARCHIVE_OK) {
    return Error{ErrorKind::kIo, filtered, {}, archive_error_string(out.get())};
  }
  uint64_t kept = 0, seen = 0;
  archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(in.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return Error{VerifyError::kArchive, layer, {}, fmt::format("corrupt layer: {}", archive_error_string(in.get()))};
    }
    if (++seen > limits.max_entries * 4) return Error{ErrorKind::kLimit, layer, {}, "too many entries in the layer"};
    const char* raw = archive_entry_pathname(e);
    std::string path = Normal(raw != nullptr ? raw : "");
    if (path.rfind(prefix, 0) != 0) continue;  // the base image, not the model
    std::string rel = path.substr(prefix.size());
    if (rel.empty() || rel == "/") continue;  // models/ itself
    std::string trimmed = rel.back() == '/' ? rel.substr(0, rel.size() - 1) : rel;
    std::string base = trimmed.substr(trimmed.find_last_of('/') == std::string::npos ? 0 : trimmed.find_last_of('/') + 1);
    if (base.rfind(".wh.", 0) == 0) {
      return Error{VerifyError::kArchive, layer, {}, fmt::format("{:?}: a layer that deletes model files (a whiteout) is not supported", path)};
    }
    if (++kept > limits.max_entries) return Error{ErrorKind::kLimit, layer, {}, fmt::format("more than {} model entries", limits.max_entries)};
    archive_entry_set_pathname(e, rel.c_str());
    if (const char* link = archive_entry_hardlink(e); link != nullptr) {
      std::string target = Normal(link);
      if (target.rfind(prefix, 0) != 0) {
        return Error{VerifyError::kArchive, layer, {}, fmt::format("{:?}: a hard link to {:?}, outside the model", path, std::string(link))};
      }
      archive_entry_set_hardlink(e, target.substr(prefix.size()).c_str());
    }
    if (archive_entry_size_is_set(e) && static_cast<uint64_t>(archive_entry_size(e)) > limits.max_file_bytes) {
      return Error{ErrorKind::kLimit, layer, {}, fmt::format("{:?} is larger than {} bytes", path, limits.max_file_bytes)};
    }
    const la_int64_t size_total = archive_entry_size(e);
    archive_entry_sparse_clear(e);  // written whole: holes as zeros (placed at full size anyway)
    if (archive_write_header(out.get(), e) != ARCHIVE_OK) {
      return Error{ErrorKind::kIo, filtered, {}, fmt::format("{:?}: {}", path, archive_error_string(out.get()))};
    }
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0, pos = 0;
    static const std::string kZeros(1 << 16, '\0');
    auto zeros_to = [&](la_int64_t to) {
      for (; pos < to; pos += static_cast<la_int64_t>(std::min<size_t>(kZeros.size(), static_cast<size_t>(to - pos)))) {
        size_t n = std::min<size_t>(kZeros.size(), static_cast<size_t>(to - pos));
        if (archive_write_data(out.get(), kZeros.data(), n) < 0) return false;
      }
      return true;
    };
    for (;;) {
      int d = archive_read_data_block(in.get(), &buf, &size, &offset);
      if (d == ARCHIVE_EOF) break;
      if (d != ARCHIVE_OK || offset < pos) return Error{VerifyError::kArchive, layer, {}, fmt::format("corrupt layer at {:?}", path)};
      if (!zeros_to(offset) || archive_write_data(out.get(), buf, size) < 0) {
        return Error{ErrorKind::kIo, filtered, {}, archive_error_string(out.get())};
      }
      pos = offset + static_cast<la_int64_t>(size);
    }
    if (archive_entry_filetype(e) == AE_IFREG && !zeros_to(size_total)) {
      return Error{ErrorKind::kIo, filtered, {}, archive_error_string(out.get())};
    }
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK) return Error{ErrorKind::kIo, filtered, {}, archive_error_string(out.get())};
  return kept;
}

}  // namespace aegis::verifier
