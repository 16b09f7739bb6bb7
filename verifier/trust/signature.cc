#include "verifier/trust/signature.h"

#include <algorithm>
#include <functional>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "util/json_access.h"
#include "verifier/common/verify_error.h"
#include "verifier/trust/model_tree.h"
#include "verifier/trust/vault.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;

Error Bad(std::string msg) { return Error{VerifyError::kSignature, {}, {}, std::move(msg)}; }

// A decimal int64 that sigstore writes as a JSON string (or a number).
std::optional<int64_t> IntAt(const json& j, std::initializer_list<const char*> path) {
  const json* cur = JsonAt(j, path);
  if (cur == nullptr) return std::nullopt;
  if (cur->is_number_integer()) return cur->get<int64_t>();
  if (!cur->is_string()) return std::nullopt;
  const std::string& t = cur->get_ref<const std::string&>();
  if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(t);
}

Expected<std::vector<TlogEntry>> ParseTlogEntries(const json& list) {
  std::vector<TlogEntry> out;
  if (!list.is_array()) return Bad("bundle tlogEntries is not a list");
  for (const json& t : list) {
    TlogEntry e;
    auto index = IntAt(t, {"logIndex"});
    auto time = IntAt(t, {"integratedTime"});
    auto id = Base64Decode(JsonStringOr(t, {"logId", "keyId"}));
    auto body = Base64Decode(JsonStringOr(t, {"canonicalizedBody"}));
    if (!index || !id || id->empty() || !body || body->empty()) {
      return Bad("bundle tlog entry without logIndex, logId.keyId or canonicalizedBody");
    }
    e.log_index = *index;
    e.integrated_time = time.value_or(0);
    e.log_id = *id;
    e.body = *body;
    e.kind = JsonStringOr(t, {"kindVersion", "kind"});
    e.version = JsonStringOr(t, {"kindVersion", "version"});
    if (std::string set = JsonStringOr(t, {"inclusionPromise", "signedEntryTimestamp"}); !set.empty()) {
      auto raw = Base64Decode(set);
      if (!raw) return Bad("bundle signedEntryTimestamp is not base64");
      e.signed_entry_timestamp = *raw;
    }
    if (t.contains("inclusionProof") && t["inclusionProof"].is_object()) {
      const json& p = t["inclusionProof"];
      auto pi = IntAt(p, {"logIndex"});
      auto size = IntAt(p, {"treeSize"});
      auto root = Base64Decode(JsonStringOr(p, {"rootHash"}));
      if (!pi || !size || !root) return Bad("bundle inclusionProof without logIndex, treeSize or rootHash");
      e.has_proof = true;
      e.proof_index = *pi;
      e.tree_size = *size;
      e.root_hash = *root;
      if (p.contains("hashes") && p["hashes"].is_array()) {
        for (const json& h : p["hashes"]) {
          auto raw = Base64Decode(h.is_string() ? h.get<std::string>() : std::string("!"));
          if (!raw) return Bad("bundle inclusionProof hash is not base64");
          e.hashes.push_back(*raw);
        }
      }
      e.checkpoint = JsonStringOr(p, {"checkpoint", "envelope"});
    }
    out.push_back(std::move(e));
  }
  return out;
}

Expected<Verified> AnyKey(const std::vector<TrustedKey>& keys, std::string_view hint,
                          const std::function<bool(const TrustedKey&)>& check) {
  for (const TrustedKey* k : OrderByHint(keys, hint)) {
    if (check(*k)) {
      Verified v;
      v.key = k->source;
      v.key_fingerprint = k->fingerprint;
      return v;
    }
  }
  return Bad(fmt::format("signature does not verify with any of the {} trusted key(s)", keys.size()));
}

// A read-only mapping of a whole file (empty files map to an empty view).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      size_ = static_cast<size_t>(st.st_size);
      if (size_ == 0) {
        ok_ = true;
      } else {
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
          data_ = p;
          ok_ = true;
        }
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  bool ok() const { return ok_; }
  std::string_view bytes() const { return data_ ? std::string_view(static_cast<const char*>(data_), size_) : std::string_view(); }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
  bool ok_ = false;
};

}  // namespace

