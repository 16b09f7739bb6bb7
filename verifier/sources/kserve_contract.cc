#include "verifier/sources/kserve_contract.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "util/file_io.h"

namespace aegis::verifier {
namespace {

using nlohmann::json;

// kserve_storage.py, Storage._update_with_storage_spec: the s3 keys and the variables they set.
constexpr std::array<std::pair<const char*, const char*>, 7> kS3Keys = {{
    {"AWS_ENDPOINT_URL", "endpoint_url"},
    {"AWS_ACCESS_KEY_ID", "access_key_id"},
    {"AWS_SECRET_ACCESS_KEY", "secret_access_key"},
    {"AWS_DEFAULT_REGION", "region"},
    {"AWS_CA_BUNDLE", "ca_bundle"},
    {"S3_VERIFY_SSL", "verify_ssl"},
    {"awsAnonymousCredential", "anonymous"},
}};

Expected<json> ParseObject(const Env& env, const char* name) {
  auto text = env(name);
  if (!text) return json::object();
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Error{ErrorKind::kUsage, {}, {}, fmt::format("the variable {} is not a JSON object", name)};
  }
  return j;
}

std::string ValueText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

std::string HostOf(const std::string& uri) {
  size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return {};
  std::string authority = uri.substr(scheme + 3, uri.find_first_of("/?#", scheme + 3) - (scheme + 3));
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (authority.starts_with("[")) return authority.substr(1, authority.find(']') - 1);  // IPv6
  authority = authority.substr(0, authority.find(':'));
  std::transform(authority.begin(), authority.end(), authority.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return authority;
}

}  // namespace

Expected<Env> WithStorageConfig(Env base) {
  auto config = ParseObject(base, "STORAGE_CONFIG");
  if (!config) return config.error();
  auto overrides = ParseObject(base, "STORAGE_OVERRIDE_CONFIG");
  if (!overrides) return overrides.error();
  for (auto& [k, v] : overrides->items()) (*config)[k] = v;
  if (config->value("type", json()) != "s3") return base;
  auto answers = std::make_shared<std::map<std::string, std::string>>();
  for (const auto& [variable, key] : kS3Keys) {
    if (config->contains(key)) (*answers)[variable] = ValueText((*config)[key]);
  }
  return Env([base = std::move(base), answers](const std::string& name) -> std::optional<std::string> {
    if (auto it = answers->find(name); it != answers->end()) {
      if (it->second.empty()) return std::nullopt;
      return it->second;
    }
    return base(name);
  });
}

std::vector<std::string> StorageConfigSecrets(const Env& env) {
  std::vector<std::string> secrets;
  for (const char* name : {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
    if (auto v = env(name)) secrets.push_back(*v);
  }
  return secrets;
}

Expected<std::string> GlobalCaBundle(const Env& env) {
  if (!env("CA_BUNDLE_CONFIGMAP_NAME")) return std::string();
  std::string dir = env("CA_BUNDLE_VOLUME_MOUNT_POINT").value_or("/etc/ssl/custom-certs");
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::string path = dir + "/cabundle.crt";
  auto pem = ReadInput(path, 16 << 20);
  if (!pem) {
    return Error{ErrorKind::kUsage, path, {},
                 fmt::format("KServe's CA bundle (ConfigMap {}) is not readable here: {}", *env("CA_BUNDLE_CONFIGMAP_NAME"),
                             pem.error().message)};
  }
  if (pem->find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Error{ErrorKind::kUsage, path, {}, "KServe's CA bundle holds no PEM certificate"};
  }
  return *pem;
}

Expected<std::vector<std::string>> HostHeaders(const std::string& uri, const Env& env) {
  std::string host = HostOf(uri);
  if (host.empty()) return std::vector<std::string>{};
  std::string name = host + "-headers";
  auto object = ParseObject(env, name.c_str());
  if (!object) return object.error();
  std::vector<std::string> headers;
  for (auto& [k, v] : object->items()) {
    if (!v.is_string()) return Error{ErrorKind::kUsage, {}, {}, fmt::format("{}: the value of {:?} is not a string", name, k)};
    headers.push_back(k + ": " + v.get<std::string>());
  }
  return headers;
}

}  // namespace aegis::verifier
