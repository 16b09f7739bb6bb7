// libFuzzer target: the whole verify-then-place path of verify-and-fetch on generated trees.
//
// The input is decoded into a list of archive entries: files that are signed (written to a
// source tree and signed in-process as a model-signing bundle with a P-256 key), files added
// after signing, directories, symlinks and hard links with names and targets drawn from an
// attacker's alphabet (`..`, `model.sig`, the `.aegis-` names, links through links, the
// sandbox's `outside/` directory), and where the bundle goes: inside the archive (as a file,
// a directory or a symlink), detached next to the artifact, or nowhere. VerifyAndFetch then
// runs on the archive. The oracle:
//   - nothing outside the model directory changes (the sandbox's other entries, outside/);
//   - on success, the model directory holds exactly the signed files with their signed
//     bytes (plus the marker): no unsigned file, no symlink, no empty directory;
//   - on failure, the model directory holds nothing;
//   - no crash, leak or undefined behaviour (ASan/UBSan).
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sign/bundle.h"
#include "sign/signer.h"
#include "support/archives.h"
#include "verifier/place/workspace.h"
#include "verifier/run.h"

// Archive entries below list only the fields that matter; the rest take their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {
namespace fs = std::filesystem;
using aegis::testing::ArchiveFormat;
using aegis::testing::Entry;

constexpr mode_t kFile = 0100000, kDir = 0040000, kLink = 0120000;