Expected<SignatureFile> ParseSignatureFile(std::string_view text) {
  SignatureFile s;
  json j = json::parse(text, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    std::string vault = JsonStringOr(j, {"data", "signature"});
    if (vault.rfind("vault:", 0) == 0) {
      auto v = ParseVaultSignature(vault);
      if (!v) return v.error();
      s.format = SignatureFile::Format::kVault;
      s.vault_signature = vault;
      s.signature = v->raw;
      return s;
    }
    if (j.contains("base64Signature")) {  // cosign's own bundle (`sign-blob --bundle` before the new format)
      auto raw = Base64Decode(JsonStringOr(j, {"base64Signature"}));
      if (!raw || raw->empty()) return Bad("cosign bundle base64Signature is not base64");
      s.format = SignatureFile::Format::kLegacy;
      s.signature = *raw;
      s.has_tlog = j.contains("rekorBundle") && j["rekorBundle"].is_object();
      return s;
    }
    std::string media = JsonStringOr(j, {"mediaType"});
    if (!media.starts_with("application/vnd.dev.sigstore.bundle")) return Bad("JSON signature file is not a sigstore bundle");
    s.hint = JsonStringOr(j, {"verificationMaterial", "publicKey", "hint"});
    if (j.contains("verificationMaterial") && j["verificationMaterial"].is_object()) {
      const json& vm = j["verificationMaterial"];
      std::vector<const json*> certs;
      if (vm.contains("x509CertificateChain") && vm["x509CertificateChain"].is_object() &&
          vm["x509CertificateChain"].contains("certificates") && vm["x509CertificateChain"]["certificates"].is_array()) {
        for (const json& c : vm["x509CertificateChain"]["certificates"]) certs.push_back(&c);
      } else if (vm.contains("certificate")) {
        certs.push_back(&vm["certificate"]);
      }
      for (const json* c : certs) {
        auto der = Base64Decode(JsonStringOr(*c, {"rawBytes"}));
        if (!der || der->empty()) return Bad("bundle certificate rawBytes is not base64");
        s.certificates.push_back(*der);
      }
    }
    s.has_tlog = j.contains("verificationMaterial") && j["verificationMaterial"].is_object() &&
                 j["verificationMaterial"].contains("tlogEntries");
    if (s.has_tlog) {
      auto entries = ParseTlogEntries(j["verificationMaterial"]["tlogEntries"]);
      if (!entries) return entries.error();
      s.tlog_entries = std::move(*entries);
    }
    if (const json* ts = JsonAt(j, {"verificationMaterial", "timestampVerificationData", "rfc3161Timestamps"})) {
      if (!ts->is_array()) return Bad("bundle rfc3161Timestamps is not a list");
      for (const json& t : *ts) {
        auto der = Base64Decode(JsonStringOr(t, {"signedTimestamp"}));
        if (!der || der->empty()) return Bad("bundle rfc3161Timestamps signedTimestamp is missing or not base64");
        s.rfc3161_timestamps.push_back(*der);
      }
    }
    if (j.contains("messageSignature")) {
      s.format = SignatureFile::Format::kBundleMessage;
      auto sig = Base64Decode(JsonStringOr(j, {"messageSignature", "signature"}));
      if (!sig) return Bad("bundle messageSignature.signature is not base64");
      s.signature = *sig;
      s.digest_algorithm = JsonStringOr(j, {"messageSignature", "messageDigest", "algorithm"});
      std::string d = JsonStringOr(j, {"messageSignature", "messageDigest", "digest"});
      if (!d.empty()) {
        auto raw = Base64Decode(d);
        if (!raw) return Bad("bundle messageDigest.digest is not base64");
        s.digest = *raw;
      }
      return s;
    }
    if (j.contains("dsseEnvelope") && j["dsseEnvelope"].is_object()) {
      s.format = SignatureFile::Format::kModelSigning;
      const json& env = j["dsseEnvelope"];
      s.payload_type = JsonStringOr(env, {"payloadType"});
      auto payload = Base64Decode(JsonStringOr(env, {"payload"}));
      if (!payload) return Bad("DSSE payload is not base64");
      s.payload = *payload;
      if (env.contains("signatures") && env["signatures"].is_array()) {
        for (const json& sig : env["signatures"]) {
          auto raw = Base64Decode(JsonStringOr(sig, {"sig"}));
          if (raw) s.dsse_signatures.push_back(*raw);
        }
      }
      if (s.dsse_signatures.empty()) return Bad("DSSE envelope has no signature");
      return s;
    }
    return Bad("sigstore bundle has neither messageSignature nor dsseEnvelope");
  }
  auto raw = Base64Decode(text);
  if (!raw) return Bad("signature file is neither a sigstore bundle nor base64");
  s.format = SignatureFile::Format::kLegacy;
  s.signature = *raw;
  return s;
}

Status RefusePaeArtifact(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorKind::kIo, path, {}, "cannot open the artifact"};
  char head[8] = {};
  ssize_t n = ::read(fd, head, kPaePrefix.size());
  ::close(fd);
  if (n == static_cast<ssize_t>(kPaePrefix.size()) && std::string_view(head, kPaePrefix.size()) == kPaePrefix) {
    return Error{VerifyError::kSignature, path, {},
                 "the artifact is a DSSE pre-authentication encoding (it begins \"DSSEv1 \"): a signature over it would be an "
                 "envelope's signature, which is never accepted as an artifact's (domain separation)"};
  }
  return Ok{};
}

