#include "verifier/options.h"

#include <cctype>

#include <cmath>
#include <cstdlib>

#include <CLI/CLI.hpp>

#include "util/duration.h"
#include "util/quantity.h"

namespace aegis::verifier {

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0  verified and placed
  2  usage or configuration error
  3  artifact or signature not found (404 / NoSuchKey)
  4  network or storage error after retries (5xx, timeouts, truncated body, 403)
  5  signature invalid, key mismatch, digest mismatch, pin mismatch
  6  archive rejected (unsafe entry, limits exceeded, corrupt)
  7  no trust material available (no usable key, no Vault)
  8  local I/O error (disk full, permission)

Every option also reads the environment variable shown as (Env:…). The signature is
looked for at <artifact>.sigstore.json, then <artifact>.sig.json, then <artifact>.sig, unless
--signature is given; an OpenSSF model-signing bundle may also be model.sig inside the tree.
S3 uses the AWS credential chain (AWS_* variables, shared credentials file, web identity,
container credentials) and endpoint overrides (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
S3_ENDPOINT + S3_USE_HTTPS, S3_VERIFY_SSL, AWS_CA_BUNDLE). Without a usable --key, Vault
transit verifies (--vault-addr/VAULT_ADDR and --vault-key; token from VAULT_TOKEN,
--vault-token-file or Kubernetes auth with --vault-role).
The contract (order of work, formats, limits): docs/VERIFIER.md and docs/SIGNATURES.md in the
Aegis repository (/usr/share/doc/aegis/ where the package is installed).)";

// After the DURATION transform (the value is seconds): within [min, max], said in the units
// the user wrote durations in.
CLI::Validator DurationWithin(double min_seconds, double max_seconds, const std::string& range) {
  return CLI::Validator(
      [=](const std::string& v) {
        double s = std::strtod(v.c_str(), nullptr);
        return s >= min_seconds && s <= max_seconds ? std::string() : "must be " + range;
      },
      "", "");
}

// A whole number within [min, max], with no parser types in --help.
CLI::Validator Within(long long min, long long max) {
  return CLI::Validator(
      [=](const std::string& v) {
        char* end = nullptr;
        long long n = std::strtoll(v.c_str(), &end, 10);
        bool ok = !v.empty() && end != nullptr && *end == '\0' && n >= min && n <= max;
        return ok ? std::string() : "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
      },
      "", "");
}

}  // namespace

void AddVaultOptions(CLI::App& app, VaultConfig& vault) {
  app.add_option("--vault-addr", vault.addr, "Vault address (also VAULT_ADDR); used when no --key is usable")
      ->envname("AEGIS_VAULT_ADDR");
  app.add_option("--vault-key", vault.key, "Vault transit key name")->envname("AEGIS_VAULT_KEY");
  app.add_option("--vault-transit-mount", vault.transit_mount, "Vault transit mount path")->capture_default_str()
      ->envname("AEGIS_VAULT_TRANSIT_MOUNT");
  app.add_option("--vault-token-file", vault.token_file, "file holding a Vault token (else VAULT_TOKEN, else --vault-role)")
      ->envname("AEGIS_VAULT_TOKEN_FILE");
  app.add_option("--vault-role", vault.role, "Vault Kubernetes auth role (logs in with the service account token)")
      ->envname("AEGIS_VAULT_ROLE");
  app.add_option("--vault-auth-mount", vault.auth_mount, "Vault Kubernetes auth mount path")->capture_default_str()
      ->envname("AEGIS_VAULT_AUTH_MOUNT");
  app.add_option("--vault-jwt-file", vault.jwt_file, "service account token for Vault's Kubernetes auth")->capture_default_str()
      ->envname("AEGIS_VAULT_JWT_FILE");
  app.add_option("--vault-namespace", vault.vault_namespace, "X-Vault-Namespace (also VAULT_NAMESPACE)")
      ->envname("AEGIS_VAULT_NAMESPACE");
  app.add_option("--vault-cacert", vault.ca_cert, "CA bundle for Vault's TLS (also VAULT_CACERT)")->envname("AEGIS_VAULT_CACERT");
}

void AddKeylessOptions(CLI::App& app, Options& o) {
  app.add_option("--trusted-root", o.trusted_root,
                 "Sigstore trusted_root.json (Fulcio CAs, Rekor and CT logs) for keyless bundles; read offline")
      ->envname("AEGIS_TRUSTED_ROOT");
  app.add_option("--certificate-identity", o.identity.identity, "keyless: the signer's identity (certificate SAN: email or URI)")
      ->envname("AEGIS_CERTIFICATE_IDENTITY");
  app.add_option("--certificate-identity-regexp", o.identity.identity_regexp, "keyless: RE2 pattern the identity must contain a match of")
      ->envname("AEGIS_CERTIFICATE_IDENTITY_REGEXP");
  app.add_option("--certificate-oidc-issuer", o.identity.issuer, "keyless: the OIDC issuer of the signer's identity")
      ->envname("AEGIS_CERTIFICATE_OIDC_ISSUER");
  app.add_option("--certificate-oidc-issuer-regexp", o.identity.issuer_regexp, "keyless: RE2 pattern for the OIDC issuer")
      ->envname("AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP");
  app.add_flag("--allow-any-identity", o.allow_any_identity, "keyless: accept a pattern that matches every identity or issuer")
      ->envname("AEGIS_ALLOW_ANY_IDENTITY");
  app.add_option("--predicate-type", o.predicate_types,
                 "an in-toto predicateType a DSSE statement over the artifact may have (repeatable; default: "
                 "model_signing's). A signed SLSA provenance says how a model was built, not that it may be served")
      ->delimiter(',')->envname("AEGIS_PREDICATE_TYPES");
}

