#include "verifier/trust/vault.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "platform/http.h"
#include "platform/net_error.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "verifier/common/crypto.h"
#include "verifier/common/fetch.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;

// Vault's answer: 2xx with a JSON body, or an Error built from {"errors": [...]}.
struct Answer {
  long status = 0;
  json body;
};

std::string ErrorsOf(const json& body) {
  std::string out;
  if (body.is_object() && body.contains("errors") && body["errors"].is_array()) {
    for (const auto& e : body["errors"]) {
      if (!e.is_string()) continue;
      if (!out.empty()) out += "; ";
      out += e.get<std::string>();
    }
  }
  if (out.size() > 300) out = out.substr(0, 300) + "…";
  return out.empty() ? "no detail" : out;
}

Expected<Answer> Call(const VaultConfig& c, const std::string& token, const std::string& path, const json* body) {
  std::vector<std::string> headers = {"X-Vault-Request: true"};
  if (!token.empty()) headers.push_back("X-Vault-Token: " + token);
  if (!c.vault_namespace.empty()) headers.push_back("X-Vault-Namespace: " + c.vault_namespace);
  std::string payload;
  if (body != nullptr) {
    headers.push_back("Content-Type: application/json");
    payload = body->dump();
  }
  std::string addr = c.addr;
  while (!addr.empty() && addr.back() == '/') addr.pop_back();
  platform::HttpRequest request;
  request.method = body != nullptr ? "POST" : "GET";
  request.url = addr + path;
  request.headers = headers;
  request.body = payload;
  request.tls.ca_file = c.ca_cert;
  request.total_timeout = std::chrono::seconds(20);
  platform::HttpClient client;
  auto r = client.SendForText(request, 1u << 20);
  if (!r) return Error{NetError::kNetwork, RedactUri(c.addr), {}, fmt::format("Vault unreachable ({}): {}", path, r.error().message)};
  Answer a{r->status, json::parse(r->body, nullptr, false)};
  if (r->status >= 500) {
    return Error{NetError::kNetwork, RedactUri(c.addr), {}, fmt::format("Vault answered HTTP {} on {}: {}", r->status, path, ErrorsOf(a.body))};
  }
  if (r->status == 401 || r->status == 403) {
    return Error{NetError::kNetwork, RedactUri(c.addr), {}, fmt::format("Vault denied {} (HTTP {}): {}", path, r->status, ErrorsOf(a.body))};
  }
  return a;
}

std::string DataString(const json& body, const char* field) {
  if (!body.is_object() || !body.contains("data") || !body["data"].is_object()) return {};
  const json& v = body["data"].value(field, json());
  return v.is_string() ? v.get<std::string>() : std::string();
}

}  // namespace

Expected<VaultSignature> ParseVaultSignature(const std::string& text) {
  auto bad = [&] { return Error{VerifyError::kSignature, {}, {}, "not a Vault transit signature (vault:vN:BASE64)"}; };
  if (text.rfind("vault:v", 0) != 0) return bad();
  size_t colon = text.find(':', 7);
  if (colon == std::string::npos || colon == 7) return bad();
  std::string n = text.substr(7, colon - 7);
  if (n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos) return bad();
  auto raw = Base64Decode(text.substr(colon + 1));
  if (!raw || raw->empty()) return bad();
  return VaultSignature{std::stoi(n), *raw};
}

Expected<Vault> Vault::Connect(const VaultConfig& config) {
  std::string scheme = config.addr.substr(0, config.addr.find("://") == std::string::npos ? 0 : config.addr.find("://"));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "http" && !config.allow_insecure_http) {
    return Error{ErrorKind::kUsage, {}, {},
                 "Vault at an http:// address: the token and the verdict would travel unencrypted; use https:// "
                 "(--vault-cacert for a private CA), or opt in with --allow-insecure-http"};
  }
  if (scheme != "http" && scheme != "https") return Error{ErrorKind::kUsage, {}, {}, "the Vault address must be https://HOST[:PORT]"};
  if (!config.token.empty()) return Vault(config, config.token);
  if (!config.token_file.empty()) {
    auto t = ReadInput(config.token_file);
    if (!t) return Error{ErrorKind::kUsage, config.token_file, {}, "cannot read the Vault token file"};
    std::string token(Trim(*t));
    if (token.empty()) return Error{ErrorKind::kUsage, config.token_file, {}, "the Vault token file is empty"};
    return Vault(config, token);
  }
  if (config.role.empty()) {
    return Error{ErrorKind::kUsage, {}, {}, "Vault is configured but there is no token: set VAULT_TOKEN, --vault-token-file or --vault-role"};
  }
  auto jwt = ReadInput(config.jwt_file);
  if (!jwt) return Error{ErrorKind::kUsage, config.jwt_file, {}, "cannot read the service account token for Vault's Kubernetes auth"};
  json login = {{"role", config.role}, {"jwt", std::string(Trim(*jwt))}};
  std::string path = "/v1/auth/" + config.auth_mount + "/login";
  auto a = Call(config, "", path, &login);
  if (!a) return a.error();
  if (a->status != 200) {
    return Error{ErrorKind::kUsage, RedactUri(config.addr), {}, fmt::format("Vault login with role {:?} failed (HTTP {}): {}", config.role, a->status, ErrorsOf(a->body))};
  }
  const json& auth = a->body.is_object() ? a->body.value("auth", json()) : json();
  if (!auth.is_object() || !auth.value("client_token", json()).is_string()) {
    return Error{NetError::kNetwork, RedactUri(config.addr), {}, "Vault login answered without auth.client_token"};
  }
  return Vault(config, auth["client_token"].get<std::string>());
}

