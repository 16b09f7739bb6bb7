// OCI registries (the Distribution API, docs: opencontainers/distribution-spec): KServe's
// oci://REGISTRY/REPOSITORY[:TAG|@DIGEST] read as a model directory. The manifest is
// resolved (an index picks the linux manifest of this machine's architecture), and its
// layers are fetched as blobs, each checked against its digest as it streams. Access follows
// the Docker token protocol a registry asks for with its 401 challenge: Bearer (a token from
// the challenge's realm for scope repository:REPO:pull, with the registry's credentials as
// Basic auth when there are any) or Basic. Credentials come from the files docker, podman and
// Kubernetes pull secrets use: REGISTRY_AUTH_FILE (podman/skopeo, or a mounted
// .dockerconfigjson), $DOCKER_CONFIG/config.json, ~/.docker/config.json; the entry for the
// registry's host ("auth": base64 user:password, or "username"/"password"). Credential helpers
// are not run. Registries are reached over https only; the token never follows a blob's
// redirect to storage (curl keeps a custom Authorization header to the registry's origin).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/env.h"
#include "platform/http.h"
#include "util/expected.h"
#include "verifier/common/fetch.h"

namespace aegis::verifier {

struct OciReference {
  std::string registry;    // host[:port]
  std::string repository;  // path components, lower case
  std::string tag;         // empty when pinned by digest (or "latest" when neither is given)
  std::string digest;      // sha256:<64 hex>, or empty
  // oci://REGISTRY/REPOSITORY@DIGEST or :TAG
  std::string Display() const;
};

bool IsOciUri(const std::string& uri);
// kUsage for a malformed reference (no repository, invalid names, a digest that is not sha256).
Expected<OciReference> ParseOciReference(const std::string& uri);

struct RegistryCredential {
  std::string username, password;  // never logged
  std::string source;              // the file it came from
};

// The credential for `registry`, or nullopt (anonymous). kUsage for a config file that is set
// (REGISTRY_AUTH_FILE, DOCKER_CONFIG) but cannot be read, or an entry that cannot be decoded.
Expected<std::optional<RegistryCredential>> ResolveRegistryCredential(const platform::Env& env, const std::string& registry);

struct OciLayer {
  std::string media_type, digest;
  uint64_t size = 0;
  std::string title;    // org.opencontainers.image.title: the file's name (ORAS, artifacts)
  bool unpack = false;  // io.deis.oras.content.unpack: a directory packed as tar(+gzip)
};

// A manifest as served: its bytes, the media type the registry gave, and the digest of the bytes.
struct RawManifest {
  std::string bytes, media_type, digest;
};

struct OciManifest {
  std::string digest;  // of the manifest the layers come from
  std::string media_type, artifact_type;
  std::vector<OciLayer> layers;
};

class RegistryClient {
 public:
  RegistryClient(OciReference ref, std::optional<RegistryCredential> credential, FetchOptions options)
      : ref_(std::move(ref)), credential_(std::move(credential)), options_(std::move(options)) {}

  // The image or artifact manifest. A digest-pinned reference must match the bytes served
  // (VerifyError::kSignature otherwise). Errors: kNotFound, NetError::kForbidden (credentials
  // refused, or no token for the scope), kNetwork.
  Expected<OciManifest> GetManifest();

  // The manifest `reference` (a tag or a digest) names, unresolved (an index stays an index).
  // A digest must match the bytes served (VerifyError::kSignature otherwise). Errors as GetManifest.
  Expected<RawManifest> GetRawManifest(const std::string& reference);

  // The OCI 1.1 referrers API (GET /v2/REPO/referrers/DIGEST): the index of the manifests
  // whose `subject` is `digest`; nullopt when the registry has no such API (it answers 404, and
  // clients fall back to the referrers tag, distribution-spec "Referrers Tag Schema").
  Expected<std::optional<std::string>> GetReferrers(const std::string& digest);

  // Pushing (aegis sign), with the credential's push access (the registry's 401 challenge asks
  // for it, answered as for pulls). A blob by a monolithic upload (POST, then PUT to the
  // registry's upload location with ?digest=); its digest.
  Expected<std::string> PushBlob(const std::string& bytes);
  // A manifest under `reference` (a tag, or its own digest). True when the registry indexed its
  // subject (the OCI-Subject header: it serves the referrers API itself).
  Expected<bool> PushManifest(const std::string& reference, const std::string& bytes, const std::string& media_type);

  // A blob into `out_path`; bounded by its `size`, and its SHA-256 must be `digest`
  // (VerifyError::kSignature otherwise: the registry served other bytes).
  Expected<FetchResult> GetBlob(const std::string& digest, uint64_t size, const std::string& out_path);

  // "anonymous", "Bearer token for <user> (<file>)", …
  const std::string& AuthSummary() const { return auth_summary_; }

 private:
  // One request with the registry's authorization, retried like a download; `url` is a path
  // under Base() or a full https:// URL on the registry; `what` names it in errors; any status
  // but `expect` is an error.
  struct Call {
    std::string method, url, body, content_type;
    const char* what;
    size_t limit;
    long expect;
  };
  Expected<platform::HttpText> Exchange(const Call& call);
  // GET Base()+path: the body, at most `limit` bytes; `media_type` gets the Content-Type.
  Expected<std::string> GetText(const std::string& path, const char* what, size_t limit, std::string* media_type);
  Status Authorize(const std::string& challenge);
  std::string Base() const { return "https://" + ref_.registry + "/v2/" + ref_.repository; }

  OciReference ref_;
  std::optional<RegistryCredential> credential_;
  FetchOptions options_;
  std::string authorization_;  // the header value once a challenge was answered (never logged)
  std::string auth_summary_ = "anonymous";
};

}  // namespace aegis::verifier
