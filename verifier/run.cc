#include "verifier/run.h"
#include "verifier/pinned_trust.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "platform/net_error.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "util/json_access.h"
#include "util/strings.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/extract.h"
#include "verifier/place/extract_while_fetching.h"
#include "verifier/place/workspace.h"
#include "verifier/signature_discovery.h"
#include "verifier/sources/kserve_contract.h"
#include "verifier/sources/listing.h"
#include "verifier/sources/source.h"
#include "verifier/trust/keys.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/sigstore_root.h"
#include "verifier/trust/trust.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

Error Fail(std::error_code kind, std::string file, std::string message) { return Error{kind, std::move(file), {}, std::move(message)}; }

bool IsHex64(std::string& s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool EndsWithAny(const std::string& name, std::initializer_list<std::string_view> suffixes) {
  for (std::string_view e : suffixes) {
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

bool LooksLikeTar(const std::string& name) { return EndsWithAny(name, {".tar", ".tar.gz", ".tgz", ".tar.zst", ".tzst"}); }
bool LooksLikeArchive(const std::string& name) { return LooksLikeTar(name) || EndsWithAny(name, {".zip"}); }

// Concurrent downloads (a model directory's objects, or one artifact's parts): --parallel,
// else four per core (4–16): downloads wait on the network far more than on the CPU, and an
// object store caps each connection well below the link.
int Parallelism(const Options& o) {
  return o.parallel > 0 ? o.parallel : std::clamp(4 * static_cast<int>(std::thread::hardware_concurrency()), 4, 16);
}

// Seconds, to the millisecond (a JSON number in the log).
double Seconds(std::chrono::steady_clock::duration d) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) / 1000.0;
}

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

Status CheckName(const Options& o, const Verified& v) {
  if (o.expected_name.empty()) return Ok{};
  if (v.subject != o.expected_name) {
    return Fail(VerifyError::kSignature, {}, fmt::format("the signature binds the name {:?}, not the expected {:?}", v.subject, o.expected_name));
  }
  return Ok{};
}

// The pod's trust options, narrowed to the platform's pins when a trust policy is set.
Expected<Trust> ResolveTrustFor(const Options& o, Logger& log) {
  KeylessOptions keyless{o.trusted_root, o.identity, {}, o.allow_any_identity, o.predicate_types};
  if (o.trust_policy.empty()) return ResolveTrust(o.key, VaultWithTransport(o), o.certificate_chain, keyless);
  auto pins = ReadTrustPolicy(o.trust_policy);
  if (!pins) return pins.error();
  auto pinned = ApplyPins(*pins, o);
  if (!pinned) return pinned.error();
  auto trust = ResolveTrust(o.key, VaultWithTransport(o), o.certificate_chain, *pinned, &*pins);
  if (trust) {
    log.Info("trust policy", {{"keys", pins->keys.size()}, {"keyless identities", pins->keyless.size()},
                              {"vault", pins->vault.size()}, {"artifact prefixes", pins->artifact_prefixes.size()}});
    for (const std::string& k : trust->unpinned) log.Warn("key not pinned by the trust policy: not trusted", {{"key", k}});
  }
  return trust;
}

// The fetch options of every download: retries, timeouts, TLS, parts, and the progress sink.
FetchOptions DownloadOptions(const Options& o, const std::shared_ptr<Progress>& progress) {
  FetchOptions fo;
  fo.max_attempts = o.retries;
  fo.connect_timeout = o.connect_timeout;
  fo.stall_timeout = o.stall_timeout;
  fo.total_timeout = o.timeout;
  fo.ca_bundle = o.ca_bundle;
  fo.extra_ca_pem = o.extra_ca_pem;
  fo.insecure_skip_tls_verify = o.insecure_skip_tls_verify;
  fo.parts = Parallelism(o);  // one large artifact: that many ranged requests at once
  fo.on_bytes = [progress](uint64_t n) { progress->Add(n); };
  fo.on_size = [progress](uint64_t n) { progress->Expect(n); };
  return fo;
}

std::shared_ptr<Progress> DownloadProgress(const Options& o, const RunContext& ctx) {
  Logger& log = *ctx.log;
  Progress::Sink sink = ctx.progress ? ctx.progress : [&log](const ProgressReport& r) {
    Fields fields = {{"bytes", r.bytes}, {"progress", Describe(r)}};
    if (r.expected > 0) fields.insert(fields.begin() + 1, {"total", r.expected});
    log.Info(r.done ? "downloaded" : "downloading", fields);
  };
  return std::make_shared<Progress>(sink, o.progress_interval);
}

void LogTrust(const Trust& trust, Logger& log) {
  if (trust.vault) {
    log.AddSecret(trust.vault->token());
    log.Info("trust", {{"vault", RedactUri(trust.vault->config().addr)}, {"key", trust.vault->config().key}});
  }
  for (const auto& k : trust.keys) log.Info("trusted key", {{"source", k.source}, {"hint", k.hint}});
}

// What a run has learned so far, step by step (the work area's paths, what was fetched, which
// signature decides).
struct RunState {
  Locations at;                // the artifact and --signature, as read once
  std::string artifact, tree;  // the work area's download file and model directory
  std::optional<FoundSignature> signature;  // step 1: next to the artifact or --signature
  std::optional<ImageSigned> image;          // step 1: an oci:// artifact's cosign signatures
  Fetched fetched;                           // step 2
  std::string sha256;                        // of the file, or the signed identity of a tree
  std::string key_used;
  bool tree_signature = false;  // format D decides (step 5), not a signature over one file
  std::string single;           // the staged single file, when not an archive
};

bool ArchiveNamed(const Options& o, const Location& artifact) {
  return o.artifact_type == ArtifactType::kArchive ||
         (o.artifact_type == ArtifactType::kAuto && LooksLikeArchive(artifact.BaseName()));
}

// 1. The signature: --signature or the first found next to the artifact; for an oci:// artifact
// without --signature, cosign's signatures of its manifest.
Status SignatureStep(Sources& sources, const Trust& trust, const Workspace& ws, SourceLog& source_log, RunState& st,
                     Logger& log) {
  const Locations& at = st.at;
  auto sig = FetchSignature(at, sources, ws, log);
  source_log.Update(sources, log);
  if (!sig) return sig.error();
  st.signature = std::move(*sig);
  if (at.artifact.scheme() == Scheme::kOci && !at.signature) {
    auto checked = CheckImageSignatures(at.artifact, sources, trust, ws, log);
    source_log.Update(sources, log);
    if (!checked) return checked.error();
    st.image = std::move(*checked);
  }
  return Ok{};
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
  st.key_used = v->key;
  summary.notes = v->notes;
  summary.signer = v->signer;
  summary.key_fingerprint = v->key_fingerprint;
  summary.format = FormatName(found.file.format);
  summary.signature = found.at.Display();
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

// 3. Format E: cosign's signature of the OCI manifest decides; what is placed is its content.
Status AcceptImageStep(const Options& o, RunState& st, RunSummary& summary, Logger& log) {
  const Verified& v = *st.image->verified;
  if (!o.expected_name.empty()) {
    return Fail(VerifyError::kSignature, st.image->where, "--expected-name: a cosign image signature binds no model name (only model-signing bundles do)");
  }
  st.sha256 = st.image->pinned.digest.substr(7);  // the signed manifest's digest
  if (!o.expected_sha256.empty() && st.sha256 != o.expected_sha256) {
    return Fail(VerifyError::kSignature, st.image->pinned.Display(),
                fmt::format("pin mismatch: the signed manifest's digest is sha256:{}, --expected-sha256 is {}", st.sha256, o.expected_sha256));
  }
  st.key_used = v.key;
  summary.notes = v.notes;
  summary.signer = v.signer;
  summary.key_fingerprint = v.key_fingerprint;
  summary.format = "cosign-image";
  summary.signature = st.image->where;
  Fields f{{"format", "cosign-image"}, {"signature", st.image->where}, {"key", v.key}, {"manifest", st.image->pinned.digest}};
  if (v.signer) {
    f.emplace_back("identity", v.signer->identity);
    f.emplace_back("issuer", v.signer->issuer);
  }
  log.Info("signature verified", f);
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

Expected<RunSummary> Checked(Options& o, const RunContext& ctx, Workspace& ws);

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

// KServe's storage-initializer contract (kserve_contract.h): where and how to download.
Expected<RunContext> WithKServeContract(Options& o, const RunContext& in) {
  auto env = WithStorageConfig(in.env);
  if (!env) return env.error();
  for (const std::string& secret : StorageConfigSecrets(*env)) in.log->AddSecret(secret);
  // awsAnonymousCredential: a Secret annotated serving.kserve.io/s3-useanoncredential
  // (pkg/credentials/s3/utils.go) or STORAGE_CONFIG's "anonymous".
  if (auto anon = (*env)("awsAnonymousCredential")) {
    std::string v = *anon;
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v == "true" || v == "1") o.anonymous = true;
  }
  auto ca = GlobalCaBundle(*env);
  if (!ca) return ca.error();
  if (!ca->empty()) {
    o.extra_ca_pem = *ca;
    in.log->Info("CA bundle", {{"configmap", *(*env)("CA_BUNDLE_CONFIGMAP_NAME")}, {"trusted", "besides the system's CAs"}});
  }
  return RunContext{*env, in.log, in.progress};
}

// The options checked and the URIs read, once, before anything is fetched.
struct Prepared {
  RunContext ctx;
  Locations at;
};

Expected<Prepared> Prepare(Options& o, const RunContext& in) {
  auto kserve = WithKServeContract(o, in);
  if (!kserve) return kserve.error();
  const RunContext& ctx = *kserve;
  Logger& log = *ctx.log;
  // As cosign and OCI write a digest (sha256:HEX), or the bare hex; either case.
  if (o.expected_sha256.starts_with("sha256:")) o.expected_sha256.erase(0, 7);
  for (char& c : o.expected_sha256) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!o.expected_sha256.empty() && !IsHex64(o.expected_sha256)) {
    return Fail(ErrorKind::kUsage, {}, "--expected-sha256 must be 64 hex digits, optionally after sha256:");
  }
  auto at = Locate(o);  // the URIs are read here, once
  if (!at) return at.error();
  if (o.insecure_skip_tls_verify) log.Warn("TLS certificate verification is OFF (--insecure-skip-tls-verify)");
  if (S3TlsVerificationDisabled(ctx.env) && at->artifact.scheme() == Scheme::kS3) {
    log.Warn("TLS certificate verification is OFF for S3 (S3_VERIFY_SSL=0)");
  }
  if (at->artifact.scheme() == Scheme::kHttp || (at->signature && at->signature->scheme() == Scheme::kHttp)) {
    log.Warn("fetching over unencrypted http:// (--allow-insecure-http)");
  }
  return Prepared{ctx, std::move(*at)};
}

Expected<RunSummary> Checked(Options& o, const RunContext& in, Workspace& ws) {
  auto p = Prepare(o, in);
  if (!p) return p.error();
  return Run(o, p->at, p->ctx, ws);
}

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
  st.key_used = v->key;
  summary.notes = v->notes;
  summary.signer = v->signer;
  summary.key_fingerprint = v->key_fingerprint;
  summary.format = FormatName(found.file.format);
  summary.signature = found.at.Display();
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