Expected<VaultKeyInfo> Vault::ReadKey() const {
  std::string path = fmt::format("/v1/{}/keys/{}", config_.transit_mount, config_.key);
  auto a = Call(config_, token_, path, nullptr);
  if (!a) return a.error();
  if (a->status == 404 || a->status == 400) {
    return Error{VerifyError::kTrust, RedactUri(config_.addr), {}, fmt::format("Vault transit key {:?} not found: {}", config_.key, ErrorsOf(a->body))};
  }
  if (a->status != 200 || !a->body.is_object() || !a->body.value("data", json()).is_object()) {
    return Error{NetError::kNetwork, RedactUri(config_.addr), {}, fmt::format("unexpected Vault answer HTTP {} on {}", a->status, path)};
  }
  const json& d = a->body["data"];
  VaultKeyInfo info;
  // Typed reads only: json::value() throws when a present field has another type.
  const json& type = d.value("type", json());
  info.type = type.is_string() ? type.get<std::string>() : std::string();
  const json& latest = d.value("latest_version", json());
  info.latest_version = latest.is_number_integer() && latest.get<int64_t>() > 0 && latest.get<int64_t>() < 1000000
                            ? static_cast<int>(latest.get<int64_t>())
                            : 0;
  if (d.contains("keys") && d["keys"].is_object()) {
    for (const auto& [version, k] : d["keys"].items()) {
      if (version.empty() || version.find_first_not_of("0123456789") != std::string::npos || version.size() > 6) continue;
      if (k.is_object() && k.value("public_key", json()).is_string()) info.public_keys[std::stoi(version)] = k["public_key"];
    }
  }
  return info;
}

namespace {
json RequestBody(const VaultSignRequest& r) {
  json b = {{"input", r.input}};
  if (r.prehashed) b["prehashed"] = true;
  if (!r.hash_algorithm.empty()) b["hash_algorithm"] = r.hash_algorithm;
  if (!r.signature_algorithm.empty()) b["signature_algorithm"] = r.signature_algorithm;
  return b;
}
}  // namespace

Expected<std::string> Vault::Sign(const VaultSignRequest& request) const {
  json body = RequestBody(request);
  std::string path = fmt::format("/v1/{}/sign/{}", config_.transit_mount, config_.key);
  auto a = Call(config_, token_, path, &body);
  if (!a) return a.error();
  std::string sig = DataString(a->body, "signature");
  if (a->status != 200 || sig.empty()) {
    return Error{a->status == 400 || a->status == 404 ? make_error_code(VerifyError::kTrust) : make_error_code(NetError::kNetwork), RedactUri(config_.addr), {},
                 fmt::format("Vault could not sign (HTTP {}): {}", a->status, ErrorsOf(a->body))};
  }
  return sig;
}

Expected<bool> Vault::Verify(const VaultSignRequest& request, const std::string& signature) const {
  json body = RequestBody(request);
  body["signature"] = signature;
  std::string path = fmt::format("/v1/{}/verify/{}", config_.transit_mount, config_.key);
  auto a = Call(config_, token_, path, &body);
  if (!a) return a.error();
  if (a->status == 400 || a->status == 404) {
    return Error{VerifyError::kSignature, RedactUri(config_.addr), {}, fmt::format("Vault rejected the verification request: {}", ErrorsOf(a->body))};
  }
  if (a->status != 200 || !a->body.is_object() || !a->body.value("data", json()).is_object() ||
      !a->body["data"].value("valid", json()).is_boolean()) {
    return Error{NetError::kNetwork, RedactUri(config_.addr), {}, fmt::format("unexpected Vault answer HTTP {} on {}", a->status, path)};
  }
  return a->body["data"]["valid"].get<bool>();
}

}  // namespace aegis::verifier