void VaultFromEnvironment(VaultConfig& vault) {
  auto from_env = [](std::string& field, const char* name) {
    const char* v = std::getenv(name);
    if (field.empty() && v != nullptr) field = v;
  };
  from_env(vault.addr, "VAULT_ADDR");
  from_env(vault.token, "VAULT_TOKEN");
  from_env(vault.vault_namespace, "VAULT_NAMESPACE");
  from_env(vault.ca_cert, "VAULT_CACERT");
}

namespace {

struct DurationFlags {
  double connect = 10, stall = 30, total = 3600, progress = 10;  // seconds
};

// Downloads: plain http, TLS, anonymous access, unpinned revisions, retries, parallelism, and
// the timeouts (durations as kubectl takes them: 300ms, 30s, 5m, 1h; a bare number is seconds).
void AddTransportOptions(CLI::App& app, Options& o, DurationFlags& d) {
  app.add_flag("--allow-insecure-http", o.allow_insecure_http, "allow http:// artifact and signature URIs")
      ->envname("AEGIS_ALLOW_INSECURE_HTTP");
  app.add_flag("--insecure-skip-tls-verify", o.insecure_skip_tls_verify, "do not verify TLS certificates (warns)")
      ->envname("AEGIS_INSECURE_SKIP_TLS_VERIFY");
  app.add_option("--ca-bundle", o.ca_bundle, "PEM bundle of CAs for https:// and S3 endpoints")
      ->envname("AEGIS_CA_BUNDLE");
  app.add_flag("--anonymous", o.anonymous, "S3, Cloud Storage and Azure without credentials (public buckets)")->envname("AEGIS_ANONYMOUS");
  app.add_flag("--allow-unpinned-revision", o.allow_unpinned_revision,
               "hf:// at a branch or tag (default: a commit is required; a branch moves between pod starts)")
      ->envname("AEGIS_ALLOW_UNPINNED_REVISION");
  app.add_option("--retries", o.retries, "attempts per download (5; 1-100)")->check(Within(1, 100))->type_name("N")->envname("AEGIS_RETRIES");
  app.add_option("--parallel", o.parallel, "concurrent downloads: a model directory's objects, or one large artifact's 8 MiB parts (default: 4 per core, 4-16)")
      ->check(Within(1, 64))
      ->type_name("N")
      ->envname("AEGIS_PARALLEL");
  const CLI::Validator duration(DurationToSeconds, "");
  app.add_option("--connect-timeout", d.connect, "time to connect (10s)")->transform(duration)
      ->check(DurationWithin(0.001, 3600, "from 1ms to 1h"))->type_name("DURATION")->envname("AEGIS_CONNECT_TIMEOUT");
  app.add_option("--stall-timeout", d.stall, "time without data before a retry (30s)")->transform(duration)
      ->check(DurationWithin(0.001, 3600, "from 1ms to 1h"))->type_name("DURATION")->envname("AEGIS_STALL_TIMEOUT");
  app.add_option("--timeout", d.total, "time per download attempt (1h)")->transform(duration)
      ->check(DurationWithin(0.001, 86400, "from 1ms to 24h"))->type_name("DURATION")->envname("AEGIS_TIMEOUT");
  app.add_option("--progress-interval", d.progress, "time between progress lines while downloading (10s; 0: none)")
      ->transform(duration)->check(DurationWithin(0, 86400, "from 0 to 24h"))->type_name("DURATION")
      ->envname("AEGIS_PROGRESS_INTERVAL");
}

// The bounds of what is fetched and placed.
void AddLimitOptions(CLI::App& app, Options& o) {
  // Sizes and counts as Kubernetes quantities (64Gi, 500M, 1e6): k is 1000, Ki 1024. Zero
  // and negative numbers are refused: a limit of 0 must not read as "no limit".
  const CLI::Validator quantity(QuantityToInteger, "");
  const CLI::Validator positive(
      [](const std::string& v) { return v != "0" ? std::string() : "must be at least 1"; }, "", "");
  auto limit = [&](const char* name, uint64_t& field, const char* help, const char* env) {
    app.add_option(name, field, help)->transform(quantity)->check(positive)->type_name("QUANTITY")->envname(env);
  };
  limit("--max-total-bytes", o.limits.max_total_bytes, "uncompressed bytes of all files (64Gi)", "AEGIS_MAX_TOTAL_BYTES");
  limit("--max-artifact-bytes", o.max_artifact_bytes,
        "bytes of the downloaded artifact itself, an archive before extraction (default: --max-total-bytes)",
        "AEGIS_MAX_ARTIFACT_BYTES");
  limit("--max-file-bytes", o.limits.max_file_bytes, "bytes of one file (32Gi)", "AEGIS_MAX_FILE_BYTES");
  limit("--max-entries", o.limits.max_entries, "archive entries (200k)", "AEGIS_MAX_ENTRIES");
  limit("--max-ratio", o.limits.max_ratio, "uncompressed/compressed ratio (decompression bombs; 200)", "AEGIS_MAX_RATIO");
  app.add_option("--max-path-bytes", o.limits.max_path_bytes, "bytes of one entry's path (1024)")
      ->transform(quantity)->check(Within(1, 65536))->type_name("QUANTITY")->envname("AEGIS_MAX_PATH_BYTES");

}

}  // namespace

