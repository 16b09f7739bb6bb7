#include "verifier/sources/oci_tree.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "platform/net_error.h"
#include "verifier/common/parallel.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/oci_image.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

// Regular files and directories under `root`: their count and bytes (what an unpacked layer added).
TreeResult Count(const std::string& root) {
  TreeResult t;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      ++t.files;
      t.bytes += it->file_size(ec);
    }
  }
  return t;
}

// Places `layer` (an extracted layer's model entries) over `dir` as an image's layers stack:
// a later file replaces an earlier one; a file where a directory is (or the reverse), or an
// entry under a symbolic link of an earlier layer, refuses the image.
Status Overlay(const std::string& layer, const std::string& dir, const std::string& shown) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (auto it = fs::recursive_directory_iterator(layer, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string rel = fs::relative(it->path(), layer, ec).generic_string();
    fs::path target = fs::path(dir) / rel;
    for (fs::path p = target.parent_path(); p != fs::path(dir) && p.has_relative_path(); p = p.parent_path()) {
      if (fs::is_symlink(fs::symlink_status(p, ec))) {
        return Error{VerifyError::kArchive, shown, {}, fmt::format("{:?} lies under a symbolic link of an earlier layer", rel)};
      }
    }
    fs::file_status have = fs::symlink_status(target, ec), want = it->symlink_status(ec);
    if (fs::is_directory(want)) {
      if (fs::exists(have) && !fs::is_directory(have)) return Error{VerifyError::kArchive, shown, {}, fmt::format("{:?} is a file in one layer and a directory in another", rel)};
      fs::create_directories(target, ec);
      continue;
    }
    if (fs::is_directory(have)) return Error{VerifyError::kArchive, shown, {}, fmt::format("{:?} is a directory in one layer and a file in another", rel)};
    fs::rename(it->path(), target, ec);
    if (ec) return Error{ErrorKind::kIo, target.string(), {}, "cannot place the layer's file: " + ec.message()};
  }
  if (ec) return Error{ErrorKind::kIo, layer, {}, "cannot read the extracted layer: " + ec.message()};
  return Ok{};
}

// A container image's layers (a KServe modelcar): each one's models/ entries, extracted, stacked.
Expected<TreeResult> FetchModelcar(RegistryClient& client, const OciManifest& manifest, const std::string& dir, const std::string& scratch,
                                   const ExtractLimits& limits, int parallel) {
  const std::string shown = manifest.digest;
  std::vector<uint64_t> kept(manifest.layers.size(), 0);
  Status done = ParallelFor(manifest.layers.size(), parallel, [&](size_t i) -> Status {
    const OciLayer& l = manifest.layers[i];
    std::string blob = fmt::format("{}.{}.blob", scratch, i), tar = fmt::format("{}.{}.tar", scratch, i);
    auto got = client.GetBlob(l.digest, l.size, blob);
    if (!got) return got.error();
    auto filtered = FilterLayer(blob, tar, kModelcarDir, limits);
    std::error_code ec;
    fs::remove(blob, ec);
    if (!filtered) return filtered.error();
    kept[i] = *filtered;
    if (*filtered == 0) {  // a layer of the base image only
      fs::remove(tar, ec);
      return Ok{};
    }
    auto extracted = ExtractArchive(tar, fmt::format("{}.{}.unpacked", scratch, i), limits);
    fs::remove(tar, ec);
    if (!extracted) return extracted.error();
    return Ok{};
  });
  if (!done) return done.error();
  uint64_t entries = 0;
  for (size_t i = 0; i < manifest.layers.size(); ++i) {
    entries += kept[i];
    if (kept[i] == 0) continue;
    std::string staging = fmt::format("{}.{}.unpacked", scratch, i);
    Status s = Overlay(staging, dir, shown);
    std::error_code ec;
    fs::remove_all(staging, ec);
    if (!s) return s.error();
  }
  if (entries == 0) return Error{NetError::kNotFound, shown, {}, "the image has no /models directory (a KServe modelcar keeps its model there)"};
  return Count(dir);
}

}  // namespace

