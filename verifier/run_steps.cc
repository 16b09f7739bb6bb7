#include "verifier/run_steps.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "platform/net_error.h"
#include "util/strings.h"
#include "verifier/common/verify_error.h"
#include "verifier/pinned_trust.h"
#include "verifier/sources/kserve_contract.h"

namespace aegis::verifier {
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
    in.log->Info("CA bundle",
                 {{"configmap", *(*env)("CA_BUNDLE_CONFIGMAP_NAME")}, {"trusted", "besides the system's CAs"}});
  }
  return RunContext{*env, in.log, in.progress};
}

}  // namespace

Error Fail(std::error_code kind, std::string file, std::string message) {
  return Error{kind, std::move(file), {}, std::move(message)};
}

bool IsHex64(std::string& s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Concurrent downloads (a model directory's objects, or one artifact's parts): --parallel,
// else four per core (4–16): downloads wait on the network far more than on the CPU, and an
// object store caps each connection well below the link.
int Parallelism(const Options& o) {
  return o.parallel > 0 ? o.parallel : std::clamp(4 * static_cast<int>(std::thread::hardware_concurrency()), 4, 16);
}

Status CheckName(const Options& o, const Verified& v) {
  if (o.expected_name.empty()) return Ok{};
  if (v.subject != o.expected_name) {
    return Fail(VerifyError::kSignature, {},
                fmt::format("the signature binds the name {:?}, not the expected {:?}", v.subject, o.expected_name));
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
    log.Info("trust policy", {{"keys", pins->keys.size()},
                              {"keyless identities", pins->keyless.size()},
                              {"vault", pins->vault.size()},
                              {"artifact prefixes", pins->artifact_prefixes.size()}});
    for (const std::string& k : trust->unpinned)
      log.Warn("key not pinned by the trust policy: not trusted", {{"key", k}});
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

// 3. Format E: cosign's signature of the OCI manifest decides; what is placed is its content.
Status AcceptImageStep(const Options& o, RunState& st, RunSummary& summary, Logger& log) {
  const Verified& v = *st.image->verified;
  if (!o.expected_name.empty()) {
    return Fail(VerifyError::kSignature, st.image->where,
                "--expected-name: a cosign image signature binds no model name (only model-signing bundles do)");
  }
  st.sha256 = st.image->pinned.digest.substr(7);  // the signed manifest's digest
  if (!o.expected_sha256.empty() && st.sha256 != o.expected_sha256) {
    return Fail(VerifyError::kSignature, st.image->pinned.Display(),
                fmt::format("pin mismatch: the signed manifest's digest is sha256:{}, --expected-sha256 is {}",
                            st.sha256, o.expected_sha256));
  }
  st.key_used = v.key;
  summary.notes = v.notes;
  summary.signer = v.signer;
  summary.key_fingerprint = v.key_fingerprint;
  summary.format = "cosign-image";
  summary.signature = st.image->where;
  Fields f{{"format", "cosign-image"},
           {"signature", st.image->where},
           {"key", v.key},
           {"manifest", st.image->pinned.digest}};
  if (v.signer) {
    f.emplace_back("identity", v.signer->identity);
    f.emplace_back("issuer", v.signer->issuer);
  }
  log.Info("signature verified", f);
  return Ok{};
}

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

void RecordSignature(const Verified& v, const FoundSignature& found, RunState& st, RunSummary& summary) {
  st.key_used = v.key;
  summary.notes = v.notes;
  summary.signer = v.signer;
  summary.key_fingerprint = v.key_fingerprint;
  summary.format = FormatName(found.file.format);
  summary.signature = found.at.Display();
}

}  // namespace aegis::verifier
