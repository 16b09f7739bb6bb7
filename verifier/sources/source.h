// Where artifacts and signatures come from (docs/VERIFIER.md, "Invocation"): s3:// (SigV4, the
// AWS credential chain), gs:// (the Google credential chain), Azure Blob
// (https://ACCOUNT.blob.core.windows.net/…, the Azure chain per account), hf://, oci://,
// https://, http:// (only when allowed), file:///… and plain paths. Each scheme is one Source
// (sources/<scheme>_source.cc) that owns its credentials, resolved once on first use;
// `Sources` only dispatches on the Location's scheme. Every download streams to a file while
// hashing.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/env.h"
#include "util/expected.h"
#include "verifier/common/fetch.h"
#include "verifier/place/extract.h"
#include "verifier/sources/listing.h"
#include "verifier/sources/location.h"
#include "verifier/sources/oci_registry.h"
#include "verifier/sources/tree.h"

namespace aegis::verifier {

using platform::Env;

// What every Source is given.
struct SourceSettings {
  Env env;
  FetchOptions options;         // TLS, retries, timeouts, parts, progress
  bool allow_http = false;      // --allow-insecure-http
  bool anonymous = false;       // --anonymous: no credential is looked for
  bool allow_unpinned = false;  // hf:// at a branch or tag (resolved once)
};

// Where a source's credentials came from, once known: a log event and its text.
struct SourceSummary {
  std::string event, text;
};

// A model directory's listing: the objects, the prefix their keys start with, and each one's URI.
struct TreeListing {
  std::string prefix;
  std::function<std::string(const std::string&)> uri_of;
  std::vector<ListedObject> objects;
};

// One storage service.
class Source {
 public:
  explicit Source(const SourceSettings& settings) : settings_(settings) {}
  virtual ~Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // One object into `out_path` (created or replaced), hashed with `o.digests`, at most
  // `o.max_bytes`. kNotFound when it does not exist.
  virtual Expected<FetchResult> Get(const Location& loc, const std::string& out_path, const FetchOptions& o) = 0;
  // A model directory (loc.IsTree()) into `dir` (created): by default its listing (List), each
  // object fetched with Get, `parallel` at a time. Folder markers (names ending in '/') are
  // skipped. kNotFound when the prefix holds no object; kArchive for a name that cannot be a
  // path in the tree; kLimit beyond `limits`; on error `dir` may hold part of it.
  virtual Expected<TreeResult> GetTree(const Location& loc, const std::string& dir, const ExtractLimits& limits,
                                       int parallel);
  // Where its credentials came from ("" text before they are resolved).
  virtual SourceSummary Summary() const { return {}; }

 protected:
  // The objects under a model directory, credentials resolved first (GetTree's threads only read).
  virtual Expected<TreeListing> List(const Location& loc, const ExtractLimits& limits);
  // kUsage for an http:// endpoint (from `setting`) without --allow-insecure-http.
  Status EndpointAllowed(const std::string& endpoint, const Location& loc, const char* setting) const;

  const SourceSettings& settings_;
};

// One object from `source`: the settings' FetchOptions with `digests`, `max_bytes` (0: no
// limit), `on_final`; `in_parts`: a large object may come in ranged parts (the artifact), else
// one request. Errors name loc.Display() unless the source named something more precise.
Expected<FetchResult> GetObject(Source& source, const SourceSettings& settings, const Location& loc,
                                const std::string& out_path, DigestSet digests, uint64_t max_bytes = 0,
                                std::function<void(uint64_t, uint64_t)> on_final = {}, bool in_parts = false);

class Sources {
 public:
  explicit Sources(SourceSettings settings);
  Sources(Sources&&) = delete;  // its sources keep a reference to settings_

  // The object `loc` names into `out_path` (GetObject).
  Expected<FetchResult> Get(const Location& loc, const std::string& out_path, DigestSet digests, uint64_t max_bytes = 0,
                            std::function<void(uint64_t, uint64_t)> on_final = {}, bool in_parts = false);
  // The model directory `loc` names (kUsage unless loc.IsTree()) into `dir` (Source::GetTree).
  Expected<TreeResult> GetTree(const Location& loc, const std::string& dir, const ExtractLimits& limits, int parallel);
  // A client of the registry an oci:// location names, with its credential (none when anonymous).
  Expected<RegistryClient> OciClient(const Location& loc);
  // Every source's summary that is known, in scheme order.
  std::vector<SourceSummary> Summaries() const;

 private:
  Source& For(Scheme scheme) { return *sources_[static_cast<size_t>(scheme)]; }

  SourceSettings settings_;
  std::array<std::unique_ptr<Source>, kSchemeCount> sources_;
};

// A local model directory (a mounted volume: file:///mnt/pvc/model/ or a path) copied into
// `dst` (created): regular files (0644) and directories only, never following a link; a
// symbolic link, device, FIFO or socket, or a tree beyond `limits`, refuses it (kArchive/kLimit).
Expected<TreeResult> CopyLocalTree(const std::string& src, const std::string& dst, const ExtractLimits& limits);

// A local file copied while hashing (file:// and paths).
Expected<FetchResult> CopyLocal(const std::string& path, const std::string& out_path, DigestSet digests,
                                uint64_t max_bytes);

}  // namespace aegis::verifier
