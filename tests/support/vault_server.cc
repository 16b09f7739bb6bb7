#include "support/vault_server.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <nlohmann/json.hpp>

namespace aegis::testing {
namespace {
using nlohmann::json;

std::string B64(const std::string& raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool Unb64(const std::string& text, std::string* raw) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return false;
  size_t pad = text.size() - text.find_last_not_of('=') - 1;
  out.resize(static_cast<size_t>(n) - pad);
  *raw = out;
  return true;
}

std::string Sha256(const std::string& data) {
  unsigned char md[32];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), len);
}

std::shared_ptr<EVP_PKEY> Generate(const std::string& type) {
  EVP_PKEY* k = type == "rsa-2048" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                                   : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free);
}

// Signs or verifies a SHA-256 digest the way Vault's transit engine does.
std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> Ctx(EVP_PKEY* k, bool sign, const std::string& type, const std::string& alg) {
  std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new(k, nullptr), EVP_PKEY_CTX_free);
  if (sign) EVP_PKEY_sign_init(ctx.get());
  else EVP_PKEY_verify_init(ctx.get());
  EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256());
  if (type == "rsa-2048") {
    bool pss = alg.empty() || alg == "pss";
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING);
    if (pss) EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), sign ? RSA_PSS_SALTLEN_MAX : RSA_PSS_SALTLEN_AUTO);
  }
  return ctx;
}

void Json(HttpConnection& c, int status, const json& body) { c.Respond(status, body.dump(), {"Content-Type: application/json"}); }
void Errors(HttpConnection& c, int status, const std::vector<std::string>& errors) { Json(c, status, json{{"errors", errors}}); }

}  // namespace

VaultServer::VaultServer(std::string vault_namespace)
    : namespace_(std::move(vault_namespace)), http_([this](const HttpRequest& r, HttpConnection& c) { Handle(r, c); }) {}

VaultServer::~VaultServer() = default;

void VaultServer::AddKey(const std::string& name, const std::string& type) {
  std::lock_guard<std::mutex> lock(mu_);
  keys_[name] = Key{type, {Generate(type)}};
}

void VaultServer::Rotate(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  Key& k = keys_.at(name);
  k.versions.push_back(Generate(k.type));
}

