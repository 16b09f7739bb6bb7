#include "verifier/sources/azure_auth.h"

#include <chrono>

#include <fmt/format.h>

#include "platform/http.h"
#include "platform/net_error.h"
#include "util/file_io.h"
#include "util/json_access.h"
#include "util/strings.h"
#include "verifier/sources/token_exchange.h"

namespace aegis::verifier {
namespace {

constexpr const char* kConnectionStringVar = "AZURE_STORAGE_CONNECTION_STRING";

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  size_t a = s.find_first_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a);
}

// The first of `names` that is set.
std::optional<std::string> FirstOf(const platform::Env& env, std::initializer_list<const char*> names, std::string* which = nullptr) {
  for (const char* name : names) {
    if (auto v = env(name)) {
      if (which != nullptr) *which = name;
      return Trimmed(*v);
    }
  }
  return std::nullopt;
}

std::string AuthorityHost(const platform::Env& env) {
  std::string host = env("AZURE_AUTHORITY_HOST").value_or("https://login.microsoftonline.com");
  while (!host.empty() && host.back() == '/') host.pop_back();
  return host;
}

// A tenant is a GUID or a domain name: anything else could rewrite the token endpoint's path.
bool ValidTenant(const std::string& t) {
  if (t.empty() || t.size() > 256) return false;
  for (char c : t) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) return false;
  }
  return true;
}

Expected<AzureCredential> EntraToken(const platform::Env& env, const std::string& what, const std::string& tenant_var,
                                     const std::string& tenant, std::vector<std::pair<std::string, std::string>> fields,
                                     const std::string& source) {
  if (!ValidTenant(tenant)) return Error{ErrorKind::kUsage, tenant_var, {}, fmt::format("{:?} is not an Entra ID tenant", tenant)};
  fields.emplace_back("scope", kAzureStorageScope);
  auto token = ExchangeToken(what, fmt::format("{}/{}/oauth2/v2.0/token", AuthorityHost(env), tenant), FormBody(fields),
                             "application/x-www-form-urlencoded", {}, "access_token");
  if (!token) return token.error();
  return AzureCredential{AzureCredential::Kind::kBearer, *token, source};
}

// Managed identity through IMDS; nullopt when there is none (not on Azure, no identity
// assigned: IMDS answers 400, another cloud's metadata server does not know the path).
std::optional<AzureCredential> ManagedIdentity(const platform::Env& env) {
  std::string base = env("AZURE_POD_IDENTITY_AUTHORITY_HOST").value_or("http://169.254.169.254");
  while (!base.empty() && base.back() == '/') base.pop_back();
  platform::HttpRequest request;
  request.url = base + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + PercentEncode("https://storage.azure.com/");
  if (auto id = env("AZURE_CLIENT_ID")) request.url += "&client_id=" + PercentEncode(*id);
  request.headers = {"Metadata: true"};
  request.connect_timeout = std::chrono::seconds(1);
  request.total_timeout = std::chrono::seconds(10);
  platform::HttpClient client;
  auto r = client.SendForText(request, 1u << 20);
  if (!r || r->status != 200) return std::nullopt;
  auto j = ParseJsonBounded(r->body, 32);
  std::string token = j ? JsonStringOr(*j, {"access_token"}) : std::string();
  if (token.empty()) return std::nullopt;
  return AzureCredential{AzureCredential::Kind::kBearer, token, "managed identity (IMDS " + RedactUri(base) + ")"};
}

}  // namespace