// Reads the input as a sequence of small decisions; past the end every decision is 0.
class Decisions {
 public:
  Decisions(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  unsigned Next(unsigned n) { return pos_ < size_ ? data_[pos_++] % n : 0; }
  std::string Bytes(size_t max) {
    size_t n = Next(static_cast<unsigned>(max) + 1);
    std::string s;
    for (size_t i = 0; i < n && pos_ < size_; ++i) s += static_cast<char>(data_[pos_++]);
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

struct Sandbox {
  fs::path root, dest, in, src, keys, outside;
  std::unique_ptr<aegis::sign::Signer> signer;
};

const Sandbox& TheSandbox() {
  static const Sandbox* box = [] {
    auto* b = new Sandbox;
    b->root = fs::temp_directory_path() / ("aegis-place-fuzz-" + std::to_string(getpid()));
    b->dest = b->root / "dest";
    b->in = b->root / "in";
    b->src = b->root / "src";
    b->keys = b->root / "keys";
    b->outside = b->root / "outside";
    fs::remove_all(b->root);
    for (const auto& d : {b->in, b->keys, b->outside}) fs::create_directories(d);
    std::ofstream(b->outside / "victim") << "victim";
    EVP_PKEY* key = EVP_EC_gen("P-256");
    FILE* f = std::fopen((b->root / "signing.pem").c_str(), "w");
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    f = std::fopen((b->keys / "cosign.pub").c_str(), "w");
    PEM_write_PUBKEY(f, key);
    std::fclose(f);
    EVP_PKEY_free(key);
    auto signer = aegis::sign::LoadKeySigner((b->root / "signing.pem").string(), "");
    if (!signer) std::abort();
    b->signer = std::move(*signer);
    return b;
  }();
  return *box;
}

std::string Component(Decisions& d) {
  static const char* kNames[] = {"a", "b", "d", "up", "model.sig", ".aegis-verified.json", ".aegis-verified.json.aegis-tmp",
                                 ".aegis-work", "..", ".", "", ".git", "w.bin", "\xff\xfe", "lost+found"};
  return kNames[d.Next(sizeof kNames / sizeof *kNames)];
}

std::string Path(Decisions& d) {
  std::string p = Component(d);
  for (unsigned n = d.Next(3); n > 0; --n) p += "/" + Component(d);
  return p;
}

std::string LinkTarget(Decisions& d, const Sandbox& box) {
  switch (d.Next(6)) {
    case 0: return "..";
    case 1: return "../outside/victim";
    case 2: return (box.outside / "victim").string();
    case 3: return box.outside.string();
    case 4: return "d/up/d/up/../../outside/victim";
    default: return Path(d);
  }
}

// A path the signer may write under src/: no empty, `.` or `..` component, not absolute.
bool SafeRelative(const std::string& p) {
  std::stringstream ss(p);
  std::string c;
  while (std::getline(ss, c, '/')) {
    if (c.empty() || c == "." || c == "..") return false;
  }
  return !p.empty() && p.back() != '/';
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every entry under `dir` (not following symlinks), as relative path -> type.
std::map<std::string, fs::file_type> Listing(const fs::path& dir) {
  std::map<std::string, fs::file_type> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    out[it->path().lexically_relative(dir).string()] = it->symlink_status().type();
  }
  return out;
}

std::string g_case;  // the decoded case, printed when the oracle fails

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "oracle: %s\n%s", what, g_case.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Sandbox& box = TheSandbox();
  std::error_code ec;
  fs::remove_all(box.dest, ec);
  fs::remove_all(box.src, ec);
  fs::remove_all(box.in, ec);
  fs::create_directories(box.src);
  fs::create_directories(box.in);

  Decisions d(data, size);
  std::vector<Entry> entries;
  std::map<std::string, std::string> signed_files;  // as signed
  unsigned count = 1 + d.Next(12);
  for (unsigned i = 0; i < count && !d.done(); ++i) {
    switch (d.Next(6)) {
      case 0:
      case 1: {  // signed file (op 1: tampered in the archive)
        std::string p = Path(d), bytes = d.Bytes(16);
        if (!SafeRelative(p) || signed_files.count(p)) break;
        fs::path at = box.src / p;
        fs::create_directories(at.parent_path(), ec);
        if (ec) break;
        if (fs::exists(fs::symlink_status(at, ec))) break;
        std::ofstream(at, std::ios::binary) << bytes;
        signed_files[p] = bytes;
        entries.push_back({p, kFile, 0644, d.Next(4) == 0 ? bytes + "x" : bytes});
        break;
      }
      case 2: entries.push_back({Path(d), kFile, 0644, d.Bytes(8)}); break;      // unsigned file
      case 3: entries.push_back({Path(d) + (d.Next(2) ? "/" : ""), kDir, 0755}); break;  // directory
      case 4: entries.push_back({Path(d), kLink, 0777, "", LinkTarget(d, box)}); break;
      case 5: {  // hard link to an earlier entry or anywhere
        Entry e{Path(d), kFile, 0644};
        e.hardlink = !entries.empty() && d.Next(2) ? entries[d.Next(static_cast<unsigned>(entries.size()))].path : Path(d);
        entries.push_back(e);
        break;
      }
    }
  }
  // Signed files the signer cannot see as regular files (a later one made a directory of a
  // file's path) are not part of the model.
  for (auto it = signed_files.begin(); it != signed_files.end();) {
    it = fs::is_regular_file(fs::symlink_status(box.src / it->first, ec)) ? std::next(it) : signed_files.erase(it);
  }
  // The signer never signs the signature (model.sig, and whatever is under a directory of that name).
  for (auto it = signed_files.begin(); it != signed_files.end();) {
    it = it->first == "model.sig" || it->first.rfind("model.sig/", 0) == 0 ? signed_files.erase(it) : std::next(it);
  }
  auto bundle = aegis::sign::SignModelBundle(*box.signer, box.src.string(), {});
  if (!bundle) return 0;

  aegis::verifier::Options o;
  o.artifact = (box.in / "model.tar").string();
  o.dest = box.dest.string();
  o.key = box.keys.string();
  o.termination_log.clear();
  o.retries = 1;
  o.limits.max_entries = 200;
  o.limits.max_total_bytes = 1 << 20;
  switch (d.Next(5)) {
    case 0: entries.push_back({"model.sig", kFile, 0644, *bundle}); break;
    case 1: std::ofstream(o.artifact + ".sigstore.json") << *bundle; break;
    case 2:  // detached, with a model.sig directory inside
      std::ofstream(o.artifact + ".sigstore.json") << *bundle;
      entries.push_back({"model.sig/", kDir, 0755});
      entries.push_back({"model.sig/model.py", kFile, 0644, "unsigned"});
      break;
    case 3:  // detached, with a model.sig file inside that is not the bundle
      std::ofstream(o.artifact + ".sigstore.json") << *bundle;
      entries.push_back({"model.sig", kFile, 0644, "unsigned"});
      break;
    case 4: entries.push_back({"model.sig", kLink, 0777, "", LinkTarget(d, box)}); break;
  }
  ArchiveFormat format = d.Next(4) == 0 ? ArchiveFormat::kZip : ArchiveFormat::kTar;
  if (!aegis::testing::WriteArchive(o.artifact, format, entries).empty()) return 0;

  g_case.clear();
  for (const auto& e : entries) {
    g_case += "  entry " + std::to_string(e.type >> 12) + " " + e.path + (e.link.empty() ? "" : " -> " + e.link) +
              (e.hardlink.empty() ? "" : " => " + e.hardlink) + (signed_files.count(e.path) ? " (signed)" : "") + "\n";
  }
  auto outside_before = Listing(box.outside);
  std::ostringstream log_text;
  aegis::verifier::Logger log(log_text);
  auto r = aegis::verifier::VerifyAndFetch(o, aegis::verifier::RunContext{[](const std::string&) { return std::optional<std::string>(); }, &log, {}});

  Check(Listing(box.outside) == outside_before, "the sandbox's outside/ changed");
  Check(Slurp(box.outside / "victim") == "victim", "outside/victim was written");
  std::set<std::string> top;
  for (const auto& e : fs::directory_iterator(box.root)) top.insert(e.path().filename().string());
  Check(top == std::set<std::string>{"dest", "in", "keys", "outside", "signing.pem", "src"}, "an entry appeared next to the model directory");

  g_case += r ? "  result: placed\n" : "  result: " + r.error().Describe() + "\n";
  auto placed = Listing(box.dest);
  for (const auto& [path, type] : placed) g_case += "  placed " + path + "\n";
  if (!r) {
    Check(placed.empty(), "a failed run left content in the model directory");
    return 0;
  }
  std::set<std::string> files;
  for (const auto& [path, type] : placed) {
    if (path == aegis::verifier::kMarkerName) continue;
    if (type == fs::file_type::directory) {
      Check(!fs::is_empty(box.dest / path), "an empty directory was placed");
      continue;
    }
    Check(type == fs::file_type::regular, "a symlink or special file was placed");
    auto it = signed_files.find(path);
    Check(it != signed_files.end(), "an unsigned file was placed");
    Check(Slurp(box.dest / path) == it->second, "a placed file differs from what was signed");
    files.insert(path);
  }
  Check(files.size() == signed_files.size(), "a signed file is missing after success");
  return 0;
}