std::string VaultServer::PublicKeyPem(const std::string& name, int version) {
  std::lock_guard<std::mutex> lock(mu_);
  EVP_PKEY* k = keys_.at(name).versions.at(static_cast<size_t>(version - 1)).get();
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

void VaultServer::Handle(const HttpRequest& req, HttpConnection& c) {
  if (fail_next_ > 0) {
    --fail_next_;
    return Errors(c, 500, {"1 error occurred:\n\t* internal error\n\n"});
  }
  const std::string& path = req.target;
  json body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
  if (body.is_discarded()) return Errors(c, 400, {"failed to parse JSON input"});
  auto header = [&](const char* name) {
    auto it = req.headers.find(name);
    return it == req.headers.end() ? std::string() : it->second;
  };
  if (!namespace_.empty() && header("x-vault-namespace") != namespace_) return Errors(c, 403, {"permission denied"});

  // Kubernetes auth: POST /v1/auth/<mount>/login {"role", "jwt"}.
  if (req.method == "POST" && path.rfind("/v1/auth/", 0) == 0 && path.size() > 15 && path.compare(path.size() - 6, 6, "/login") == 0) {
    if (path != "/v1/auth/kubernetes/login" && path != "/v1/auth/k8s-prod/login") return Errors(c, 404, {});
    if (body.value("role", "") != kRole) return Errors(c, 400, {"invalid role name \"" + body.value("role", "") + "\""});
    if (body.value("jwt", "") != kJwt) return Errors(c, 403, {"permission denied"});
    return Json(c, 200, {{"request_id", "5e7d"}, {"data", nullptr},
                         {"auth", {{"client_token", kLoginToken}, {"accessor", "acc"}, {"policies", {"default", "model-fetch"}},
                                   {"lease_duration", 3600}, {"renewable", true}}}});
  }
  std::string token = header("x-vault-token");
  if (token != kToken && token != kLoginToken) return Errors(c, 403, {"permission denied"});

  auto name_after = [&](const std::string& prefix) { return path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size()); };
  std::lock_guard<std::mutex> lock(mu_);
  if (req.method == "GET" && path.rfind("/v1/transit/keys/", 0) == 0) {
    auto it = keys_.find(name_after("/v1/transit/keys/"));
    if (it == keys_.end()) return Errors(c, 404, {});
    json versions = json::object();
    for (size_t i = 0; i < it->second.versions.size(); ++i) {
      BIO* bio = BIO_new(BIO_s_mem());
      PEM_write_bio_PUBKEY(bio, it->second.versions[i].get());
      char* data = nullptr;
      long n = BIO_get_mem_data(bio, &data);
      versions[std::to_string(i + 1)] = {{"creation_time", "2026-11-27T10:00:00Z"}, {"name", it->second.type == "rsa-2048" ? "rsa-2048" : "P-256"},
                                         {"public_key", std::string(data, static_cast<size_t>(n))}};
      BIO_free(bio);
    }
    return Json(c, 200, {{"data", {{"name", it->first}, {"type", it->second.type}, {"keys", versions},
                                   {"latest_version", it->second.versions.size()}, {"min_decryption_version", 1},
                                   {"supports_signing", true}, {"exportable", false}}}});
  }
  bool sign = path.rfind("/v1/transit/sign/", 0) == 0, verify = path.rfind("/v1/transit/verify/", 0) == 0;
  if (req.method != "POST" || (!sign && !verify)) return Errors(c, 404, {});
  auto it = keys_.find(name_after(sign ? "/v1/transit/sign/" : "/v1/transit/verify/"));
  if (it == keys_.end()) return Errors(c, 400, {sign ? "signing key not found" : "signature verification key not found"});
  std::string hash = body.value("hash_algorithm", "sha2-256"), alg = body.value("signature_algorithm", "");
  if (hash != "sha2-256") return Errors(c, 400, {"unsupported hash algorithm " + hash});
  if (!alg.empty() && alg != "pss" && alg != "pkcs1v15") return Errors(c, 400, {"unsupported signature algorithm " + alg});
  std::string input;
  if (!Unb64(body.value("input", ""), &input)) return Errors(c, 400, {"unable to decode input as base64"});
  std::string digest = body.value("prehashed", false) ? input : Sha256(input);
  if (digest.size() != 32) return Errors(c, 400, {"invalid input length for prehashed sha2-256"});
  const Key& key = it->second;
  if (sign) {
    EVP_PKEY* k = key.versions.back().get();
    auto ctx = Ctx(k, true, key.type, alg);
    size_t len = 0;
    EVP_PKEY_sign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
    std::string sig(len, '\0');
    EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, reinterpret_cast<const unsigned char*>(digest.data()),
                  digest.size());
    sig.resize(len);
    std::string v = std::to_string(key.versions.size());
    return Json(c, 200, {{"data", {{"signature", "vault:v" + v + ":" + B64(sig)}, {"key_version", key.versions.size()}}}});
  }
  std::string signature = body.value("signature", "");
  size_t colon = signature.find(':', 7);
  std::string raw;
  if (signature.rfind("vault:v", 0) != 0 || colon == std::string::npos || !Unb64(signature.substr(colon + 1), &raw)) {
    return Errors(c, 400, {"invalid signature"});
  }
  size_t version = std::strtoul(signature.substr(7, colon - 7).c_str(), nullptr, 10);
  if (version < 1 || version > key.versions.size()) return Errors(c, 400, {"invalid key version"});
  auto ctx = Ctx(key.versions[version - 1].get(), false, key.type, alg);
  bool valid = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                               reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) == 1;
  return Json(c, 200, {{"data", {{"valid", valid}}}});
}

}  // namespace aegis::testing
