// What a run of verify-and-fetch (run.cc) and the check without the model (signature_check.cc)
// share: the options checked and the URIs read once (Prepare), the run's state, trust, the
// sources' download settings and log, step 1 (the signature) and accepting a cosign image
// signature. Internal to the verifier's top layer.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "util/expected.h"
#include "verifier/common/fetch.h"
#include "verifier/common/log.h"
#include "verifier/common/progress.h"
#include "verifier/options.h"
#include "verifier/place/workspace.h"
#include "verifier/run.h"
#include "verifier/signature_discovery.h"
#include "verifier/sources/source.h"
#include "verifier/sources/tree.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/trust.h"

namespace aegis::verifier {

// Where credentials came from (and what an hf:// revision resolved to), each said once, as
// soon as it is known: after the signature, and after the artifact (a tree resolves its own).
class SourceLog {
 public:
  void Update(const Sources& sources, Logger& log) {
    for (const SourceSummary& s : sources.Summaries()) {
      if (said_[s.event] == s.text) continue;
      said_[s.event] = s.text;
      log.Info(s.event, {{"source", s.text}});
    }
  }

 private:
  std::map<std::string, std::string> said_;
};

// What step 2 brought into the work area: one file (hashed on the way), or a model directory.
struct Fetched {
  std::optional<FetchResult> file;  // at `artifact`
  std::optional<TreeResult> tree;   // at `tree`
};

// What a run has learned so far, step by step (the work area's paths, what was fetched, which
// signature decides).
struct RunState {
  Locations at;                             // the artifact and --signature, as read once
  std::string artifact, tree;               // the work area's download file and model directory
  std::optional<FoundSignature> signature;  // step 1: next to the artifact or --signature
  std::optional<ImageSigned> image;         // step 1: an oci:// artifact's cosign signatures
  Fetched fetched;                          // step 2
  std::string sha256;                       // of the file, or the signed identity of a tree
  std::string key_used;
  bool tree_signature = false;  // format D decides (step 5), not a signature over one file
  std::string single;           // the staged single file, when not an archive
};

// The options checked and the URIs read, once, before anything is fetched.
struct Prepared {
  RunContext ctx;
  Locations at;
};

// An error of `kind` about `file` (a URI or path), without a position.
Error Fail(std::error_code kind, std::string file, std::string message);

// Lower-cases `s`; true when it is then 64 hex digits (a SHA-256 pin).
bool IsHex64(std::string& s);

// Concurrent downloads (a model directory's objects, or one artifact's parts): --parallel,
// else four per core (4–16): downloads wait on the network far more than on the CPU, and an
// object store caps each connection well below the link.
int Parallelism(const Options& o);

// --expected-name against the name a model-signing statement binds (nothing to check without it).
Status CheckName(const Options& o, const Verified& v);

// The pod's trust options, narrowed to the platform's pins when a trust policy is set.
Expected<Trust> ResolveTrustFor(const Options& o, Logger& log);

// The fetch options of every download: retries, timeouts, TLS, parts, and the progress sink.
FetchOptions DownloadOptions(const Options& o, const std::shared_ptr<Progress>& progress);

// The download progress, to the context's sink or the log.
std::shared_ptr<Progress> DownloadProgress(const Options& o, const RunContext& ctx);

// Says in the log what the run trusts.
void LogTrust(const Trust& trust, Logger& log);

// 1. The signature: --signature or the first found next to the artifact; for an oci:// artifact
// without --signature, cosign's signatures of its manifest.
Status SignatureStep(Sources& sources, const Trust& trust, const Workspace& ws, SourceLog& source_log, RunState& st,
                     Logger& log);

// What the summary says of a signature that verified: its key, notes, signer, fingerprint, format and
// where it was found (and the run's key_used).
void RecordSignature(const Verified& v, const FoundSignature& found, RunState& st, RunSummary& summary);

// 3. Format E: cosign's signature of the OCI manifest decides; what is placed is its content.
Status AcceptImageStep(const Options& o, RunState& st, RunSummary& summary, Logger& log);

// KServe's initializer contract applied, --expected-sha256 normalized, the URIs read (Locate), and
// the warnings about TLS and http:// said.
Expected<Prepared> Prepare(Options& o, const RunContext& in);

}  // namespace aegis::verifier
