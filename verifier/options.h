// verify-and-fetch's command line (docs/VERIFIER.md, "Invocation"): every option also reads
// an AEGIS_* environment variable, so a manifest can configure it with `env:`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/expected.h"
#include "verifier/exit_codes.h"
#include "verifier/place/extract.h"
#include "verifier/trust/keyless.h"
#include "verifier/trust/vault.h"

namespace CLI {
class App;
}

namespace aegis::verifier {

struct Options;
// The Vault settings with the transport rule of the artifact URIs (--allow-insecure-http).
VaultConfig VaultWithTransport(const Options& o);

enum class ArtifactType { kAuto, kArchive, kFile };
enum class LogFormat { kText, kJson };

struct Options {
  std::string artifact;   // URI or path
  std::string dest;       // model directory
  std::string signature;  // explicit signature URI; empty: discovery
  std::string key = "/etc/cosign";
  std::string certificate_chain;  // CA certificates (PEM) for bundles signed with a certificate
  std::string trusted_root;       // Sigstore trusted_root.json for keyless bundles
  IdentityPolicy identity;        // who may have signed keyless
  bool allow_any_identity = false;  // a keyless pattern may match every signer
  std::vector<std::string> predicate_types;  // DSSE statements over an artifact; empty: model_signing's
  std::string trust_policy;       // AEGIS_TRUST_POLICY: the platform's pins (JSON); empty: none
  VaultConfig vault;  // used when no key is usable
  std::string expected_sha256;  // lowercase hex
  std::string expected_name;
  std::vector<std::string> ignore_paths;  // model-signing: not verified, hence not placed
  std::string termination_log = "/dev/termination-log";
  LogFormat log_format = LogFormat::kText;
  ArtifactType artifact_type = ArtifactType::kAuto;
  bool allow_insecure_http = false;
  bool insecure_skip_tls_verify = false;
  bool anonymous = false;  // S3 without credentials (KServe's awsAnonymousCredential)
  bool allow_unpinned_revision = false;  // hf:// at a branch or tag (resolved once to its commit)
  std::string ca_bundle;
  std::string extra_ca_pem;  // trusted besides ca_bundle or the system's: KServe's CA bundle (kserve_contract.h)
  int retries = 5;  // attempts per download
  int parallel = 0;  // model directories: concurrent downloads; 0: from the cores (2–8)
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::seconds stall_timeout{30};  // libcurl's low-speed window: whole seconds
  std::chrono::milliseconds timeout{std::chrono::seconds(3600)};
  std::chrono::milliseconds progress_interval{std::chrono::seconds(10)};  // 0: no progress lines
  ExtractLimits limits;
  uint64_t max_artifact_bytes = 0;  // the downloaded artifact file; 0: limits.max_total_bytes
};

// What parsing decided: run with options, or exit now (help, version, usage error) with
// the text already printed.
struct ParsedCommandLine {
  std::optional<Options> options;
  int exit_code = kExitUsage;
};

// The --vault-* flags (with AEGIS_VAULT_* variables), shared with `aegis verify`/`sign`.
void AddVaultOptions(CLI::App& app, VaultConfig& vault);
// --trusted-root and the identity policy (cosign verify-blob's flag names), with AEGIS_* env.
void AddKeylessOptions(CLI::App& app, Options& o);
// Vault's own variables where the flags left a field empty: VAULT_ADDR, VAULT_TOKEN,
// VAULT_NAMESPACE, VAULT_CACERT (as the vault CLI reads them).
void VaultFromEnvironment(VaultConfig& vault);

// Environment variables are read through `getenv` (CLI11's envname).
ParsedCommandLine ParseCommandLine(int argc, char** argv);

}  // namespace aegis::verifier
