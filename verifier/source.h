// Where artifacts and signatures come from (docs/VERIFIER.md, "Invocation"): s3:// (SigV4,
// the AWS credential chain, resolved once), gs:// (the Google credential chain, resolved
// once), Azure Blob (https://ACCOUNT.blob.core.windows.net/…, the Azure chain, resolved once
// per account), https://, http:// (only when allowed), file:///… and plain paths. Every download streams to a file while hashing.
#pragma once

#include <map>
#include <optional>
#include <functional>
#include <set>
#include <string>

#include "util/expected.h"
#include "verifier/azure_blob.h"
#include "verifier/extract.h"
#include "verifier/fetch.h"
#include "verifier/google_auth.h"
#include "verifier/hf_hub.h"
#include "verifier/listing.h"
#include "verifier/oci_registry.h"
#include "verifier/s3.h"

namespace aegis::verifier {

enum class Scheme { kS3, kGs, kAzureBlob, kHf, kOci, kHttps, kHttp, kFile };

// kUsage for an unsupported scheme, for http:// without `allow_http`, for file://host/….
Expected<Scheme> SchemeOf(const std::string& uri, bool allow_http);

// `uri` with `suffix` appended to its path (before any query string).
std::string WithSuffix(const std::string& uri, const std::string& suffix);

// The last path component (query and fragment removed); "model" when there is none.
std::string BaseName(const std::string& uri);

// `uri` safe to print: no query string (signed URLs) and no user:password.
std::string DisplayUri(const std::string& uri);

// s3://, gs:// and Azure Blob URIs whose path ends in '/' name a model directory (a prefix),
// not an object; an hf://OWNER/MODEL[@REVISION] URI names a whole repository, and an
// oci://REGISTRY/REPOSITORY[:TAG|@DIGEST] URI a whole artifact.
bool IsTreeUri(const std::string& uri);
// The stores whose names can also be read as a directory (KServe reads s3://b/m as the
// objects under m/ when there is no object m).
bool HasDirectoryForm(const std::string& uri);
// `uri` with its path ending in '/' (before any query), and without that '/'.
std::string AsTreeUri(const std::string& uri);
std::string WithoutTrailingSlash(const std::string& uri);

// Why `rel` (a listed name relative to a model directory) cannot be a path inside it: an empty,
// "." or ".." component, a control character, more than `max_bytes`; nullopt when it can.
std::optional<std::string> BadTreePath(const std::string& rel, size_t max_bytes);

struct TreeResult {
  uint64_t files = 0, bytes = 0;
};

class Sources {
 public:
  Sources(Env env, FetchOptions options, bool allow_http, bool anonymous)
      : env_(std::move(env)), options_(std::move(options)), allow_http_(allow_http), anonymous_(anonymous) {}

  // Downloads `uri` into `out_path` (created or replaced). kNotFound when it does not
  // exist, kLimit beyond `max_bytes` (0: no limit), stopping the moment it is passed; errors
  // name DisplayUri(uri) only. `on_final`: FetchOptions::on_final (how much of the file is
  // final, as it completes). `in_parts`: a large object may come in ranged parts (the
  // artifact); else one request (a signature, a listed file of a directory).
  Expected<FetchResult> Get(const std::string& uri, const std::string& out_path, DigestSet digests,
                            uint64_t max_bytes = 0, std::function<void(uint64_t, uint64_t)> on_final = {},
                            bool in_parts = false);

  // A model directory: every object under `prefix_uri` (IsTreeUri) into
  // `dir` (created), each at its name relative to the prefix, `parallel` at a time. Folder
  // markers (names ending in '/') are skipped. kNotFound when the prefix holds no object;
  // kArchive for a name that cannot be a path in the tree ("..", empty components, a file
  // that is also a directory) or a tree beyond `limits`; on error `dir` may hold part of it.
  Expected<TreeResult> GetTree(const std::string& prefix_uri, const std::string& dir, const ExtractLimits& limits, int parallel);

