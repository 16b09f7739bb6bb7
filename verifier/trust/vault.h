// HashiCorp Vault transit, the signature service of format C (docs/SIGNATURES.md): token
// from VAULT_TOKEN, a token file, or Kubernetes auth (POST /v1/auth/<mount>/login);
// sign/verify (`prehashed` + `hash_algorithm: sha2-256`, `signature_algorithm` for RSA) and
// the transit key's public keys. Tokens are secrets: no message built here contains one.
#pragma once

#include <map>
#include <string>

#include "util/expected.h"

namespace aegis::verifier {

struct VaultConfig {
  std::string addr;  // https://vault.example:8200
  std::string key;   // transit key name
  std::string transit_mount = "transit";
  std::string token;       // VAULT_TOKEN
  std::string token_file;  // a file holding the token
  std::string role;        // Kubernetes auth role
  std::string auth_mount = "kubernetes";
  std::string jwt_file = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string vault_namespace;  // X-Vault-Namespace (Enterprise)
  std::string ca_cert;          // VAULT_CACERT
  bool allow_insecure_http = false;  // http:// only on opt-in (--allow-insecure-http): the token travels in clear

  bool configured() const { return !addr.empty() && !key.empty(); }
};

struct VaultKeyInfo {
  std::string type;                       // "ecdsa-p256", "rsa-2048", "ed25519", …
  int latest_version = 0;
  std::map<int, std::string> public_keys;  // version → PEM
};

struct VaultSignRequest {
  std::string input;  // base64
  bool prehashed = false;
  std::string hash_algorithm = "sha2-256";
  std::string signature_algorithm;  // RSA: "pss" (Vault's default) or "pkcs1v15"; empty: not sent
};

class Vault {
 public:
  // Resolves the token (config.token, then token_file, then Kubernetes login with role).
  // kUsage when Vault is configured without any way to get a token.
  static Expected<Vault> Connect(const VaultConfig& config);

  const std::string& token() const { return token_; }  // for masking in logs only
  const VaultConfig& config() const { return config_; }

  Expected<VaultKeyInfo> ReadKey() const;                               // GET  /v1/<mount>/keys/<key>
  Expected<std::string> Sign(const VaultSignRequest& request) const;    // POST /v1/<mount>/sign/<key> → "vault:vN:…"
  // POST /v1/<mount>/verify/<key> → data.valid. kSignature when Vault rejects the request
  // as malformed (400); kNetwork when unreachable, 5xx or forbidden.
  Expected<bool> Verify(const VaultSignRequest& request, const std::string& signature) const;

 private:
  Vault(VaultConfig config, std::string token) : config_(std::move(config)), token_(std::move(token)) {}
  VaultConfig config_;
  std::string token_;
};

// "vault:v3:BASE64" → version 3 and the raw signature; nullopt-like error when malformed.
struct VaultSignature {
  int version = 0;
  std::string raw;
};
Expected<VaultSignature> ParseVaultSignature(const std::string& text);

}  // namespace aegis::verifier
