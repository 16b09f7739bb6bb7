#include "verifier/trust/model_tree.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "verifier/common/crypto.h"
#include "verifier/common/parallel.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Error Bad(std::string msg) { return Error{VerifyError::kSignature, {}, {}, std::move(msg)}; }

std::string Str(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// The digest of bytes [start, end) of a file (end = UINT64_MAX: to its end), as hex.
Expected<std::string> DigestRange(const std::string& file, const EVP_MD* md, uint64_t start, uint64_t end) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Error{ErrorKind::kIo, file, {}, "cannot open for hashing"};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  std::vector<char> buf(1 << 20);
  uint64_t at = start;
  while (at < end) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), end - at));
    ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(at));
    if (n < 0) {
      ::close(fd);
      return Error{ErrorKind::kIo, file, {}, "cannot read for hashing"};
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n));
    at += static_cast<uint64_t>(n);
  }
  ::close(fd);
  if (end != UINT64_MAX && at != end) return Bad(fmt::format("{} is shorter than its signed shards", file));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), out, &len);
  return Hex(std::string_view(reinterpret_cast<char*>(out), len));
}

std::string Unhex(const std::string& hex) {
  std::string raw;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return raw;
}

struct Serialization {
  bool shards = false;
  uint64_t shard_size = 0;
  const EVP_MD* md = nullptr;
  size_t hex_size = 0;
  std::string algorithm;  // as each resource must name it
  bool allow_symlinks = false;
  std::set<std::string> ignore;
};

Expected<Serialization> ParseSerialization(const json& s, const std::vector<std::string>& ignore) {
  Serialization out;
  const std::string method = Str(s, "method"), hash = Str(s, "hash_type");
  if (hash == "sha256") {
    out.md = EVP_sha256();
    out.hex_size = 64;
  } else if (hash == "blake2b") {
    out.md = EVP_blake2b512();
    out.hex_size = 128;
  }
  if (out.md == nullptr || (method != "files" && method != "shards")) {
    return Bad(fmt::format("unsupported model_signing serialization (method {}, hash_type {}): supported are "
                           "files and shards with sha256 or blake2b",
                           method.empty() ? "?" : method, hash.empty() ? "?" : hash));
  }
  out.algorithm = hash;
  if (method == "shards") {
    out.shards = true;
    const json& size = s.contains("shard_size") ? s["shard_size"] : json();
    const double d = size.is_number() ? size.get<double>() : 0;
    if (!(d >= 1 && d <= 1e15) || std::floor(d) != d) return Bad("serialization.shard_size is not a positive integer");
    out.shard_size = static_cast<uint64_t>(d);
    out.algorithm = fmt::format("{}-sharded-{}", hash, out.shard_size);
  }
  // What may be in the tree without being signed (then neither verified nor placed):
  // model.sig, the caller's --ignore-paths, the signed ignore_paths and the git paths
  // model_signing ignores by default. A signed file is always verified, ignored or not.
  out.ignore = {"model.sig", ".git", ".gitattributes", ".github", ".gitignore"};
  for (const std::string& p : ignore) out.ignore.insert(fs::path(p).lexically_normal().generic_string());
  if (s.contains("ignore_paths")) {
    if (!s["ignore_paths"].is_array()) return Bad("serialization.ignore_paths is not a list");
    for (const json& p : s["ignore_paths"]) {
      if (!p.is_string()) return Bad("serialization.ignore_paths holds a non-string");
      out.ignore.insert(fs::path(p.get<std::string>()).lexically_normal().generic_string());
    }
  }
  out.allow_symlinks = s.contains("allow_symlinks") && s["allow_symlinks"] == true;
  return out;
}

}  // namespace