Expected<TreeResult> FetchOciTree(RegistryClient& client, const OciManifest& manifest, const std::string& dir, const std::string& scratch,
                                  const ExtractLimits& limits, int parallel) {
  const std::string shown = manifest.digest;
  if (manifest.layers.empty()) return Error{NetError::kNotFound, shown, {}, "the artifact has no layers"};
  const bool image = std::all_of(manifest.layers.begin(), manifest.layers.end(), [](const OciLayer& l) { return l.title.empty(); });
  if (image) {
    for (const OciLayer& l : manifest.layers) {
      if (!IsImageLayer(l.media_type)) {
        return Error{ErrorKind::kUsage, shown, {}, fmt::format("layer {} ({:?}) is neither a file of an artifact nor an image layer", l.digest, l.media_type)};
      }
    }
    uint64_t compressed = 0;
    for (const OciLayer& l : manifest.layers) compressed += l.size;
    if (compressed > limits.max_total_bytes) return Error{ErrorKind::kLimit, shown, {}, fmt::format("the layers exceed {} bytes", limits.max_total_bytes)};
    return FetchModelcar(client, manifest, dir, scratch, limits, parallel);
  }
  uint64_t total = 0;
  std::vector<std::string> names;
  for (const OciLayer& l : manifest.layers) {
    if (l.title.empty()) {
      return Error{ErrorKind::kUsage, shown, {},
                   fmt::format("layer {} has no org.opencontainers.image.title, and others have one: neither an artifact of "
                               "files nor a container image",
                               l.digest)};
    }
    std::string rel = l.title;
    while (!rel.empty() && rel.back() == '/') rel.pop_back();
    if (rel != "." || !l.unpack) {
      if (auto bad = BadTreePath(rel, limits.max_path_bytes)) {
        return Error{VerifyError::kArchive, shown, {}, fmt::format("layer title {:?} cannot be a path of the model: {}", l.title, *bad)};
      }
    }
    if (l.size > limits.max_file_bytes && !l.unpack) {
      return Error{ErrorKind::kLimit, shown, {}, fmt::format("layer {:?} is larger than {} bytes", l.title, limits.max_file_bytes)};
    }
    total += l.size;
    if (total > limits.max_total_bytes) return Error{ErrorKind::kLimit, shown, {}, fmt::format("the layers exceed {} bytes", limits.max_total_bytes)};
    names.push_back(rel);
  }
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    if (sorted[i] == sorted[i + 1] || sorted[i + 1].rfind(sorted[i] + "/", 0) == 0) {
      return Error{VerifyError::kArchive, shown, {}, fmt::format("{:?} is named by two layers, or is both a file and a directory", sorted[i])};
    }
  }
  // One packed directory and nothing else: the model is that directory's content.
  const bool whole = manifest.layers.size() == 1 && manifest.layers[0].unpack;
  std::error_code ec;
  if (!whole) fs::create_directories(dir, ec);
  if (ec) return Error{ErrorKind::kIo, dir, {}, "cannot create the model directory: " + ec.message()};
  for (size_t i = 0; i < names.size(); ++i) {
    size_t slash = names[i].rfind('/');
    if (!whole && slash != std::string::npos && !manifest.layers[i].unpack) fs::create_directories(dir + "/" + names[i].substr(0, slash), ec);
    if (ec) return Error{ErrorKind::kIo, dir, {}, "cannot create the model directory: " + ec.message()};
  }
  Status done = ParallelFor(manifest.layers.size(), parallel, [&](size_t i) -> Status {
    const OciLayer& l = manifest.layers[i];
    if (!l.unpack) {
      std::string path = dir + "/" + names[i];
      auto got = client.GetBlob(l.digest, l.size, path);
      if (!got) return got.error();
      std::error_code pec;
      fs::permissions(path, fs::perms(0644), fs::perm_options::replace, pec);
      if (pec) return Error{ErrorKind::kIo, path, {}, "cannot set permissions: " + pec.message()};
      return Ok{};
    }
    std::string blob = fmt::format("{}.{}.blob", scratch, i), staging = fmt::format("{}.{}.unpacked", scratch, i);
    auto got = client.GetBlob(l.digest, l.size, blob);
    if (!got) return got.error();
    auto extracted = ExtractArchive(blob, staging, limits);
    std::error_code rec;
    fs::remove(blob, rec);
    if (!extracted) return extracted.error();
    // ORAS packs the directory under its own name; "." packs its content.
    std::string inner = names[i] == "." ? staging : staging + "/" + names[i];
    std::error_code sec;
    if (!fs::is_directory(fs::symlink_status(inner, sec))) {
      fs::remove_all(staging, rec);
      return Error{VerifyError::kArchive, shown, {}, fmt::format("layer {:?} does not hold the directory it is titled", l.title)};
    }
    std::string target = whole ? dir : dir + "/" + names[i];
    if (!whole && names[i].find('/') != std::string::npos) fs::create_directories(fs::path(target).parent_path(), sec);
    fs::rename(inner, target, sec);
    fs::remove_all(staging, rec);
    if (sec) return Error{ErrorKind::kIo, target, {}, "cannot place the unpacked layer: " + sec.message()};
    return Ok{};
  });
  if (!done) return done.error();
  TreeResult t = Count(dir);
  if (t.bytes > limits.max_total_bytes) return Error{ErrorKind::kLimit, shown, {}, fmt::format("the model exceeds {} bytes", limits.max_total_bytes)};
  return t;
}

}  // namespace aegis::verifier
