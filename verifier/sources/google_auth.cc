#include "verifier/sources/google_auth.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "platform/http.h"
#include "platform/net_error.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "util/json_access.h"
#include "util/strings.h"
#include "verifier/sources/token_exchange.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;

constexpr size_t kAnswerLimit = 1u << 20;  // metadata answers are small
constexpr const char* kDefaultTokenUri = "https://oauth2.googleapis.com/token";

Error Usage(const std::string& file, const std::string& what) { return Error{ErrorKind::kUsage, file, {}, what}; }

std::string Base64Url(std::string_view bytes) {
  std::string s = Base64Encode(bytes);
  for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

// RS256 over `input` with the PEM private key of a service-account file.
Expected<std::string> SignRs256(const std::string& pem, std::string_view input, const std::string& file) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return Usage(file, "private_key is not a PEM RSA private key");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return Usage(file, "cannot sign with private_key");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return Usage(file, "cannot sign with private_key");
  }
  sig.resize(len);
  return sig;
}

Expected<GoogleToken> ServiceAccount(const json& j, const std::string& file, const std::string& scope, const std::string& via) {
  std::string email = JsonStringOr(j, {"client_email"}), key = JsonStringOr(j, {"private_key"});
  std::string token_uri = JsonStringOr(j, {"token_uri"}, kDefaultTokenUri);
  if (email.empty() || key.empty()) return Usage(file, "service_account credentials need client_email and private_key");
  const auto now = static_cast<int64_t>(std::time(nullptr));
  json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (auto kid = JsonString(j, {"private_key_id"})) header["kid"] = *kid;
  json claims = {{"iss", email}, {"scope", scope}, {"aud", token_uri}, {"iat", now}, {"exp", now + 3600}};
  std::string input = Base64Url(header.dump()) + "." + Base64Url(claims.dump());
  auto sig = SignRs256(key, input, file);
  if (!sig) return sig.error();
  std::string assertion = input + "." + Base64Url(*sig);
  auto token = ExchangeToken("service account token", token_uri,
                        "grant_type=" + PercentEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + assertion,
                        "application/x-www-form-urlencoded", {}, "access_token");
  if (!token) return token.error();
  return GoogleToken{*token, fmt::format("service account {} ({})", email, via)};
}

Expected<GoogleToken> AuthorizedUser(const json& j, const std::string& file, const std::string& via) {
  std::string id = JsonStringOr(j, {"client_id"}), secret = JsonStringOr(j, {"client_secret"}),
              refresh = JsonStringOr(j, {"refresh_token"});
  if (id.empty() || secret.empty() || refresh.empty()) {
    return Usage(file, "authorized_user credentials need client_id, client_secret and refresh_token");
  }
  auto token = ExchangeToken("user credentials refresh", JsonStringOr(j, {"token_uri"}, kDefaultTokenUri),
                        fmt::format("grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}", PercentEncode(id),
                                    PercentEncode(secret), PercentEncode(refresh)),
                        "application/x-www-form-urlencoded", {}, "access_token");
  if (!token) return token.error();
  return GoogleToken{*token, fmt::format("user credentials ({})", via)};
}

// The subject token an external account federates: a file (Kubernetes' projected service
// account token) or a URL (an identity endpoint), as text or a JSON field.
Expected<std::string> SubjectToken(const json& source, const std::string& file) {
  std::string text;
  if (auto path = JsonString(source, {"file"})) {
    auto t = ReadInput(*path, 1 << 20);
    if (!t) return Usage(*path, "credential_source.file cannot be read: " + t.error().message);
    text = *t;
  } else if (auto url = JsonString(source, {"url"})) {
    platform::HttpRequest request;
    request.url = *url;
    request.total_timeout = std::chrono::seconds(20);
    if (const json* h = JsonAt(source, {"headers"}); h != nullptr && h->is_object()) {
      for (const auto& [k, v] : h->items()) {
        if (v.is_string()) request.headers.push_back(k + ": " + v.get<std::string>());
      }
    }
    platform::HttpClient client;
    auto r = client.SendForText(request, kAnswerLimit);
    if (!r) return Error{NetError::kNetwork, RedactUri(*url), {}, "credential_source.url: " + r.error().message};
    if (r->status != 200) {
      return Error{NetError::kForbidden, RedactUri(*url), {}, fmt::format("credential_source.url answered HTTP {}", r->status)};
    }
    text = r->body;
  } else {
    return Usage(file, "external_account credential_source needs a file or a url (executables are not run)");
  }
  if (JsonStringOr(source, {"format", "type"}) == "json") {
    std::string field = JsonStringOr(source, {"format", "subject_token_field_name"});
    auto j = ParseJsonBounded(text, 32);
    std::string token = j && !field.empty() ? JsonStringOr(*j, {field.c_str()}) : std::string();
    if (token.empty()) return Usage(file, "the subject token is not at credential_source.format.subject_token_field_name");
    return token;
  }
  std::string token = Trim(text);
  if (token.empty()) return Usage(file, "the subject token is empty");
  return token;
}