ParsedCommandLine ParseCommandLine(int argc, char** argv) {
  Options o;
  CLI::App app{"verify-and-fetch: fetch a signed model, verify it, and place it in <dest-dir> — or place nothing", "verify-and-fetch"};
  app.set_version_flag("--version", AEGIS_VERSION);
  app.footer(kFooter);
  app.get_formatter()->column_width(36);
  std::string log_format = "text", artifact_type = "auto";
  app.add_option("artifact", o.artifact,
                 "s3://BUCKET/KEY, gs://BUCKET/OBJECT, Azure Blob https://ACCOUNT.blob.core.windows.net/C/BLOB, "
                 "hf://OWNER/MODEL@COMMIT, oci://REGISTRY/REPO@DIGEST, https://…, http://… (needs "
                 "--allow-insecure-http), file:///… or a path; a trailing / (s3://b/p/, gs://b/p/) is a model directory")
      ->required()->envname("AEGIS_ARTIFACT");
  app.add_option("dest", o.dest, "model directory (created if missing; a model an earlier run placed there is replaced)")
      ->required()->envname("AEGIS_DEST");
  app.add_option("--signature", o.signature, "signature URI or path (default: discovery next to the artifact)")
      ->envname("AEGIS_SIGNATURE");
  app.add_option("--key", o.key, "trusted public key: a PEM file, or a directory of *.pem/*.pub")->capture_default_str()
      ->envname("AEGIS_KEY");
  app.add_option("--trust-policy", o.trust_policy,
                 "the platform's pinned trust (JSON, as the constraint's parameters.trust): only what it pins is trusted")
      ->type_name("JSON")->envname("AEGIS_TRUST_POLICY");
  app.add_option("--certificate-chain", o.certificate_chain,
                 "CA certificates (PEM) that model-signing bundles signed with a certificate must chain to")
      ->envname("AEGIS_CERTIFICATE_CHAIN");
  AddKeylessOptions(app, o);
  AddVaultOptions(app, o.vault);
  app.add_option("--expected-sha256", o.expected_sha256, "refuse any artifact with another SHA-256 (hex), even if validly signed")
      ->envname("AEGIS_EXPECTED_SHA256");
  app.add_option("--expected-name", o.expected_name, "model name the signature must bind (model-signing subject name)")
      ->envname("AEGIS_EXPECTED_NAME");
  app.add_option("--ignore-paths", o.ignore_paths, "model-signing: paths the signature does not cover (not placed)")
      ->delimiter(',')->envname("AEGIS_IGNORE_PATHS");
  app.add_option("--artifact-type", artifact_type, "auto (by file name), archive, or file (placed as-is)")->capture_default_str()
      ->check(CLI::IsMember({"auto", "archive", "file"}))->envname("AEGIS_ARTIFACT_TYPE");
  app.add_option("--termination-log", o.termination_log,
                 "where the success record or the failure reason goes (≤ 4096 bytes)")
      ->capture_default_str()
      ->envname("AEGIS_TERMINATION_LOG");
  app.add_option("--log-format", log_format, "text or json (one object per line)")->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}))->envname("AEGIS_LOG_FORMAT");
  DurationFlags durations;
  AddTransportOptions(app, o, durations);
  AddLimitOptions(app, o);

  ParsedCommandLine parsed;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    parsed.exit_code = code == 0 ? kExitPlaced : kExitUsage;
    return parsed;
  }
  VaultFromEnvironment(o.vault);
  o.log_format = log_format == "json" ? LogFormat::kJson : LogFormat::kText;
  o.artifact_type = artifact_type == "archive" ? ArtifactType::kArchive
                    : artifact_type == "file"  ? ArtifactType::kFile
                                               : ArtifactType::kAuto;
  auto ms = [](double seconds) { return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000))); };
  o.connect_timeout = ms(durations.connect);
  o.stall_timeout = std::chrono::seconds(static_cast<long long>(std::ceil(durations.stall)));
  o.timeout = ms(durations.total);
  o.progress_interval = ms(durations.progress);
  parsed.options = std::move(o);
  parsed.exit_code = kExitPlaced;
  return parsed;
}

VaultConfig VaultWithTransport(const Options& o) {
  VaultConfig v = o.vault;
  v.allow_insecure_http = o.allow_insecure_http;
  return v;
}

}  // namespace aegis::verifier
