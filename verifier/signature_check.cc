// CheckSignature (run.h): step 1 and the signature's check over the digest it signs, without the
// artifact — what admission can know (docs/VERIFIER.md, "Without the model").
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "platform/net_error.h"
#include "util/base64.h"
#include "util/json_access.h"
#include "verifier/common/verify_error.h"
#include "verifier/run_steps.h"

namespace aegis::verifier {
namespace {

// Raw bytes of 64 hex digits (checked by the caller).
std::string Unhex64(const std::string& hex) {
  std::string raw;
  for (size_t i = 0; i < 64; i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return raw;
}

// The digest a signature over one file signs, without the file: a bundle's messageDigest, or
// --expected-sha256 for the formats that carry none (a legacy .sig, a Vault signature). A pin
// that differs from what the bundle signs is refused here, as a run would refuse it.
Expected<Digests> SignedDigest(const Options& o, const FoundSignature& found) {
  const SignatureFile& sig = found.file;
  std::string pin = o.expected_sha256.empty() ? std::string() : Unhex64(o.expected_sha256);
  if (sig.format == SignatureFile::Format::kBundleMessage && !sig.digest.empty()) {
    Digests d;
    if (sig.digest_algorithm == "SHA2_256")
      d.sha256 = sig.digest;
    else if (sig.digest_algorithm == "SHA2_384")
      d.sha384 = sig.digest;
    else if (sig.digest_algorithm == "SHA2_512")
      d.sha512 = sig.digest;
    else
      return Fail(VerifyError::kSignature, found.at.Display(),
                  fmt::format("unsupported bundle digest algorithm {}", sig.digest_algorithm));
    if (!pin.empty() && d.sha256 != pin) {
      return Fail(VerifyError::kSignature, found.at.Display(),
                  fmt::format("pin mismatch: the bundle signs {} {}, --expected-sha256 is {}", sig.digest_algorithm,
                              Hex(sig.digest), o.expected_sha256));
    }
    return d;
  }
  if (pin.empty()) {
    return Fail(VerifyError::kSignature, found.at.Display(),
                fmt::format("a {} signature carries no digest: without the artifact it can be checked only against a "
                            "pin (--expected-sha256)",
                            FormatName(sig.format)));
  }
  return Digests{pin, {}, {}};
}

// The digest a model-signing statement signs: its one subject's sha256.
Expected<Digests> StatementSubject(const FoundSignature& found) {
  nlohmann::json statement = nlohmann::json::parse(found.file.payload, nullptr, false);
  const nlohmann::json* subjects = statement.is_object() ? JsonAt(statement, {"subject"}) : nullptr;
  std::string hex = subjects != nullptr && subjects->is_array() && subjects->size() == 1
                        ? JsonStringOr((*subjects)[0], {"digest", "sha256"})
                        : std::string();
  if (!IsHex64(hex)) {
    return Fail(VerifyError::kSignature, found.at.Display(),
                "the statement has not exactly one subject with a sha256 digest");
  }
  return Digests{Unhex64(hex), {}, {}};
}

// A signature over one file, or a model-signing statement, verified over the digest it signs.
Status VerifySignedDigest(const Options& o, const Trust& trust, RunState& st, RunSummary& summary, Logger& log) {
  const FoundSignature& found = *st.signature;
  bool statement = found.file.format == SignatureFile::Format::kModelSigning;
  auto digests = statement ? StatementSubject(found) : SignedDigest(o, found);
  if (!digests) return digests.error();
  auto v = statement ? VerifyStatementWith(trust, found.file, *digests, {})
                     : VerifyArtifactWith(trust, found.file, *digests, {});
  if (!v) return v.error();
  if (Status s = CheckName(o, *v); !s) return s.error();
  st.sha256 = Hex(digests->sha256);
  RecordSignature(*v, found, st, summary);
  log.Info("signature verified (without the artifact)",
           {{"format", summary.format}, {"key", v->key}, {"sha256", st.sha256}});
  return Ok{};
}

// Step 1 and the signature's check, without the artifact (CheckSignature).
Expected<RunSummary> SignatureOnly(Options& o, const RunContext& in, Workspace& ws) {
  auto p = Prepare(o, in);
  if (!p) return p.error();
  const Locations& at = p->at;
  Logger& log = *p->ctx.log;
  auto trust = ResolveTrustFor(o, log);
  if (!trust) return trust.error();
  LogTrust(*trust, log);
  RunSummary summary;
  summary.artifact = at.artifact.Display();
  Sources sources(SourceSettings{p->ctx.env, DownloadOptions(o, DownloadProgress(o, p->ctx)), o.allow_insecure_http,
                                 o.anonymous, o.allow_unpinned_revision});
  SourceLog source_log;
  RunState st{at, {}, {}, {}, {}, {}, {}, {}, false, {}};
  if (Status s = SignatureStep(sources, *trust, ws, source_log, st, log); !s) return s.error();
  Status verified = Ok{};
  if (st.signature) {
    verified = VerifySignedDigest(o, *trust, st, summary, log);
  } else if (st.image && st.image->verified) {
    verified = AcceptImageStep(o, st, summary, log);
  } else if (st.image && st.image->refused) {
    verified = *st.image->refused;
  } else {
    verified =
        Fail(NetError::kNotFound, at.artifact.Display(),
             at.artifact.HasSiblings()
                 ? "no signature next to the artifact (.sigstore.json, .sig.json, .sig) and none given (--signature)"
                 : "no signature outside the model (a model.sig inside it is read only by verify-and-fetch, which "
                   "fetches the model): give it with --signature");
  }
  if (!verified) return verified.error();
  summary.sha256 = st.sha256;
  summary.key = st.key_used;
  summary.verified_at = static_cast<int64_t>(std::time(nullptr));
  return summary;
}

}  // namespace

Expected<RunSummary> CheckSignature(const Options& in, const RunContext& ctx) {
  Options o = in;
  auto ws = Workspace::Open(o.dest);  // holds the signature while it is read; nothing is placed
  if (!ws) return ws.error();
  auto s = SignatureOnly(o, ctx, *ws);
  ws->Abort();
  return s;
}

}  // namespace aegis::verifier