Expected<GoogleToken> ExternalAccount(const json& j, const std::string& file, const std::string& scope, const std::string& via) {
  std::string audience = JsonStringOr(j, {"audience"}), type = JsonStringOr(j, {"subject_token_type"});
  std::string token_url = JsonStringOr(j, {"token_url"}, "https://sts.googleapis.com/v1/token");
  const json* source = JsonAt(j, {"credential_source"});
  if (audience.empty() || type.empty() || source == nullptr) {
    return Usage(file, "external_account credentials need audience, subject_token_type and credential_source");
  }
  auto subject = SubjectToken(*source, file);
  if (!subject) return subject.error();
  std::string impersonate = JsonStringOr(j, {"service_account_impersonation_url"});
  // With impersonation the federated token only needs to call the IAM Credentials API.
  std::string sts_scope = impersonate.empty() ? scope : "https://www.googleapis.com/auth/cloud-platform";
  auto federated = ExchangeToken(
      "workload identity federation (STS token exchange)", token_url,
      fmt::format("grant_type={}&audience={}&scope={}&requested_token_type={}&subject_token={}&subject_token_type={}",
                  PercentEncode("urn:ietf:params:oauth:grant-type:token-exchange"), PercentEncode(audience), PercentEncode(sts_scope),
                  PercentEncode("urn:ietf:params:oauth:token-type:access_token"), PercentEncode(*subject), PercentEncode(type)),
      "application/x-www-form-urlencoded", {}, "access_token");
  if (!federated) return federated.error();
  if (impersonate.empty()) return GoogleToken{*federated, fmt::format("workload identity federation ({})", via)};
  json request = {{"scope", json::array({scope})}, {"lifetime", "3600s"}};
  auto token = ExchangeToken("service account impersonation", impersonate, request.dump(), "application/json",
                        {"Authorization: Bearer " + *federated}, "accessToken");
  if (!token) return token.error();
  return GoogleToken{*token, fmt::format("workload identity federation, impersonating ({})", via)};
}

Expected<GoogleToken> FromFile(const std::string& path, const std::string& scope, const std::string& via) {
  auto text = ReadInput(path, 1 << 20);
  if (!text) return Usage(path, "cannot read the Google credentials file: " + text.error().message);
  auto j = ParseJsonBounded(*text, 32);
  if (!j || !j->is_object()) return Usage(path, "the Google credentials file is not a JSON object");
  std::string type = JsonStringOr(*j, {"type"});
  if (type == "service_account") return ServiceAccount(*j, path, scope, via);
  if (type == "authorized_user") return AuthorizedUser(*j, path, via);
  if (type == "external_account") return ExternalAccount(*j, path, scope, via);
  return Usage(path, fmt::format("Google credentials of type {:?} are not supported (service_account, authorized_user, "
                                 "external_account)", type));
}

// The metadata server's token for the attached (or Workload Identity) service account.
// nullopt when no Google metadata server answers: not on Google Cloud, or the link-local
// address is another cloud's (which does not know this path).
Expected<std::optional<GoogleToken>> Metadata(const platform::Env& env, const std::string& scope) {
  std::string check = env("NO_GCE_CHECK").value_or("");
  if (check == "true" || check == "True" || check == "TRUE" || check == "1") return std::optional<GoogleToken>();
  std::string host = env("GCE_METADATA_HOST").value_or("169.254.169.254");
  platform::HttpRequest request;
  request.url = fmt::format("http://{}/computeMetadata/v1/instance/service-accounts/default/token?scopes={}", host, PercentEncode(scope));
  request.headers = {"Metadata-Flavor: Google"};
  request.connect_timeout = std::chrono::seconds(1);
  request.total_timeout = std::chrono::seconds(5);
  platform::HttpClient client;
  auto r = client.SendForText(request, kAnswerLimit);
  if (!r || r->status != 200) return std::optional<GoogleToken>();
  auto j = ParseJsonBounded(r->body, 32);
  std::string token = j ? JsonStringOr(*j, {"access_token"}) : std::string();
  if (token.empty()) return std::optional<GoogleToken>();
  return std::optional<GoogleToken>(GoogleToken{token, "metadata server (" + host + ")"});
}

}  // namespace

Expected<std::optional<GoogleToken>> ResolveGoogleCredentials(const platform::Env& env, const std::string& scope) {
  if (auto file = env("GOOGLE_APPLICATION_CREDENTIALS")) {
    auto t = FromFile(*file, scope, "GOOGLE_APPLICATION_CREDENTIALS");
    if (!t) return t.error();
    return std::optional<GoogleToken>(*t);
  }
  std::optional<std::string> config = env("CLOUDSDK_CONFIG");
  if (!config && env("HOME")) config = *env("HOME") + "/.config/gcloud";
  std::error_code ec;
  std::string well_known = config ? *config + "/application_default_credentials.json" : std::string();
  if (!well_known.empty() && std::filesystem::is_regular_file(well_known, ec)) {
    auto t = FromFile(well_known, scope, "gcloud application default credentials");
    if (!t) return t.error();
    return std::optional<GoogleToken>(*t);
  }
  return Metadata(env, scope);
}

}  // namespace aegis::verifier