  // A client of the registry an oci:// reference names, with the credential resolved for it
  // (ResolveRegistryCredential; none when anonymous).
  Expected<RegistryClient> OciClient(const std::string& uri);

  // A model directory's listing: the objects, the prefix their keys start with, and each one's URI.
  struct TreeListing {
    std::string prefix;
    std::function<std::string(const std::string&)> uri_of;
    std::vector<ListedObject> objects;
  };

  // Where the AWS credentials came from, once resolved ("" before or when anonymous).
  const std::string& CredentialSource() const { return credential_source_; }
  // Where the Google token came from, once resolved ("" before; "anonymous: …" without one).
  const std::string& GoogleCredentialSource() const { return google_source_; }
  // Where each Azure account's credential came from, once resolved.
  std::string AzureCredentialSources() const;
  // hf://: where the token came from and the commit a revision resolved to ("" before).
  const std::string& HfSummary() const { return hf_summary_; }
  // oci://: how the registry was accessed and the manifest read ("" before).
  const std::string& OciSummary() const { return oci_summary_; }
  // hf:// at a branch or tag is refused unless allowed (it is then resolved once).
  void AllowUnpinnedRevisions(bool allow) { allow_unpinned_ = allow; }

 private:
  Expected<FetchResult> GetS3(const std::string& uri, const std::string& out_path, const FetchOptions& o);
  Expected<FetchResult> GetGs(const std::string& uri, const std::string& out_path, const FetchOptions& o);
  Expected<FetchResult> GetAzure(const std::string& uri, const std::string& out_path, const FetchOptions& o);
  Status ResolveHfToken();
  Expected<TreeResult> GetOciTree(const std::string& uri, const std::string& dir, const ExtractLimits& limits, int parallel);
  // GetTree's listing, per scheme (each resolves its credentials once).
  Expected<TreeListing> ListHfTree(const std::string& uri, const ExtractLimits& limits);
  Expected<TreeListing> ListAzureTree(const std::string& uri, const ExtractLimits& limits);
  Expected<TreeListing> ListBucketTree(const std::string& uri, const ExtractLimits& limits);
  Status ResolveAws();
  Status ResolveGoogle();
  // Resolved once per account (a SAS in the URI is its own); GetTree resolves before its
  // threads start, so they only read the map.
  Expected<AzureCredential> AzureCredentialFor(const AzureBlobLocation& loc);
  // kUsage for an http:// endpoint (from `setting`) without --allow-insecure-http.
  Status EndpointAllowed(const std::string& endpoint, const std::string& uri, const char* setting) const;

  Env env_;
  FetchOptions options_;
  bool allow_http_;
  bool anonymous_;
  bool resolved_ = false;
  std::optional<AwsCredentials> credentials_;
  std::string credential_source_;
  bool google_resolved_ = false;
  std::optional<GoogleToken> google_token_;
  std::string google_source_;
  std::map<std::string, AzureCredential> azure_;
  std::set<std::string> azure_uri_sas_;
  bool allow_unpinned_ = false;
  bool hf_resolved_ = false;
  std::optional<HfToken> hf_token_;
  std::string hf_summary_;
  std::string oci_summary_;
};

// A local model directory (a mounted volume: file:///mnt/pvc/model/ or a path) copied into
// `dst` (created): regular files (0644) and directories only, never following a link; a
// symbolic link, device, FIFO or socket, or a tree beyond `limits`, refuses it (kArchive/kLimit).
Expected<TreeResult> CopyLocalTree(const std::string& src, const std::string& dst, const ExtractLimits& limits);

// The local path of a file:// URI or a plain path ("" for other schemes).
std::string LocalPathOf(const std::string& uri);

// A local file copied while hashing (file:// and paths).
Expected<FetchResult> CopyLocal(const std::string& path, const std::string& out_path, DigestSet digests, uint64_t max_bytes);

}  // namespace aegis::verifier
