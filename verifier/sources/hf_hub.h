// Hugging Face Hub repositories: KServe's hf://OWNER/MODEL[:REVISION] (also @REVISION), a whole
// model repository read as a model directory at one commit, as huggingface_hub's
// snapshot_download reads it: the revision resolved to its commit
// (GET /api/models/REPO/revision/REV → sha), the files listed at that commit
// (GET /api/models/REPO/tree/SHA?recursive=true, paginated by its Link header), each file read
// from /REPO/resolve/SHA/PATH, which redirects large (LFS/Xet) files to a storage host. The
// endpoint is HF_ENDPOINT or https://huggingface.co; the token (gated and private
// repositories) is HF_TOKEN, HUGGING_FACE_HUB_TOKEN, the file HF_TOKEN_PATH, or $HF_HOME/token
// (default ~/.cache/huggingface/token), sent to the endpoint only, never across a redirect to
// the storage host and never logged.
//
// A revision must be a commit (40 hex digits): a branch or tag moves, and what was verified
// must be what the next pod start fetches. A branch or tag (or none: main) is refused unless
// the caller allows unpinned revisions; it is then resolved once, and every file is read at
// that commit.
#pragma once

#include <optional>
#include <string>

#include "platform/env.h"
#include "util/expected.h"
#include "verifier/common/fetch.h"
#include "verifier/sources/listing.h"

namespace aegis::verifier {

struct HfLocation {
  std::string repo;      // OWNER/MODEL
  std::string revision;  // as written ("" → main)
  std::string path;      // a file of the repository (internal URIs of its files), or ""
  std::string endpoint;  // HF_ENDPOINT or https://huggingface.co, without a trailing '/'
  bool pinned = false;   // the revision is a commit
};

struct HfToken {
  std::string token;   // never logged
  std::string source;  // "HF_TOKEN", "/root/.cache/huggingface/token"
};

bool IsHfUri(const std::string& uri);

// kUsage for a malformed URI (not OWNER/MODEL, an invalid name, an empty revision).
Expected<HfLocation> ResolveHf(const std::string& uri, const platform::Env& env);

// The URI of one file of the repository at `commit`: hf://OWNER/MODEL@COMMIT/PATH.
std::string HfFileUri(const std::string& repo, const std::string& commit, const std::string& path);

// The token huggingface_hub would use, or nullopt (anonymous). kUsage when a token file that
// is configured cannot be read.
Expected<std::optional<HfToken>> ResolveHfToken(const platform::Env& env);

// The commit a revision names. Errors: kNotFound (no such repository or revision),
// NetError::kForbidden (gated or private without a usable token), kNetwork.
Expected<std::string> HfCommit(const HfLocation& loc, const std::optional<HfToken>& token, const FetchOptions& options);

// Every file of the repository at `commit` (directories skipped), at most `max_objects`
// (kLimit beyond). Errors as HfCommit.
Expected<std::vector<ListedObject>> ListHf(const HfLocation& loc, const std::string& commit, const std::optional<HfToken>& token,
                                           const FetchOptions& options, uint64_t max_objects);

// One file (`loc.path` at `loc.revision`, a commit) into `out_path`.
Expected<FetchResult> FetchHfFile(const std::string& uri, const std::string& out_path, const platform::Env& env,
                                  const std::optional<HfToken>& token, FetchOptions options);

// The options for requests to the endpoint: the token as a bearer header (curl sends custom
// Authorization headers to the original host only, so a redirect to the storage host carries
// none).
FetchOptions HfOptions(const std::optional<HfToken>& token, FetchOptions options);

}  // namespace aegis::verifier
