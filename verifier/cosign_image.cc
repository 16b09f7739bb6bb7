#include "verifier/cosign_image.h"

#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "platform/net_error.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "util/json_access.h"
#include "util/strings.h"
#include "verifier/common/crypto.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;

constexpr size_t kMaxSignatures = 16;
constexpr uint64_t kMaxSignatureBlob = 1 << 20;
constexpr const char* kBundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";
constexpr const char* kEmptyType = "application/vnd.oci.empty.v1+json";
constexpr const char* kSimpleSigningType = "application/vnd.dev.cosign.simplesigning.v1+json";
constexpr const char* kSignatureAnnotation = "dev.cosignproject.cosign/signature";
constexpr const char* kCertificateAnnotation = "dev.sigstore.cosign/certificate";
constexpr const char* kSimpleSigningKind = "cosign container image signature";

Error Bad(std::string where, std::string msg) { return Error{VerifyError::kSignature, std::move(where), {}, std::move(msg)}; }

// The tag cosign derives from a digest: sha256:HEX → sha256-HEX (+ suffix).
std::string DigestTag(const std::string& digest, const char* suffix) {
  std::string t = digest;
  t[t.find(':')] = '-';
  return t + suffix;
}

Expected<json> ParseManifest(const std::string& bytes, const std::string& where) {
  auto j = ParseJsonBounded(bytes, 32);
  if (!j || !j->is_object()) return Bad(where, "not a JSON manifest");
  return *j;
}

// sha256:<64 hex> → the 32 raw bytes; nullopt otherwise.
std::optional<std::string> RawSha256(const std::string& digest) {
  if (digest.size() != 71 || digest.rfind("sha256:", 0) != 0) return std::nullopt;
  std::string raw;
  for (size_t i = 7; i < digest.size(); i += 2) {
    unsigned value = 0;
    for (char c : digest.substr(i, 2)) {
      int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (v < 0) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(v);
    }
    raw.push_back(static_cast<char>(value));
  }
  return raw;
}

// A layer's blob, bounded, as text.
Expected<std::string> ReadBlob(RegistryClient& client, const json& layer, const std::string& scratch, const std::string& where) {
  const json* size = JsonAt(layer, {"size"});
  std::string digest = JsonStringOr(layer, {"digest"});
  if (size == nullptr || !size->is_number_unsigned() || size->get<uint64_t>() > kMaxSignatureBlob || digest.empty()) {
    return Bad(where, fmt::format("a signature layer without a digest, or larger than {} bytes", kMaxSignatureBlob));
  }
  auto got = client.GetBlob(digest, size->get<uint64_t>(), scratch);
  if (!got) return got.error();
  return ReadInput(scratch, kMaxSignatureBlob);
}

// cosign v3: referrer manifests whose artifact type is a Sigstore bundle; their bundle layer.
Status AddBundles(RegistryClient& client, const std::string& index_bytes, const std::string& scratch, std::vector<ImageSignature>& out) {
  auto index = ParseManifest(index_bytes, "referrers");
  if (!index) return index.error();
  const json* manifests = JsonAt(*index, {"manifests"});
  if (manifests == nullptr || !manifests->is_array()) return Ok{};
  size_t taken = 0;
  for (const json& d : *manifests) {
    // cosign v2 writes its referrers-tag entries with the config's type (the empty descriptor's):
    // the manifest's own artifactType decides.
    std::string listed = JsonStringOr(d, {"artifactType"});
    if ((listed != kBundleType && listed != kEmptyType && !listed.empty()) || taken == kMaxSignatures) continue;
    std::string where = "referrer " + JsonStringOr(d, {"digest"});
    auto m = client.GetRawManifest(JsonStringOr(d, {"digest"}));
    if (!m) return m.error();
    auto j = ParseManifest(m->bytes, where);
    if (!j) return j.error();
    if (JsonStringOr(*j, {"artifactType"}) != kBundleType) continue;
    const json* layers = JsonAt(*j, {"layers"});
    if (layers == nullptr || !layers->is_array() || layers->size() != 1 || JsonStringOr((*layers)[0], {"mediaType"}) != kBundleType) {
      return Bad(where, "a Sigstore bundle referrer must have one bundle layer");
    }
    auto text = ReadBlob(client, (*layers)[0], scratch, where);
    if (!text) return text.error();
    auto parsed = ParseSignatureFile(*text);
    if (!parsed) return Bad(where, parsed.error().message);
    ImageSignature s;
    s.where = where;
    s.bundle = std::move(*parsed);
    out.push_back(std::move(s));
    ++taken;
  }
  return Ok{};
}

