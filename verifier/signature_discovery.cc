#include "verifier/signature_discovery.h"

#include <fmt/format.h>

#include "platform/net_error.h"
#include "util/file_io.h"
#include "verifier/common/verify_error.h"
#include "verifier/cosign_image.h"

namespace aegis::verifier {
namespace {

constexpr uint64_t kMaxSignatureBytes = 1 << 20;

Error Fail(std::error_code kind, std::string file, std::string message) { return Error{kind, std::move(file), {}, std::move(message)}; }

}  // namespace

const char* FormatName(SignatureFile::Format f) {
  switch (f) {
    case SignatureFile::Format::kBundleMessage: return "sigstore-bundle";
    case SignatureFile::Format::kLegacy: return "legacy-sig";
    case SignatureFile::Format::kVault: return "vault";
    case SignatureFile::Format::kModelSigning: return "model-signing";
  }
  return "?";
}

Expected<Locations> Locate(const Options& o) {
  auto artifact = Location::Parse(o.artifact, o.allow_insecure_http);
  if (!artifact) return artifact.error();
  Locations at{*artifact, std::nullopt};
  if (!o.signature.empty()) {
    auto signature = Location::Parse(o.signature, o.allow_insecure_http);
    if (!signature) return signature.error();
    at.signature = *signature;
  }
  return at;
}

Expected<std::optional<FoundSignature>> FetchSignature(const Locations& at, Sources& sources, const Workspace& ws,
                                                       Logger& log) {
  std::vector<Location> candidates;
  if (at.signature) {
    candidates.push_back(*at.signature);
  } else if (at.artifact.HasSiblings()) {
    // A model directory's detached signature sits next to it (gs://b/m.sig for gs://b/m/); an
    // hf:// repository or an oci:// artifact has nothing next to it: model.sig inside, or --signature.
    Location base = at.artifact.WithoutTrailingSlash();
    for (const char* suffix : kSignatureSuffixes) candidates.push_back(base.WithSuffix(suffix));
  }
  const bool discovering = !at.signature;
  std::string path = ws.Path("signature");
  for (const Location& candidate : candidates) {
    auto got = sources.Get(candidate, path, DigestSet{false, false}, kMaxSignatureBytes);
    if (!got) {
      if (got.error().kind == NetError::kNotFound && discovering) continue;
      // Real S3 answers 403, not 404, for a missing key when the identity lacks s3:ListBucket;
      // discovery goes on (the artifact's own fetch tells whether access is really denied).
      if (got.error().kind == NetError::kForbidden && discovering) {
        log.Info("signature candidate refused",
                 {{"uri", candidate.Display()},
                  {"note", "HTTP 403 (S3 answers so for a missing key without s3:ListBucket)"}});
        continue;
      }
      Error e = got.error();
      if (e.kind == ErrorKind::kLimit) e.kind = VerifyError::kSignature;
      return e;
    }
    auto text = ReadInput(path);
    if (!text) return text.error();
    auto parsed = ParseSignatureFile(*text);
    if (!parsed) return Fail(VerifyError::kSignature, candidate.Display(), parsed.error().message);
    log.Info("signature fetched",
             {{"uri", candidate.Display()}, {"format", FormatName(parsed->format)}, {"bytes", got->bytes}});
    return std::optional<FoundSignature>(FoundSignature{candidate, std::move(*parsed)});
  }
  return std::optional<FoundSignature>();
}

Expected<ImageSigned> CheckImageSignatures(const Location& artifact, Sources& sources, const Trust& trust,
                                           const Workspace& ws, Logger& log) {
  auto ref = ParseOciReference(artifact.uri());
  if (!ref) return ref.error();
  if (ref->digest.empty()) {
    log.Warn("oci reference not pinned by digest",
             {{"uri", artifact.uri()}, {"note", "a tag can move between pod starts: pin @sha256:…"}});
  }
  auto client = sources.OciClient(artifact);
  if (!client) return client.error();
  auto manifest = client->GetRawManifest(ref->digest.empty() ? ref->tag : ref->digest);
  if (!manifest) return manifest.error();
  ImageSigned out{*ref, {}, {}, {}};
  out.pinned.tag.clear();
  out.pinned.digest = manifest->digest;
  std::string scratch = ws.Path("image-signature");
  auto found = FindImageSignatures(*client, manifest->digest, scratch);
  if (!found) return found.error();
  log.Info("image signatures", {{"manifest", manifest->digest}, {"found", found->size()}});
  for (const ImageSignature& sig : *found) {
    auto v = VerifyImageSignature(trust, sig, manifest->digest, scratch);
    if (v) {
      out.verified = std::move(*v);
      out.where = sig.where;
      return out;
    }
    log.Info("image signature not accepted", {{"signature", sig.where}, {"reason", v.error().message}});
    if (!out.refused) out.refused = v.error();
  }
  return out;
}

}  // namespace aegis::verifier
