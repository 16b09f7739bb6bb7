#include "verifier/run.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "platform/net_error.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/extract.h"
#include "verifier/place/extract_while_fetching.h"
#include "verifier/place/workspace.h"
#include "verifier/run_steps.h"
#include "verifier/signature_discovery.h"
#include "verifier/sources/listing.h"
#include "verifier/sources/source.h"
#include "verifier/trust/keys.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/sigstore_root.h"
#include "verifier/trust/trust.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

bool EndsWithAny(const std::string& name, std::initializer_list<std::string_view> suffixes) {
  for (std::string_view e : suffixes) {
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

bool LooksLikeTar(const std::string& name) { return EndsWithAny(name, {".tar", ".tar.gz", ".tgz", ".tar.zst", ".tzst"}); }
bool LooksLikeArchive(const std::string& name) { return LooksLikeTar(name) || EndsWithAny(name, {".zip"}); }

// Seconds, to the millisecond (a JSON number in the log).
double Seconds(std::chrono::steady_clock::duration d) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) / 1000.0;
}

// The artifact into `artifact`; or a model directory into `tree`: a mounted volume (KServe's
// pvc://, copied), a prefix (s3://b/p/, gs://b/p/), or — as KServe reads a storageUri — an
// s3:// or gs:// name with no object of its own but objects under it.
// `extracting`: a tar extracted while it downloads (into `tree`), or null.
Expected<Fetched> FetchArtifact(const Options& o, const Location& at, Sources& sources, DigestSet digests,
                                const std::string& artifact, const std::string& tree, ExtractWhileFetching* extracting,
                                Logger& log) {
  auto t0 = std::chrono::steady_clock::now();
  Fetched out;
  std::error_code ec;
  const std::string local = at.LocalPath();
  if (!local.empty() && fs::is_directory(local, ec)) {
    // The copy goes into the model directory's work area: neither may contain the other.
    std::string a = fs::weakly_canonical(local, ec).string() + "/", b = fs::weakly_canonical(o.dest, ec).string() + "/";
    if (a.rfind(b, 0) == 0 || b.rfind(a, 0) == 0) {
      return Fail(ErrorKind::kUsage, local, "the model directory and the source directory must not contain each other");
    }
    auto t = CopyLocalTree(local, tree, o.limits);
    if (!t) return t.error();
    log.Info("model directory copied", {{"path", local}, {"files", t->files}, {"bytes", t->bytes},
                                        {"seconds", Seconds(std::chrono::steady_clock::now() - t0)}});
    out.tree = *t;
    return out;
  }
  if (!at.IsTree()) {
    // Bounded before its signature is checked: a hostile host's endless body stops at the limit.
    uint64_t limit = o.max_artifact_bytes > 0 ? o.max_artifact_bytes : o.limits.max_total_bytes;
    auto got = sources.Get(at, artifact, digests, limit, extracting ? extracting->Progress() : nullptr, true);
    if (!got && extracting) extracting->Abandon();  // before `tree` may become a directory's
    if (got) {
      log.Info("artifact fetched", {{"uri", at.Display()},
                                    {"bytes", got->bytes},
                                    {"sha256", Hex(got->digests.sha256)},
                                    {"attempts", got->attempts},
                                    {"resumed", got->resumed},
                                    {"parts", got->parts},
                                    {"seconds", Seconds(std::chrono::steady_clock::now() - t0)}});
      out.file = *got;
      return out;
    }
    if (got.error().kind != NetError::kNotFound || !at.HasDirectoryForm()) return got.error();
    // No such object: a directory of that name, or the object's own 404.
    auto t = sources.GetTree(at.AsTree(), tree, o.limits, Parallelism(o));
    if (!t && t.error().kind == NetError::kNotFound) return got.error();
    if (!t) return t.error();
    out.tree = *t;
  } else {
    auto t = sources.GetTree(at, tree, o.limits, Parallelism(o));
    if (!t) return t.error();
    out.tree = *t;
  }
  log.Info("model directory fetched", {{"uri", at.AsTree().Display()},
                                       {"files", out.tree->files},
                                       {"bytes", out.tree->bytes},
                                       {"parallel", Parallelism(o)},
                                       {"seconds", Seconds(std::chrono::steady_clock::now() - t0)}});
  return out;
}

bool ArchiveNamed(const Options& o, const Location& artifact) {
  return o.artifact_type == ArtifactType::kArchive ||
         (o.artifact_type == ArtifactType::kAuto && LooksLikeArchive(artifact.BaseName()));
}

