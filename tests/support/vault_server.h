// An in-test HashiCorp Vault: the transit engine (keys read, sign, verify) and Kubernetes
// auth login, at Vault's documented paths, with its JSON shapes (`{"data": …}`,
// `{"auth": {"client_token": …}}`, `{"errors": [...]}`) and status codes (400 bad request,
// 403 permission denied, 404 unknown path or key, 500). Crypto is real (OpenSSL):
// ecdsa-p256 (ASN.1 signatures) and rsa-2048 (pss — Vault's default, salt length "auto"
// — and pkcs1v15), `prehashed` and `hash_algorithm: sha2-256` as Vault implements them.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/http_server.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace aegis::testing {

class VaultServer {
 public:
  static constexpr const char* kToken = "hvs.root-token-for-tests";
  static constexpr const char* kRole = "model-fetcher";
  static constexpr const char* kJwt = "eyJhbGciOiJSUzI1NiJ9.service-account-token.sig";
  static constexpr const char* kLoginToken = "hvs.k8s-login-token";

  explicit VaultServer(std::string vault_namespace = "");
  ~VaultServer();

  // Creates transit key `name` ("ecdsa-p256" or "rsa-2048") at version 1; Rotate adds one.
  void AddKey(const std::string& name, const std::string& type);
  void Rotate(const std::string& name);
  std::string PublicKeyPem(const std::string& name, int version);

  std::string addr() const { return http_.Url(""); }  // http://127.0.0.1:PORT
  void FailNext(int n) { fail_next_ = n; }  // the next n requests answer 500
  std::vector<HttpRequest> Log() const { return http_.Log(); }

 private:
  void Handle(const HttpRequest& req, HttpConnection& c);
  struct Key {
    std::string type;
    std::vector<std::shared_ptr<EVP_PKEY>> versions;
  };
  std::string namespace_;
  std::mutex mu_;
  std::map<std::string, Key> keys_;
  std::atomic<int> fail_next_{0};
  HttpServer http_;
};

}  // namespace aegis::testing