namespace {

// What the statement signs: its serialization, each resource's digest, the subject.
struct Signed {
  Serialization ser;
  std::map<std::string, std::string> want;  // resource name -> hex digest
  std::set<std::string> names;              // the files some resource covers
  TreeCheck out;
};

Expected<Signed> ParseStatement(const std::string& payload, const std::vector<std::string>& ignore) {
  json st = json::parse(payload, nullptr, false);
  if (st.is_discarded() || Str(st, "_type") != "https://in-toto.io/Statement/v1" ||
      Str(st, "predicateType") != "https://model_signing/signature/v1.0" || !st["predicate"].is_object()) {
    return Bad("the statement is not a model_signing v1.0 in-toto statement");
  }
  const json& predicate = st["predicate"];
  auto ser = ParseSerialization(predicate.contains("serialization") ? predicate["serialization"] : json(), ignore);
  if (!ser) return ser.error();
  if (!predicate.contains("resources") || !predicate["resources"].is_array() || predicate["resources"].empty()) {
    return Bad("the statement lists no resources");
  }
  Signed out{std::move(*ser), {}, {}, {}};
  std::string concat;  // raw digests in the statement's order, as model_signing verifies it
  for (const json& r : predicate["resources"]) {
    std::string name = Str(r, "name"), digest = Str(r, "digest");
    if (Str(r, "algorithm") != out.ser.algorithm || name.empty() || digest.size() != out.ser.hex_size ||
        digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Bad("malformed resource entry");
    }
    if (!out.want.emplace(name, digest).second) return Bad(fmt::format("resource {} listed twice", name));
    concat += Unhex(digest);
  }
  const json* subject = st.contains("subject") && st["subject"].is_array() && !st["subject"].empty() ? &st["subject"][0] : nullptr;
  if (subject == nullptr || !(*subject).contains("digest") || Hex(Sha256(concat)) != Str((*subject)["digest"], "sha256")) {
    return Bad("the subject digest does not match the resources");
  }
  out.out.subject = Str(*subject, "name");
  out.out.subject_sha256 = Hex(Sha256(concat));
  // A file's resource names: the file itself, or its shards "name:start:end".
  for (const auto& [name, _] : out.want) {
    if (!out.ser.shards) {
      out.names.insert(name);
      continue;
    }
    size_t c2 = name.rfind(':'), c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : name.rfind(':', c2 - 1);
    if (c1 == std::string::npos) return Bad(fmt::format("shard resource {} is not path:start:end", name));
    out.names.insert(name.substr(0, c1));
  }
  return out;
}

// One entry of the tree: skipped (directories, ignored paths, an unsigned empty file under shard
// serialization, which model_signing accepts unattested), or the file to hash (a symlink's
// target, when the signature allows links that stay inside the model).
Expected<std::optional<std::string>> TreeEntry(const fs::directory_entry& entry, const std::string& rel, const Signed& sig,
                                               const fs::path& real_root) {
  auto ignored = [&](const std::string& r) {
    for (fs::path p = r; !p.empty(); p = p.parent_path()) {
      if (sig.ser.ignore.count(p.generic_string())) return true;
    }
    return false;
  };
  // The entry's own type, never its target's (a link loop must not throw).
  std::error_code sec;
  const fs::file_type type = entry.symlink_status(sec).type();
  if (sec) return Error{ErrorKind::kIo, entry.path().string(), {}, "cannot stat: " + sec.message()};
  if (type == fs::file_type::directory) return std::optional<std::string>();
  if (!sig.names.count(rel) && ignored(rel)) return std::optional<std::string>();
  if (type == fs::file_type::symlink) {
    if (!sig.ser.allow_symlinks) return Bad(fmt::format("{} is a symlink (the signature does not allow symlinks)", rel));
    std::error_code lec;
    fs::path target = fs::canonical(entry.path(), lec);
    auto [end, _] = std::mismatch(real_root.begin(), real_root.end(), target.begin(), target.end());
    if (lec || end != real_root.end() || !fs::is_regular_file(fs::symlink_status(target, lec))) {
      return Bad(fmt::format("{} is a symlink that does not lead to a file inside the model", rel));
    }
    return std::optional<std::string>(target.string());
  }
  if (type != fs::file_type::regular) return Bad(fmt::format("{} is not a regular file", rel));
  std::error_code zec;
  if (sig.ser.shards && !sig.names.count(rel) && fs::file_size(entry.path(), zec) == 0 && !zec) return std::optional<std::string>();
  return std::optional<std::string>(entry.path().string());
}

// The tree's files (relative name -> file to hash); it must hold exactly the signed ones.
Expected<std::map<std::string, std::string>> ListTree(const std::string& path, const Signed& sig) {
  std::map<std::string, std::string> have;
  std::error_code ec;
  if (fs::is_regular_file(fs::symlink_status(path, ec))) {
    have["."] = path;
  } else {
    fs::path root = fs::path(path).lexically_normal();
    if (!root.has_filename()) root = root.parent_path();
    const fs::path real_root = fs::weakly_canonical(root, ec);
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::string rel = it->path().lexically_relative(root).generic_string();  // fs::relative would resolve symlinks
      auto file = TreeEntry(*it, rel, sig, real_root);
      if (!file) return file.error();
      if (*file) have[rel] = **file;
    }
    if (ec) return Error{ErrorKind::kIo, path, {}, "cannot list the model tree: " + ec.message()};
  }
  for (const auto& [name, file] : have) {
    if (!sig.names.count(name)) return Bad(fmt::format("{} is in the tree but not signed", name));
  }
  for (const std::string& name : sig.names) {
    if (!have.count(name)) return Bad(fmt::format("{} is signed but missing from the tree", name));
  }
  return have;
}