Expected<Verified> VerifyArtifact(const SignatureFile& sig, const Digests& artifact, const std::vector<TrustedKey>& keys,
                                  const std::string& artifact_path) {
  if (sig.format == SignatureFile::Format::kModelSigning) return Bad("a model-signing bundle signs a model tree, not an archive");
  if (sig.format == SignatureFile::Format::kBundleMessage && !sig.digest.empty()) {
    const std::string* mine = sig.digest_algorithm == "SHA2_256"   ? &artifact.sha256
                              : sig.digest_algorithm == "SHA2_384" ? &artifact.sha384
                              : sig.digest_algorithm == "SHA2_512" ? &artifact.sha512
                                                                   : nullptr;
    if (mine == nullptr) return Bad(fmt::format("unsupported bundle digest algorithm {}", sig.digest_algorithm));
    if (mine->empty()) {
      return Bad(fmt::format("the bundle's digest is {}, which no trusted key uses", sig.digest_algorithm));
    }
    if (sig.digest != *mine) return Bad("the bundle's messageDigest does not match the artifact");
  }
  auto v = AnyKey(keys, sig.hint, [&](const TrustedKey& k) {
    // The seed's Vault signature: Vault hashed the 32 digest bytes it was given as input.
    if (sig.format == SignatureFile::Format::kVault) return VerifyMessage(k, artifact.sha256, sig.signature);
    if (k.type != KeyType::kEd25519) return VerifyDigests(k, artifact, sig.signature);
    if (artifact_path.empty()) return false;
    MappedFile m(artifact_path);
    return m.ok() && VerifyMessage(k, m.bytes(), sig.signature);
  });
  if (v) {
    if (sig.format == SignatureFile::Format::kLegacy) v->notes = "legacy detached signature: binds no metadata";
    if (sig.has_tlog) v->notes = "transparency log entries ignored (offline key verification)";
  }
  return v;
}

bool IsModelSigningStatement(std::string_view payload) {
  json statement = json::parse(payload, nullptr, false);
  return statement.is_object() && JsonStringOr(statement, {"predicateType"}).starts_with("https://model_signing/");
}

Expected<Verified> VerifyStatementArtifact(const SignatureFile& sig, const Digests& artifact,
                                           const std::vector<TrustedKey>& keys,
                                           const std::vector<std::string>& predicate_types) {
  if (sig.format != SignatureFile::Format::kModelSigning) return Bad("not a DSSE envelope");
  if (sig.payload_type != "application/vnd.in-toto+json") return Bad("DSSE payload is not an in-toto statement");
  std::string pae = Pae(sig.payload_type, sig.payload);
  Expected<Verified> v = Bad("dsse-signature: the envelope's signature does not verify with the signer's key");
  for (const std::string& s : sig.dsse_signatures) {
    auto one = AnyKey(keys, sig.hint, [&](const TrustedKey& k) { return VerifyMessage(k, pae, s); });
    if (one) {
      v = std::move(one);
      break;
    }
  }
  if (!v) return Bad("dsse-signature: the envelope's signature does not verify with the signer's key");
  json statement = json::parse(sig.payload, nullptr, false);
  std::string type = statement.is_object() ? JsonStringOr(statement, {"predicateType"}) : std::string();
  bool allowed = predicate_types.empty()
                     ? IsModelSigningStatement(sig.payload)
                     : std::find(predicate_types.begin(), predicate_types.end(), type) != predicate_types.end();
  if (!allowed) {
    return Bad(fmt::format("predicate-type: the statement's predicateType {:?} is not one allowed ({}; --predicate-type)", type,
                           predicate_types.empty() ? "model_signing's" : fmt::format("{}", fmt::join(predicate_types, ", "))));
  }
  const json* subjects = statement.is_object() && statement.contains("subject") ? &statement["subject"] : nullptr;
  if (subjects != nullptr && subjects->is_array()) {
    for (const json& subject : *subjects) {
      if (JsonStringOr(subject, {"digest", "sha256"}) == Hex(artifact.sha256)) {
        v->subject = JsonStringOr(subject, {"name"});
        return v;
      }
    }
  }
  return Bad("artifact-signature: no subject of the signed statement has the artifact's sha256");
}

Expected<Verified> VerifyModelTree(const SignatureFile& sig, const std::string& path,
                                   const std::vector<TrustedKey>& keys, const std::vector<std::string>& ignore) {
  if (sig.format != SignatureFile::Format::kModelSigning) return Bad("not a model-signing bundle");
  if (sig.payload_type != "application/vnd.in-toto+json") return Bad("DSSE payload is not an in-toto statement");
  // The signature first: nothing in the payload is looked at before it is authenticated.
  std::string pae = Pae(sig.payload_type, sig.payload);
  bool ok = false;
  Expected<Verified> v = Bad("no signature");
  for (const std::string& s : sig.dsse_signatures) {
    v = AnyKey(keys, sig.hint, [&](const TrustedKey& k) { return VerifyMessage(k, pae, s); });
    if (v) {
      ok = true;
      break;
    }
  }
  if (!ok) return v;
  auto tree = CheckModelTree(sig.payload, path, ignore);
  if (!tree) return tree.error();
  v->subject = tree->subject;
  v->subject_sha256 = tree->subject_sha256;
  v->signed_files = std::move(tree->signed_files);
  return v;
}

std::string Pae(std::string_view type, std::string_view payload) {
  return fmt::format("DSSEv1 {} {} {} ", type.size(), type, payload.size()) + std::string(payload);
}

}  // namespace aegis::verifier