// 2. The artifact, streamed to the work area while hashed; or a model directory. A tar verified
// over its extracted tree (format D: model.sig inside, or a detached model-signing bundle) is
// extracted while it downloads; formats A–C are verified over the archive's bytes first.
Status FetchStep(const Options& o, Sources& sources, const Trust& trust, std::optional<ExtractWhileFetching>& extracting,
                 RunState& st, Logger& log) {
  const Location& at = st.at.artifact;
  if (ArchiveNamed(o, at) && LooksLikeTar(at.BaseName()) && !at.IsTree() && at.LocalPath().empty() &&
      (!st.signature || st.signature->file.format == SignatureFile::Format::kModelSigning)) {
    extracting.emplace(at.Display(), st.artifact, st.tree, o.limits);
  }
  std::optional<Location> pinned;  // an image is fetched at the digest its signature names
  if (st.image) {
    auto parsed = Location::Parse(st.image->pinned.Display(), false);
    if (!parsed) return parsed.error();
    pinned = *parsed;
  }
  auto fetched = FetchArtifact(o, pinned ? *pinned : at, sources, NeededDigests(trust), st.artifact, st.tree,
                               extracting ? &*extracting : nullptr, log);
  if (!fetched) return fetched.error();
  st.fetched = std::move(*fetched);
  if (st.fetched.tree) return Ok{};
  st.sha256 = Hex(st.fetched.file->digests.sha256);
  if (!o.expected_sha256.empty() && st.sha256 != o.expected_sha256) {
    return Fail(VerifyError::kSignature, at.Display(),
                fmt::format("pin mismatch: the artifact's SHA-256 is {}, --expected-sha256 is {}", st.sha256,
                            o.expected_sha256));
  }
  return Ok{};
}

// 3. Formats A, B and C over the file: verified before any archive parsing.
Status VerifyFileStep(const Options& o, const Trust& trust, RunState& st, RunSummary& summary, Logger& log) {
  const FoundSignature& found = *st.signature;
  auto v = VerifyArtifactWith(trust, found.file, st.fetched.file->digests, st.artifact);
  if (!v) {
    Error e = v.error();
    if (e.kind == VerifyError::kSignature) e.file = st.at.artifact.Display();
    return e;
  }
  if (!o.expected_name.empty()) {
    return Fail(VerifyError::kSignature, found.at.Display(),
                "--expected-name: this signature format binds no model name (only model-signing bundles do)");
  }
  RecordSignature(*v, found, st, summary);
  Fields f{{"format", FormatName(found.file.format)}, {"key", v->key}, {"sha256", st.sha256}};
  if (!v->notes.empty()) f.emplace_back("note", v->notes);
  if (v->signer) {
    f.emplace_back("identity", v->signer->identity);
    f.emplace_back("issuer", v->signer->issuer);
    f.emplace_back("log_index", v->signer->log_index);
  }
  log.Info("signature verified", f);
  if (found.file.format == SignatureFile::Format::kLegacy) log.Warn("legacy detached signature", {{"note", v->notes}});
  return Ok{};
}

// 4. Extract an archive (or stage the single file) into the model directory of the work area;
// a fetched model directory is there already.
Status StageStep(const Options& o, std::optional<ExtractWhileFetching>& extracting, RunState& st, Logger& log) {
  if (st.fetched.tree) return Ok{};
  auto t0 = std::chrono::steady_clock::now();
  if (ArchiveNamed(o, st.at.artifact)) {
    auto x = extracting ? extracting->Finish(st.fetched.file->bytes) : ExtractArchive(st.artifact, st.tree, o.limits);
    if (!x) {
      Error e = x.error();
      e.file = st.at.artifact.Display();
      return e;
    }
    std::error_code ec;
    fs::remove(st.artifact, ec);
    log.Info("extracted", {{"entries", x->entries}, {"bytes", x->bytes}, {"while_fetching", extracting.has_value()},
                           {"seconds", Seconds(std::chrono::steady_clock::now() - t0)}});
    return Ok{};
  }
  std::error_code ec;
  fs::create_directory(st.tree, ec);
  st.single = st.tree + "/" + st.at.artifact.BaseName();
  if (!ec) fs::rename(st.artifact, st.single, ec);
  // The download was private to this run; the placed file is read by the server's user.
  if (!ec) fs::permissions(st.single, fs::perms(0644), fs::perm_options::replace, ec);
  if (ec) return Fail(ErrorKind::kIo, st.tree, "cannot stage the artifact: " + ec.message());
  return Ok{};
}

