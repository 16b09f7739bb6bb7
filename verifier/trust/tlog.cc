#include "verifier/trust/tlog.h"

#include <openssl/evp.h>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/base64.h"
#include "util/json_access.h"
#include "verifier/common/crypto.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;

Error Failed(std::string_view check, const std::string& what) {
  return Error{VerifyError::kSignature, {}, {}, fmt::format("{}: {}", check, what)};
}

// A log's signature over `message`: ECDSA or RSA with SHA-256, or Ed25519.
bool LogSignatureVerifies(EVP_PKEY* key, std::string_view message, std::string_view sig) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const EVP_MD* md = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

std::string NodeHash(std::string_view left, std::string_view right) {
  return Sha256(std::string("\x01", 1) + std::string(left) + std::string(right));
}

// The DER inside a PEM certificate (the logged verifier / publicKey).
std::string PemToDer(std::string_view pem) {
  size_t begin = pem.find("-----BEGIN");
  if (begin == std::string_view::npos) return {};
  begin = pem.find('\n', begin);
  size_t end = pem.find("-----END", begin);
  if (begin == std::string_view::npos || end == std::string_view::npos) return {};
  auto der = Base64Decode(pem.substr(begin + 1, end - begin - 1));
  return der ? *der : std::string();
}

// The string at a path of the logged body, "" when absent (util/json_access.h).
std::string Str(const json& j, std::initializer_list<const char*> path) { return JsonStringOr(j, path); }

}  // namespace