// cosign's legacy layout: the .sig tag's simple-signing layers.
Status AddSimpleSignings(RegistryClient& client, const std::string& digest, const std::string& scratch, std::vector<ImageSignature>& out) {
  std::string tag = DigestTag(digest, ".sig");
  auto m = client.GetRawManifest(tag);
  if (!m && m.error().kind == NetError::kNotFound) return Ok{};
  if (!m) return m.error();
  auto j = ParseManifest(m->bytes, "tag " + tag);
  if (!j) return j.error();
  const json* layers = JsonAt(*j, {"layers"});
  if (layers == nullptr || !layers->is_array()) return Ok{};
  size_t n = 0;
  for (const json& layer : *layers) {
    std::string where = fmt::format("tag {}, layer {}", tag, n++);
    if (JsonStringOr(layer, {"mediaType"}) != kSimpleSigningType) continue;
    if (out.size() >= 2 * kMaxSignatures) break;
    auto sig = Base64Decode(JsonStringOr(layer, {"annotations", kSignatureAnnotation}));
    if (!sig || sig->empty()) return Bad(where, fmt::format("no base64 signature in the {} annotation", kSignatureAnnotation));
    auto payload = ReadBlob(client, layer, scratch, where);
    if (!payload) return payload.error();
    ImageSignature s;
    s.layout = ImageSignature::Layout::kSimpleSigning;
    s.where = where;
    s.payload = std::move(*payload);
    s.signature = std::move(*sig);
    s.certificate = !JsonStringOr(layer, {"annotations", kCertificateAnnotation}).empty();
    out.push_back(std::move(s));
  }
  return Ok{};
}

// A simple-signing payload names the manifest it signs and says what it is.
Status CheckSimpleSigningPayload(const std::string& payload, const std::string& digest, const std::string& where) {
  auto j = ParseJsonBounded(payload, 16);
  if (!j || !j->is_object()) return Bad(where, "the signed payload is not JSON");
  if (std::string type = JsonStringOr(*j, {"critical", "type"}); type != kSimpleSigningKind) {
    return Bad(where, fmt::format("the signed payload's critical.type is {:?}, not {:?}", type, kSimpleSigningKind));
  }
  if (std::string signed_digest = JsonStringOr(*j, {"critical", "image", "docker-manifest-digest"}); signed_digest != digest) {
    return Bad(where, fmt::format("manifest-digest: the signature is for {}, not this manifest ({})", signed_digest.empty() ? "no digest" : signed_digest, digest));
  }
  return Ok{};
}

}  // namespace

Expected<std::vector<ImageSignature>> FindImageSignatures(RegistryClient& client, const std::string& digest, const std::string& scratch) {
  std::vector<ImageSignature> out;
  auto referrers = client.GetReferrers(digest);
  if (!referrers) return referrers.error();
  if (!*referrers) {  // no referrers API: the referrers tag
    auto index = client.GetRawManifest(DigestTag(digest, ""));
    if (!index && index.error().kind != NetError::kNotFound) return index.error();
    if (index) referrers = std::optional<std::string>(index->bytes);
  }
  if (*referrers) {
    if (Status s = AddBundles(client, **referrers, scratch, out); !s) return s.error();
  }
  if (Status s = AddSimpleSignings(client, digest, scratch, out); !s) return s.error();
  std::error_code ec;
  std::filesystem::remove(scratch, ec);
  return out;
}

Expected<Verified> VerifyImageSignature(const Trust& trust, const ImageSignature& sig, const std::string& digest, const std::string& scratch) {
  auto raw = RawSha256(digest);
  if (!raw) return Bad(sig.where, "not a sha256 digest: " + digest);
  if (sig.layout == ImageSignature::Layout::kBundle) {
    Digests subject{*raw, {}, {}};
    auto v = VerifyStatementWith(trust, sig.bundle, subject, {kCosignSignPredicate});
    if (!v) {
      Error e = v.error();
      e.file = sig.where;
      if (e.message.rfind("artifact-signature:", 0) == 0) {
        e.message = fmt::format("manifest-digest: no subject of the signed statement is this manifest ({})", digest);
      }
      return e;
    }
    return v;
  }
  if (sig.certificate) {
    return Bad(sig.where, "a keyless signature in cosign's legacy layout (a certificate annotation on the .sig tag) is not supported: "
                          "sign with cosign v3's bundle format (the default)");
  }
  if (Status s = WriteFileAtomically(scratch, sig.payload); !s) return s.error();
  auto digests = DigestFile(scratch, NeededDigests(trust));
  if (!digests) return digests.error();
  SignatureFile legacy;
  legacy.format = SignatureFile::Format::kLegacy;
  legacy.signature = sig.signature;
  auto v = VerifyArtifactWith(trust, legacy, *digests, scratch);
  std::error_code ec;
  std::filesystem::remove(scratch, ec);
  if (!v) {
    Error e = v.error();
    e.file = sig.where;
    return e;
  }
  if (Status s = CheckSimpleSigningPayload(sig.payload, digest, sig.where); !s) return s.error();
  v->notes = "cosign simple signing (legacy .sig tag)";
  return v;
}

}  // namespace aegis::verifier