// 5a. The model-signing bundle format D reads: the fetched one, or model.sig inside the tree.
Expected<std::pair<SignatureFile, std::string>> TreeSignature(const RunState& st) {
  if (st.signature) return std::make_pair(st.signature->file, st.signature->at.Display());
  std::string inside = st.tree + "/model.sig";
  std::error_code ec;
  if (!st.single.empty() || !fs::is_regular_file(fs::symlink_status(inside, ec))) {
    if (st.image && st.image->refused) return *st.image->refused;  // a cosign signature that does not verify, and no model.sig
    std::string tried;
    if (st.at.artifact.HasSiblings()) {
      Location base = st.at.artifact.WithoutTrailingSlash();
      for (const char* suffix : kSignatureSuffixes)
        tried += (tried.empty() ? "" : ", ") + base.WithSuffix(suffix).Display();
      tried += " and ";
    }
    if (st.image) tried = "cosign signatures of the manifest (referrers, " + st.image->pinned.digest.substr(0, 14) + "….sig) and ";
    return Fail(NetError::kNotFound, st.at.artifact.Display(),
                fmt::format("no signature: tried {}model.sig inside the {}", tried,
                            st.fetched.tree ? "model directory" : "artifact"));
  }
  auto text = ReadInput(inside);
  if (!text) return text.error();
  auto parsed = ParseSignatureFile(*text);
  if (!parsed) return Fail(VerifyError::kSignature, "model.sig", parsed.error().message);
  if (parsed->format != SignatureFile::Format::kModelSigning) return Fail(VerifyError::kSignature, "model.sig", "model.sig is not a model-signing bundle");
  return std::make_pair(std::move(*parsed), std::string("model.sig"));
}

// 5. Format D: the tree (or the single file) against the model-signing statement; only the
// signed files stay.
Status VerifyTreeStep(const Options& o, const Trust& trust, RunState& st, RunSummary& summary, Logger& log) {
  auto found = TreeSignature(st);
  if (!found) return found.error();
  const auto& [tree_sig, where] = *found;
  auto v = VerifyTreeWith(trust, tree_sig, st.single.empty() ? st.tree : st.single, o.ignore_paths);
  if (!v) {
    Error e = v.error();
    if (e.kind == VerifyError::kSignature) e.file = where;
    return e;
  }
  summary.format = IsModelSigningStatement(tree_sig.payload) ? "model-signing" : "dsse-statement";
  summary.signature = where;
  summary.notes = v->notes;
  summary.signer = v->signer;
  summary.key_fingerprint = v->key_fingerprint;
  if (st.single.empty()) {  // unverified content (ignored paths, model.sig, empty dirs) is never placed
    if (Status s = PruneToSigned(st.tree, v->signed_files); !s) return s.error();
  }
  if (Status s = CheckName(o, *v); !s) return s.error();
  if (st.fetched.tree) {  // a directory's identity is its signed subject digest
    st.sha256 = v->subject_sha256;
    if (!o.expected_sha256.empty() && st.sha256 != o.expected_sha256) {
      return Fail(VerifyError::kSignature, st.at.artifact.Display(),
                  fmt::format("pin mismatch: the model directory's signed digest is {}, --expected-sha256 is {}",
                              st.sha256, o.expected_sha256));
    }
  }
  st.key_used = v->key;
  log.Info("model signature verified", {{"format", "model-signing"}, {"signature", where}, {"key", v->key}, {"name", v->subject}});
  return Ok{};
}

Expected<RunSummary> Run(const Options& o, const Locations& at, const RunContext& ctx, Workspace& ws) {
  Logger& log = *ctx.log;
  auto trust = ResolveTrustFor(o, log);
  if (!trust) return trust.error();
  LogTrust(*trust, log);
  RunSummary summary;
  summary.artifact = at.artifact.Display();
  auto progress = DownloadProgress(o, ctx);
  Sources sources(SourceSettings{ctx.env, DownloadOptions(o, progress), o.allow_insecure_http, o.anonymous,
                                 o.allow_unpinned_revision});
  SourceLog source_log;
  RunState st{at, ws.Path("artifact"), ws.Path("tree"), {}, {}, {}, {}, {}, false, {}};
  auto t0 = std::chrono::steady_clock::now();

  // 1. The signature (small) first; for an oci:// artifact, cosign's on its manifest.
  if (Status s = SignatureStep(sources, *trust, ws, source_log, st, log); !s) return s.error();
  // 2. The artifact or model directory.
  std::optional<ExtractWhileFetching> extracting;
  Status fetched = FetchStep(o, sources, *trust, extracting, st, log);
  progress->Finish();
  source_log.Update(sources, log);
  if (!fetched) return fetched.error();
  if (st.fetched.tree && st.signature && st.signature->file.format != SignatureFile::Format::kModelSigning) {
    return Fail(VerifyError::kSignature, st.signature->at.Display(),
                "a model directory needs a model-signing signature (model.sig), not a signature over one file");
  }
  // 3. A signature over one file, or an image signature; else format D decides in step 5.
  Status verified = Ok{};
  if (st.signature && st.signature->file.format != SignatureFile::Format::kModelSigning) verified = VerifyFileStep(o, *trust, st, summary, log);
  else if (st.image && st.image->verified) verified = AcceptImageStep(o, st, summary, log);
  else st.tree_signature = true;
  if (!verified) return verified.error();
  // 4. Stage; 5. format D.
  if (Status s = StageStep(o, extracting, st, log); !s) return s.error();
  if (st.tree_signature) {
    if (Status s = VerifyTreeStep(o, *trust, st, summary, log); !s) return s.error();
  }
  // 6. Place.
  if (Status s = ws.Place(st.tree, at.artifact.Display(), st.sha256, st.key_used); !s) return s.error();
  log.Info("placed", {{"dest", o.dest}, {"entries", ws.placed().size()}, {"sha256", st.sha256},
                      {"seconds", Seconds(std::chrono::steady_clock::now() - t0)}});
  summary.sha256 = st.sha256;
  summary.bytes = st.fetched.tree ? st.fetched.tree->bytes : st.fetched.file->bytes;
  summary.key = st.key_used;
  summary.placed = ws.placed();
  summary.verified_at = static_cast<int64_t>(std::time(nullptr));
  return summary;
}