Expected<std::map<std::string, std::string>> AzureConnectionString(const platform::Env& env) {
  std::map<std::string, std::string> fields;
  auto text = env(kConnectionStringVar);
  if (!text) return fields;
  for (size_t at = 0; at <= text->size();) {
    size_t semi = text->find(';', at);
    std::string part = Trimmed(text->substr(at, semi == std::string::npos ? std::string::npos : semi - at));
    at = semi == std::string::npos ? text->size() + 1 : semi + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string::npos || eq == 0) {
      // Never echo the part: it may be a key.
      return Error{ErrorKind::kUsage, kConnectionStringVar, {}, "not a connection string (Name=value;Name=value…)"};
    }
    fields[part.substr(0, eq)] = part.substr(eq + 1);
  }
  if (fields.count("UseDevelopmentStorage") != 0 && fields["UseDevelopmentStorage"] == "true") {
    fields.emplace("AccountName", kAzuriteAccount);
    fields.emplace("AccountKey", kAzuriteKey);
    fields.emplace("BlobEndpoint", std::string("http://127.0.0.1:10000/") + kAzuriteAccount);
  }
  return fields;
}

Expected<AzureCredential> ResolveAzureCredential(const platform::Env& env, const std::string& account, const std::string& uri_sas) {
  using Kind = AzureCredential::Kind;
  if (!uri_sas.empty()) return AzureCredential{Kind::kSas, uri_sas, "shared access signature (in the URI)"};
  auto cs = AzureConnectionString(env);
  if (!cs) return cs.error();
  if (!cs->empty() && (*cs)["AccountName"] == account) {
    if (!(*cs)["AccountKey"].empty()) {
      return AzureCredential{Kind::kSharedKey, (*cs)["AccountKey"], fmt::format("account key ({})", kConnectionStringVar)};
    }
    if (!(*cs)["SharedAccessSignature"].empty()) {
      std::string sas = (*cs)["SharedAccessSignature"];
      if (sas.front() == '?') sas.erase(0, 1);
      return AzureCredential{Kind::kSas, sas, fmt::format("shared access signature ({})", kConnectionStringVar)};
    }
  }
  if (auto sas = env("AZURE_STORAGE_SAS_TOKEN")) {
    std::string s = Trimmed(*sas);
    if (!s.empty() && s.front() == '?') s.erase(0, 1);
    return AzureCredential{Kind::kSas, s, "shared access signature (AZURE_STORAGE_SAS_TOKEN)"};
  }
  std::string which;
  if (auto key = FirstOf(env, {"AZURE_STORAGE_ACCESS_KEY", "AZURE_STORAGE_KEY"}, &which)) {
    return AzureCredential{Kind::kSharedKey, *key, fmt::format("account key ({})", which)};
  }
  std::string tenant_var = "AZURE_TENANT_ID", client_var = "AZURE_CLIENT_ID";
  auto tenant = FirstOf(env, {"AZURE_TENANT_ID", "AZ_TENANT_ID"}, &tenant_var);
  auto client = FirstOf(env, {"AZURE_CLIENT_ID", "AZ_CLIENT_ID"}, &client_var);
  auto secret = FirstOf(env, {"AZURE_CLIENT_SECRET", "AZ_CLIENT_SECRET"});
  if (tenant && client && secret) {
    return EntraToken(env, "service principal token", tenant_var, *tenant,
                      {{"grant_type", "client_credentials"}, {"client_id", *client}, {"client_secret", *secret}},
                      fmt::format("service principal {} ({})", *client, client_var));
  }
  if (auto file = env("AZURE_FEDERATED_TOKEN_FILE"); file && tenant && client) {
    auto assertion = ReadInput(*file, 1 << 20);
    if (!assertion) {
      return Error{ErrorKind::kUsage, *file, {}, "AZURE_FEDERATED_TOKEN_FILE cannot be read: " + assertion.error().message};
    }
    return EntraToken(env, "workload identity token", tenant_var, *tenant,
                      {{"grant_type", "client_credentials"},
                       {"client_id", *client},
                       {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                       {"client_assertion", Trimmed(*assertion)}},
                      fmt::format("workload identity {} (AZURE_FEDERATED_TOKEN_FILE)", *client));
  }
  if (auto mi = ManagedIdentity(env)) return *mi;
  return AzureCredential{Kind::kAnonymous, {},
                         "anonymous: no Azure credentials (SAS, connection string, account key, Entra ID, managed identity)"};
}

}  // namespace aegis::verifier