struct Resource {
  std::string name;
  std::string file;
  uint64_t start, end;  // end = UINT64_MAX: the whole file
  const std::string* want;
};

// Every resource to hash; with shards, a file's shards must tile it exactly.
Expected<std::vector<Resource>> ListResources(const std::map<std::string, std::string>& have, const Signed& sig) {
  std::vector<Resource> resources;
  for (const auto& [name, file] : have) {
    if (!sig.ser.shards) {
      resources.push_back({name, file, 0, UINT64_MAX, &sig.want.at(name)});
      continue;
    }
    std::error_code ec;
    const uint64_t size = fs::file_size(file, ec);
    if (ec) return Error{ErrorKind::kIo, file, {}, "cannot size the file: " + ec.message()};
    uint64_t start = 0;
    do {
      const uint64_t end = std::min(size, start + sig.ser.shard_size);
      auto it = sig.want.find(fmt::format("{}:{}:{}", name, start, end));
      if (it == sig.want.end()) return Bad(fmt::format("{} bytes {}..{} are not signed", name, start, end));
      resources.push_back({name, file, start, end, &it->second});
      start = end;
    } while (start < size);
  }
  return resources;
}

// The digests, on every core (hashing is CPU-bound: a model's shards are many large files).
Status HashResources(const std::vector<Resource>& resources, const EVP_MD* md) {
  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return ParallelFor(resources.size(), cores, [&](size_t i) -> Status {
    const Resource& r = resources[i];
    auto d = DigestRange(r.file, md, r.start, r.end);
    if (!d) return d.error();
    if (*d == *r.want) return Ok{};
    if (r.end == UINT64_MAX) return Bad(fmt::format("{} does not match its signed digest", r.name));
    return Bad(fmt::format("{} bytes {}..{} do not match their signed digest", r.name, r.start, r.end));
  });
}

// No shard may be left over (e.g. one beyond a truncated file).
Status NoShardLeftOver(const std::map<std::string, std::string>& have, const Signed& sig) {
  size_t expected = 0;
  for (const auto& [name, file] : have) {
    std::error_code ec;
    const uint64_t size = fs::file_size(file, ec);
    expected += size == 0 ? 1 : static_cast<size_t>((size + sig.ser.shard_size - 1) / sig.ser.shard_size);  // a signed empty file: "name:0:0"
  }
  if (expected != sig.want.size()) return Bad("the statement signs shards the tree does not have");
  return Ok{};
}

}  // namespace

Expected<TreeCheck> CheckModelTree(const std::string& payload, const std::string& path,
                                   const std::vector<std::string>& ignore) {
  auto sig = ParseStatement(payload, ignore);
  if (!sig) return sig.error();
  auto have = ListTree(path, *sig);
  if (!have) return have.error();
  auto resources = ListResources(*have, *sig);
  if (!resources) return resources.error();
  AEGIS_TRY(HashResources(*resources, sig->ser.md));
  if (sig->ser.shards) AEGIS_TRY(NoShardLeftOver(*have, *sig));
  TreeCheck out = std::move(sig->out);
  for (const auto& [name, file] : *have) out.signed_files.push_back(name);
  return out;
}

}  // namespace aegis::verifier
