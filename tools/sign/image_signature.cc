#include "sign/image_signature.h"

#include <nlohmann/json.hpp>

#include "platform/net_error.h"
#include "util/base64.h"
#include "util/json_access.h"
#include "verifier/common/crypto.h"
#include "verifier/trust/signature.h"

namespace aegis::sign {
namespace {
using nlohmann::json;

constexpr const char* kInToto = "application/vnd.in-toto+json";
constexpr const char* kBundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";
constexpr const char* kEmptyType = "application/vnd.oci.empty.v1+json";
constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";

// The referrers tag's index with `descriptor` added (a new index when there is none).
Expected<std::string> WithReferrer(verifier::RegistryClient& client, const std::string& tag, const json& descriptor) {
  json index = {{"schemaVersion", 2}, {"mediaType", kIndexType}, {"manifests", json::array()}};
  auto existing = client.GetRawManifest(tag);
  if (!existing && existing.error().kind != NetError::kNotFound) return existing.error();
  if (existing) {
    auto parsed = ParseJsonBounded(existing->bytes, 32);
    if (!parsed || !parsed->is_object() || !JsonAt(*parsed, {"manifests"}) || !(*parsed)["manifests"].is_array()) {
      return Error{NetError::kNetwork, tag, {}, "the referrers tag is not an image index"};
    }
    index = *parsed;
  }
  index["manifests"].push_back(descriptor);
  return index.dump();
}

}  // namespace

Expected<std::string> ImageSignatureBundle(const Signer& signer, const std::string& manifest_digest) {
  json statement = {{"_type", "https://in-toto.io/Statement/v1"},
                    {"subject", json::array({{{"digest", {{"sha256", manifest_digest.substr(manifest_digest.find(':') + 1)}}}}})},
                    {"predicateType", verifier::kCosignSignPredicate},
                    {"predicate", json::object()}};
  std::string payload = statement.dump();
  auto sig = signer.SignMessage(verifier::Pae(kInToto, payload));
  if (!sig) return sig.error();
  json bundle = {{"mediaType", kBundleType},
                 {"verificationMaterial", {{"publicKey", {{"hint", signer.PublicKey().hint}}}, {"tlogEntries", json::array()}}},
                 {"dsseEnvelope", {{"payload", Base64Encode(payload)}, {"payloadType", kInToto}, {"signatures", {{{"sig", Base64Encode(*sig)}}}}}}};
  return bundle.dump();
}

Expected<ImageSigned> SignImage(const Signer& signer, verifier::RegistryClient& client, const std::string& reference) {
  auto subject = client.GetRawManifest(reference);
  if (!subject) return subject.error();
  auto bundle = ImageSignatureBundle(signer, subject->digest);
  if (!bundle) return bundle.error();
  auto config = client.PushBlob("{}");
  if (!config) return config.error();
  auto layer = client.PushBlob(*bundle);
  if (!layer) return layer.error();
  json manifest = {{"schemaVersion", 2},
                   {"mediaType", kManifestType},
                   {"artifactType", kBundleType},
                   {"config", {{"mediaType", kEmptyType}, {"digest", *config}, {"size", 2}}},
                   {"layers", json::array({{{"mediaType", kBundleType}, {"digest", *layer}, {"size", bundle->size()}}})},
                   {"subject",
                    {{"mediaType", subject->media_type.empty() ? kManifestType : subject->media_type},
                     {"digest", subject->digest},
                     {"size", subject->bytes.size()}}},
                   {"annotations",
                    {{"dev.sigstore.bundle.content", "dsse-envelope"}, {"dev.sigstore.bundle.predicateType", verifier::kCosignSignPredicate}}}};
  std::string bytes = manifest.dump();
  ImageSigned out{subject->digest, "sha256:" + Hex(verifier::Sha256(bytes)), false};
  auto indexed = client.PushManifest(out.referrer, bytes, kManifestType);
  if (!indexed) return indexed.error();
  // OCI-Subject says the registry indexed it; a registry that does not send it (go-containerregistry's)
  // may still serve the referrers API, which is what cosign asks before writing the tag.
  if (!*indexed) {
    auto api = client.GetReferrers(subject->digest);
    if (!api) return api.error();
    *indexed = api->has_value();
  }
  out.referrers_api = *indexed;
  if (out.referrers_api) return out;
  std::string tag = "sha256-" + subject->digest.substr(subject->digest.find(':') + 1);
  auto index = WithReferrer(client, tag, {{"mediaType", kManifestType}, {"digest", out.referrer}, {"size", bytes.size()}, {"artifactType", kBundleType}});
  if (!index) return index.error();
  auto pushed = client.PushManifest(tag, *index, kIndexType);
  if (!pushed) return pushed.error();
  return out;
}

}  // namespace aegis::sign