// The options checked and the URIs read, then the run.
Expected<RunSummary> Checked(Options& o, const RunContext& in, Workspace& ws) {
  auto p = Prepare(o, in);
  if (!p) return p.error();
  return Run(o, p->at, p->ctx, ws);
}

}  // namespace

Expected<RunSummary> VerifyAndFetch(const Options& in, const RunContext& ctx) {
  Options o = in;
  // The work area first: whatever fails after this (a bad pin or scheme too) leaves no model,
  // not even the previous one (a directory holding anything else is refused untouched).
  auto ws = Workspace::Open(o.dest);
  if (!ws) return ws.error();
  auto s = Checked(o, ctx, *ws);
  if (!s) ws->Abort();
  return s;
}

namespace {

// `s` cut to at most `max` bytes at a UTF-8 boundary.
std::string CutUtf8(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace

std::string ProvenanceRecord(const RunSummary& s) {
  nlohmann::json signer = {{"key", s.key}};
  if (!s.key_fingerprint.empty()) signer["keyFingerprint"] = s.key_fingerprint;
  if (s.signer) {
    signer["identity"] = s.signer->identity;
    signer["issuer"] = s.signer->issuer;
    signer["logIndex"] = s.signer->log_index;
  }
  nlohmann::json record = {{"verified", true},
                           {"artifact", s.artifact},
                           {"digest", "sha256:" + s.sha256},
                           {"format", s.format},
                           {"signature", s.signature},
                           {"signer", signer},
                           {"verifiedAt", FormatUtc(s.verified_at)},
                           {"version", 1}};
  // Within the kubelet's 4096 bytes: the longest text is halved until it fits (URIs and
  // identities are the only long ones; the digest and the time never are).
  for (;;) {
    std::string text = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() <= 4096) return text;
    nlohmann::json* longest = nullptr;
    for (nlohmann::json* o : {&record, &record["signer"]}) {
      for (auto& [k, v] : o->items()) {
        if (v.is_string() && (longest == nullptr ||
                              v.get_ref<const std::string&>().size() > longest->get_ref<const std::string&>().size())) {
          longest = &v;
        }
      }
    }
    const std::string& text_of = longest->get_ref<const std::string&>();
    *longest = CutUtf8(text_of, text_of.size() / 2) + "...";
  }
}

std::string TerminationMessage(const Error& error) {
  std::string m = error.Describe();
  if (m.size() <= 4096) return m;
  size_t cut = 4096 - 3;
  while (cut > 0 && (static_cast<unsigned char>(m[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return m.substr(0, cut) + "...";
}

void WriteTerminationLog(const std::string& path, const std::string& message, Logger& log) {
  if (path.empty()) return;
  // In a pod the kubelet mounts the file at terminationMessagePath; outside one (a developer's
  // machine, as root) /dev/termination-log is not created.
  std::error_code ec;
  if (path == Options{}.termination_log && !std::filesystem::exists(path, ec)) return;
  std::FILE* f = std::fopen(path.c_str(), "w");
  bool ok = f != nullptr && std::fwrite(message.data(), 1, message.size(), f) == message.size();
  if (f != nullptr) ok = std::fclose(f) == 0 && ok;
  if (!ok) log.Warn("cannot write the termination log", {{"path", path}});
}

}  // namespace aegis::verifier
