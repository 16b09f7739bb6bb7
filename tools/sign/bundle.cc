#include "sign/bundle.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/strings.h"
#include "verifier/common/verify_error.h"
#include "verifier/trust/signature.h"

namespace aegis::sign {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using verifier::Base64Encode;

constexpr const char* kBundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";
constexpr const char* kInToto = "application/vnd.in-toto+json";

verifier::DigestSet SetFor(const std::string& algorithm) {
  return {algorithm == "SHA2_384", algorithm == "SHA2_512"};
}

}  // namespace

Expected<std::string> SignArtifactBundle(const Signer& signer, const std::string& artifact,
                                         const std::function<void(uint64_t)>& on_bytes) {
  if (Status s = verifier::RefusePaeArtifact(artifact); !s) {
    Error e = s.error();
    if (e.kind == VerifyError::kSignature) e.kind = ErrorKind::kUsage;
    return e;
  }
  std::string algorithm = signer.DigestAlgorithm();
  auto digests = verifier::DigestFile(artifact, SetFor(algorithm), on_bytes);
  if (!digests) return digests.error();
  auto sig = signer.SignArtifact(*digests, artifact);
  if (!sig) return sig.error();
  const std::string& digest = algorithm == "SHA2_384" ? digests->sha384 : algorithm == "SHA2_512" ? digests->sha512 : digests->sha256;
  json b = {{"mediaType", kBundleType},
            {"verificationMaterial", {{"publicKey", {{"hint", signer.PublicKey().hint}}}}},
            {"messageSignature",
             {{"messageDigest", {{"algorithm", algorithm}, {"digest", Base64Encode(digest)}}}, {"signature", Base64Encode(*sig)}}}};
  return b.dump() + "\n";
}

Expected<std::string> ModelStatement(const std::string& model_path, const std::vector<std::string>& ignore,
                                     const std::function<void(uint64_t)>& on_bytes) {
  std::error_code ec;
  fs::path root = fs::path(model_path).lexically_normal();
  if (!root.has_filename()) root = root.parent_path();
  std::map<std::string, std::string> files;  // name → path
  auto st = fs::symlink_status(root, ec);
  if (ec || !fs::exists(st)) return Error{ErrorKind::kIo, model_path, {}, "no such model file or directory"};
  if (fs::is_regular_file(st)) {
    files["."] = root.string();
  } else if (fs::is_directory(st)) {
    std::set<std::string> skip(ignore.begin(), ignore.end());
    skip.insert("model.sig");
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::string rel = it->path().lexically_relative(root).generic_string();
      if (skip.count(rel)) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      auto s = it->symlink_status();
      if (fs::is_symlink(s)) return Error{ErrorKind::kUsage, it->path().string(), {}, "symlinks cannot be signed (allow_symlinks: false)"};
      if (fs::is_directory(s)) continue;
      if (!fs::is_regular_file(s)) return Error{ErrorKind::kUsage, it->path().string(), {}, "not a regular file"};
      // The statement is JSON (UTF-8), and the verifier refuses names it cannot represent.
      if (!IsValidUtf8(rel)) return Error{ErrorKind::kUsage, Quote(it->path().string()), {}, "the file name is not valid UTF-8 and cannot be signed"};
      files[rel] = it->path().string();
    }
    if (ec) return Error{ErrorKind::kIo, model_path, {}, "cannot list: " + ec.message()};
  } else {
    return Error{ErrorKind::kUsage, model_path, {}, "not a regular file or directory"};
  }
  if (files.empty()) return Error{ErrorKind::kUsage, model_path, {}, "the model has no files to sign"};
  json resources = json::array();
  std::string concat;
  for (const auto& [name, path] : files) {  // std::map: sorted by name
    auto d = verifier::DigestFile(path, {false, false}, on_bytes);
    if (!d) return d.error();
    concat += d->sha256;
    resources.push_back({{"algorithm", "sha256"}, {"digest", verifier::Hex(d->sha256)}, {"name", name}});
  }
  // As model_signing >= 1.1 writes it: the ignored paths are signed (model.sig included).
  std::set<std::string> ignored(ignore.begin(), ignore.end());
  ignored.insert("model.sig");
  json serialization = {{"method", "files"}, {"hash_type", "sha256"}, {"allow_symlinks", false},
                        {"ignore_paths", std::vector<std::string>(ignored.begin(), ignored.end())}};
  std::string name = fs::absolute(root).lexically_normal().filename().string();
  if (name.empty()) name = fs::absolute(root).lexically_normal().parent_path().filename().string();
  json statement = {{"_type", "https://in-toto.io/Statement/v1"},
                    {"subject", {{{"name", name}, {"digest", {{"sha256", verifier::Hex(verifier::Sha256(concat))}}}}}},
                    {"predicateType", "https://model_signing/signature/v1.0"},
                    {"predicate", {{"serialization", serialization}, {"resources", resources}}}};
  return statement.dump(2);
}

Expected<std::string> SignModelBundle(const Signer& signer, const std::string& model_path, const std::vector<std::string>& ignore,
                                      const std::function<void(uint64_t)>& on_bytes) {
  auto statement = ModelStatement(model_path, ignore, on_bytes);
  if (!statement) return statement.error();
  std::string pae = fmt::format("DSSEv1 {} {} {} ", std::string_view(kInToto).size(), kInToto, statement->size()) + *statement;
  auto sig = signer.SignMessage(pae);
  if (!sig) return sig.error();
  json b = {{"mediaType", kBundleType},
            // model_signing >= 1.1: the hint is hex SHA-256 of the public key's PEM, and
            // `model_signing verify key` refuses a bundle whose hint names another key.
            {"verificationMaterial", {{"publicKey", {{"hint", signer.PublicKey().pem_hint}}}, {"tlogEntries", json::array()}}},
            {"dsseEnvelope",
             {{"payload", Base64Encode(*statement)}, {"payloadType", kInToto}, {"signatures", {{{"sig", Base64Encode(*sig)}, {"keyid", nullptr}}}}}}};
  return b.dump(2) + "\n";
}

}  // namespace aegis::sign