Status VerifyInclusionProof(const TlogEntry& e) {
  // RFC 9162, 2.1.3.2: from the leaf up to the root the proof's hashes name.
  if (e.proof_index < 0 || e.tree_size <= 0 || e.proof_index >= e.tree_size) {
    return Failed("inclusion-proof", fmt::format("index {} is outside a tree of {}", e.proof_index, e.tree_size));
  }
  auto fn = static_cast<uint64_t>(e.proof_index), sn = static_cast<uint64_t>(e.tree_size - 1);
  std::string r = Sha256(std::string("\x00", 1) + e.body);
  for (const std::string& p : e.hashes) {
    if (sn == 0) return Failed("inclusion-proof", "the proof has more hashes than the tree has levels");
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Failed("inclusion-proof", "the proof has fewer hashes than the tree has levels");
  if (r != e.root_hash) {
    return Failed("inclusion-proof", fmt::format("the computed root {} is not the proof's root {}", Hex(r), Hex(e.root_hash)));
  }
  return Ok{};
}

Status VerifyCheckpoint(const TlogEntry& e, const LogKey& log) {
  // A signed note: "<origin>\n<size>\n<base64 root>\n[extensions…]\n\n— <name> <base64(hint[4] sig)>\n…"
  const std::string& text = e.checkpoint;
  size_t blank = text.find("\n\n");
  if (blank == std::string::npos) return Failed("checkpoint", "not a signed note (no blank line before the signatures)");
  std::string body = text.substr(0, blank + 1);
  std::vector<std::string> lines;
  for (size_t at = 0; at < body.size();) {
    size_t nl = body.find('\n', at);
    lines.push_back(body.substr(at, nl - at));
    at = nl + 1;
  }
  if (lines.size() < 3) return Failed("checkpoint", "the note has no origin, size and root hash");
  if (lines[1] != std::to_string(e.tree_size)) {
    return Failed("checkpoint", fmt::format("it is for a tree of {}, the proof for {}", lines[1], e.tree_size));
  }
  auto hash = Base64Decode(lines[2]);
  if (!hash || *hash != e.root_hash) return Failed("checkpoint", "its root hash is not the proof's root");
  static const std::string kDash = "\xe2\x80\x94 ";
  bool by_log = false;
  for (size_t at = blank + 2; at < text.size();) {
    size_t nl = text.find('\n', at);
    std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    at = nl == std::string::npos ? text.size() : nl + 1;
    if (!line.starts_with(kDash)) continue;
    size_t space = line.rfind(' ');
    auto sig = Base64Decode(line.substr(space + 1));
    if (!sig || sig->size() <= 4 || log.log_id.compare(0, 4, *sig, 0, 4) != 0) continue;
    by_log = true;
    if (LogSignatureVerifies(log.key.get(), body, std::string_view(*sig).substr(4))) return Ok{};
  }
  return Failed("checkpoint", by_log ? "the log's signature on the checkpoint does not verify"
                                     : "no signature on the checkpoint is by the entry's own log");
}

Status VerifySignedEntryTimestamp(const TlogEntry& e, const LogKey& log) {
  // The inclusion promise: the log's signature over the entry, as canonical JSON (keys sorted).
  json payload = {{"body", Base64Encode(e.body)},
                  {"integratedTime", e.integrated_time},
                  {"logID", Hex(e.log_id)},
                  {"logIndex", e.log_index}};
  if (!LogSignatureVerifies(log.key.get(), payload.dump(), e.signed_entry_timestamp)) {
    return Failed("set", "the log's signed entry timestamp does not verify over the entry");
  }
  return Ok{};
}

namespace {

// The logged verifier (DER: a certificate, or a public key's SPKI) is the bundle's signer.
bool SignerMatches(const std::optional<std::string>& der, const LoggedMaterial& m) {
  if (!der) return false;
  if (!m.certificate_der.empty()) return *der == m.certificate_der;
  std::string fingerprint = "sha256:" + Hex(Sha256(*der));
  return std::find(m.key_fingerprints.begin(), m.key_fingerprints.end(), fingerprint) != m.key_fingerprints.end();
}

std::optional<std::string> PemDer(const std::string& b64_pem) {
  auto pem = Base64Decode(b64_pem);
  if (!pem) return std::nullopt;
  return PemToDer(*pem);
}

// Rekor v2 verifiers: {"x509Certificate": {"rawBytes"}} or {"publicKey": {"rawBytes"}}.
std::optional<std::string> V2Verifier(const json& verifier) {
  std::string raw = Str(verifier, {"x509Certificate", "rawBytes"});
  if (raw.empty()) raw = Str(verifier, {"publicKey", "rawBytes"});
  auto der = Base64Decode(raw);
  if (!der || der->empty()) return std::nullopt;
  return *der;
}

const char* SignerName(const LoggedMaterial& m) { return m.certificate_der.empty() ? "the trusted key" : "the bundle's certificate"; }

// A hashedrekord logs the digest of what was signed: the artifact's, or over a DSSE envelope
// the PAE's (Sigstore client spec, "Bundle content vs. Rekor entry kind").
Status LoggedDigestMatches(bool same, const LoggedMaterial& m) {
  if (same) return Ok{};
  return Failed("tlog-body", m.pae_sha256.empty() ? "the logged digest is not the artifact's"
                                                  : "the logged digest is not the envelope's (SHA-256 of its PAE)");
}

}  // namespace

Status VerifyLoggedBody(const TlogEntry& e, const LoggedMaterial& m) {
  json body = json::parse(e.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return Failed("tlog-body", "the logged body is not JSON");
  std::string kind = Str(body, {"kind"}), version = Str(body, {"apiVersion"});
  if (kind != e.kind) return Failed("tlog-body", fmt::format("the body is a {:?}, the entry says {:?}", kind, e.kind));
  if (!e.version.empty() && version != e.version) {
    return Failed("tlog-body", fmt::format("the body is version {:?}, the entry says {:?}", version, e.version));
  }
  if (kind == "hashedrekord" && version == "0.0.1") {
    auto sig = Base64Decode(Str(body, {"spec", "signature", "content"}));
    if (!sig || *sig != m.signature) return Failed("tlog-body", "the logged signature is not the bundle's");
    if (!SignerMatches(PemDer(Str(body, {"spec", "signature", "publicKey", "content"})), m)) {
      return Failed("tlog-body", fmt::format("the logged signer is not {}", SignerName(m)));
    }
    const std::string& want = m.pae_sha256.empty() ? m.digest_sha256 : m.pae_sha256;
    return LoggedDigestMatches(Str(body, {"spec", "data", "hash", "algorithm"}) == "sha256" &&
                                   Str(body, {"spec", "data", "hash", "value"}) == Hex(want),
                               m);
  }
  if (kind == "hashedrekord" && version == "0.0.2") {  // Rekor v2 (rekor-tiles HashedRekordLogEntryV002)
    const json* spec = JsonAt(body, {"spec", "hashedRekordV002"});
    if (spec == nullptr) return Failed("tlog-body", "the body has no spec.hashedRekordV002");
    auto sig = Base64Decode(Str(*spec, {"signature", "content"}));
    if (!sig || *sig != m.signature) return Failed("tlog-body", "the logged signature is not the bundle's");
    const json* verifier = JsonAt(*spec, {"signature", "verifier"});
    if (verifier == nullptr || !SignerMatches(V2Verifier(*verifier), m)) {
      return Failed("tlog-body", fmt::format("the logged signer is not {}", SignerName(m)));
    }
    auto digest = Base64Decode(Str(*spec, {"data", "digest"}));
    const std::string& want = m.pae_sha256.empty() ? m.digest_sha256 : m.pae_sha256;
    return LoggedDigestMatches(Str(*spec, {"data", "algorithm"}) == "SHA2_256" && digest && *digest == want, m);
  }
  if (kind == "dsse" && version == "0.0.1") {
    if (Str(body, {"spec", "payloadHash", "algorithm"}) != "sha256" ||
        Str(body, {"spec", "payloadHash", "value"}) != Hex(m.digest_sha256)) {
      return Failed("tlog-body", "the logged payload hash is not the envelope's");
    }
    if (const json* sigs = JsonAt(body, {"spec", "signatures"}); sigs != nullptr && sigs->is_array()) {
      for (const json& s : *sigs) {
        auto sig = Base64Decode(Str(s, {"signature"}));
        if (sig && *sig == m.signature && SignerMatches(PemDer(Str(s, {"verifier"})), m)) return Ok{};
      }
    }
    return Failed("tlog-body", fmt::format("no logged signature is the envelope's, by {}", SignerName(m)));
  }
  if (kind == "dsse" && version == "0.0.2") {  // Rekor v2 (rekor-tiles DSSELogEntryV002)
    const json* spec = JsonAt(body, {"spec", "dsseV002"});
    if (spec == nullptr) return Failed("tlog-body", "the body has no spec.dsseV002");
    auto digest = Base64Decode(Str(*spec, {"payloadHash", "digest"}));
    if (Str(*spec, {"payloadHash", "algorithm"}) != "SHA2_256" || !digest || *digest != m.digest_sha256) {
      return Failed("tlog-body", "the logged payload hash is not the envelope's");
    }
    if (const json* sigs = JsonAt(*spec, {"signatures"}); sigs != nullptr && sigs->is_array()) {
      for (const json& s : *sigs) {
        auto sig = Base64Decode(Str(s, {"content"}));
        const json* verifier = JsonAt(s, {"verifier"});
        if (sig && *sig == m.signature && verifier != nullptr && SignerMatches(V2Verifier(*verifier), m)) return Ok{};
      }
    }
    return Failed("tlog-body", fmt::format("no logged signature is the envelope's, by {}", SignerName(m)));
  }
  if (kind == "intoto" && version == "0.0.2") {  // cosign attest (Rekor v1 intoto 0.0.2)
    if (m.pae_sha256.empty()) return Failed("tlog-body", "an intoto entry logs a DSSE envelope, and this bundle has none");
    if (Str(body, {"spec", "content", "payloadHash", "algorithm"}) != "sha256" ||
        Str(body, {"spec", "content", "payloadHash", "value"}) != Hex(m.digest_sha256)) {
      return Failed("tlog-body", "the logged payload hash is not the envelope's");
    }
    const json* sigs = JsonAt(body, {"spec", "content", "envelope", "signatures"});
    if (sigs == nullptr || !sigs->is_array() || sigs->size() != 1) {
      return Failed("tlog-body", "the logged envelope must carry exactly one signature");
    }
    // The logged signature is base64 twice over (the envelope's base64 text, encoded again).
    auto text = Base64Decode(Str((*sigs)[0], {"sig"}));
    auto sig = Base64Decode(text ? *text : std::string("!"));
    if (!sig || *sig != m.signature) return Failed("tlog-body", "the logged signature is not the envelope's");
    if (!SignerMatches(PemDer(Str((*sigs)[0], {"publicKey"})), m)) {
      return Failed("tlog-body", fmt::format("the logged signer is not {}", SignerName(m)));
    }
    return Ok{};
  }
  return Failed("tlog-body", fmt::format("entries of kind {:?} version {:?} are not supported", kind, version));
}

Status VerifyTlogEntry(const TlogEntry& e, const SigstoreRoot& root, const LoggedMaterial& m, int64_t at) {
  const LogKey* log = root.Tlog(e.log_id);
  if (log == nullptr) return Failed("tlog", fmt::format("the entry's log {} is not in the trusted root", Base64Encode(e.log_id)));
  if (!log->valid.Contains(at)) {
    return Failed("tlog", fmt::format("the log {} was not valid at the entry's time", log->base_url));
  }
  if (!e.has_proof && e.signed_entry_timestamp.empty()) {
    return Failed("tlog", "the entry has neither an inclusion proof nor a signed entry timestamp");
  }
  if (auto st = VerifyLoggedBody(e, m); !st) return st;
  if (e.has_proof) {
    if (auto st = VerifyInclusionProof(e); !st) return st;
    if (e.checkpoint.empty()) return Failed("checkpoint", "the inclusion proof has no checkpoint");
    if (auto st = VerifyCheckpoint(e, *log); !st) return st;
  }
  if (!e.signed_entry_timestamp.empty()) {
    if (auto st = VerifySignedEntryTimestamp(e, *log); !st) return st;
  }
  return Ok{};
}

}  // namespace aegis::verifier
