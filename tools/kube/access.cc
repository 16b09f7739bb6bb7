#include "kube/access.h"

#include <filesystem>
#include <map>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/file_io.h"
#include "util/strings.h"
#include "util/base64.h"
#include "yaml/reader.h"
#include "yaml/to_json.h"

namespace aegis::kube {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

Error Bad(const std::string& file, const std::string& msg) { return Error{ErrorKind::kUsage, file, {}, msg}; }

struct Named {
  json value;
  std::string file;  // for relative paths
};

// kubeconfig files merged: the first definition of a name wins (kubectl's rule).
struct Merged {
  std::map<std::string, Named> clusters, users, contexts;
  std::string current_context;
  std::string first_file;
};

Status AddFile(const std::string& path, Merged& m) {
  auto text = ReadInput(path);
  if (!text) return Bad(path, "cannot read the kubeconfig");
  auto docs = yaml::ReadAll(path, *text);
  if (!docs) return docs.error();
  if (docs->empty() || docs->front().root() == nullptr) return Ok{};
  json j = yaml::ToJson(docs->front().root());
  if (!j.is_object()) return Bad(path, "a kubeconfig is a mapping");
  if (m.first_file.empty()) m.first_file = path;
  if (m.current_context.empty() && j.value("current-context", json()).is_string()) m.current_context = j["current-context"];
  for (auto [section, field, target] : {std::tuple{"clusters", "cluster", &m.clusters}, std::tuple{"users", "user", &m.users},
                                        std::tuple{"contexts", "context", &m.contexts}}) {
    if (!j.contains(section)) continue;
    if (!j[section].is_array()) return Bad(path, fmt::format("{} must be a list", section));
    for (const json& e : j[section]) {
      if (!e.is_object() || !e.value("name", json()).is_string()) return Bad(path, fmt::format("an entry of {} has no name", section));
      target->emplace(e["name"].get<std::string>(), Named{e.value(field, json::object()), path});
    }
  }
  return Ok{};
}

std::string Str(const json& j, const char* key) {
  return j.is_object() && j.value(key, json()).is_string() ? j[key].get<std::string>() : std::string();
}

std::string Resolve(const std::string& path, const std::string& relative_to) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(relative_to).parent_path() / path).string();
}

// `*-data` (base64 PEM) or a file.
Expected<std::string> Material(const json& j, const char* data_key, const char* file_key, const std::string& file, const char* what) {
  if (std::string data = Str(j, data_key); !data.empty()) {
    auto pem = Base64Decode(data);
    if (!pem) return Bad(file, fmt::format("{} is not base64", data_key));
    return *pem;
  }
  if (std::string f = Str(j, file_key); !f.empty()) {
    auto pem = ReadInput(Resolve(f, file));
    if (!pem) return Bad(file, fmt::format("cannot read the {} file {}", what, Resolve(f, file)));
    return *pem;
  }
  return std::string();
}

Expected<ClusterAccess> InCluster(const AccessOptions& o, const platform::Env& env) {
  auto host = env("KUBERNETES_SERVICE_HOST"), port = env("KUBERNETES_SERVICE_PORT");
  std::string token_file = o.service_account_dir + "/token";
  if (!host || !port || !fs::exists(token_file)) {
    return Bad("", "no cluster configured: no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and not running in a pod");
  }
  ClusterAccess a;
  std::string h = *host;
  if (h.find(':') != std::string::npos) h = "[" + h + "]";  // IPv6
  a.server = fmt::format("https://{}:{}", h, *port);
  a.token_file = token_file;
  if (auto ca = ReadInput(o.service_account_dir + "/ca.crt")) a.ca_pem = *ca;
  if (auto ns = ReadInput(o.service_account_dir + "/namespace")) a.namespace_ = Trim(*ns);
  a.source = "in-cluster service account";
  return a;
}

}  // namespace

Expected<ClusterAccess> ResolveAccess(const AccessOptions& o, const platform::Env& env) {
  std::vector<std::string> files;
  if (!o.kubeconfig.empty()) {
    files.push_back(o.kubeconfig);
  } else if (auto kc = env("KUBECONFIG"); kc && !kc->empty()) {
    for (size_t start = 0; start <= kc->size();) {
      size_t colon = kc->find(':', start);
      if (colon == std::string::npos) colon = kc->size();
      std::string f = kc->substr(start, colon - start);
      if (!f.empty() && fs::exists(f)) files.push_back(f);
      start = colon + 1;
    }
  } else if (auto home = env("HOME"); home && fs::exists(*home + "/.kube/config")) {
    files.push_back(*home + "/.kube/config");
  }
  if (files.empty()) return InCluster(o, env);
  Merged m;
  for (const auto& f : files) {
    if (Status s = AddFile(f, m); !s) return s.error();
  }
  std::string context = o.context.empty() ? m.current_context : o.context;
  if (context.empty()) return Bad(m.first_file, "no current-context (use --context)");
  auto ctx = m.contexts.find(context);
  if (ctx == m.contexts.end()) return Bad(m.first_file, fmt::format("context {:?} not found", context));
  std::string cluster_name = Str(ctx->second.value, "cluster"), user_name = Str(ctx->second.value, "user");
  auto cluster = m.clusters.find(cluster_name);
  if (cluster == m.clusters.end()) return Bad(ctx->second.file, fmt::format("context {:?} names cluster {:?}, which is not defined", context, cluster_name));
  ClusterAccess a;
  a.source = fmt::format("kubeconfig {}, context {}", ctx->second.file, context);
  a.namespace_ = Str(ctx->second.value, "namespace");
  const json& c = cluster->second.value;
  a.server = Str(c, "server");
  if (a.server.empty()) return Bad(cluster->second.file, fmt::format("cluster {:?} has no server", cluster_name));
  auto ca = Material(c, "certificate-authority-data", "certificate-authority", cluster->second.file, "certificate-authority");
  if (!ca) return ca.error();
  a.ca_pem = *ca;
  if (auto it = c.find("insecure-skip-tls-verify"); it != c.end() && it->is_boolean()) a.insecure = it->get<bool>();
  auto user = m.users.find(user_name);
  if (user != m.users.end()) {
    const json& u = user->second.value;
    const std::string& uf = user->second.file;
    a.token = Str(u, "token");
    a.token_file = Resolve(Str(u, "tokenFile"), uf);
    auto cert = Material(u, "client-certificate-data", "client-certificate", uf, "client-certificate");
    if (!cert) return cert.error();
    auto key = Material(u, "client-key-data", "client-key", uf, "client-key");
    if (!key) return key.error();
    a.client_cert_pem = *cert;
    a.client_key_pem = *key;
    if (a.client_cert_pem.empty() != a.client_key_pem.empty()) return Bad(uf, fmt::format("user {:?} has a client certificate without its key (or the reverse)", user_name));
    if (u.contains("exec") && u["exec"].is_object()) {
      const json& e = u["exec"];
      ExecPlugin p;
      p.api_version = Str(e, "apiVersion");
      p.command = Str(e, "command");
      if (p.command.empty()) return Bad(uf, fmt::format("user {:?}: exec has no command", user_name));
      if (p.command.find('/') != std::string::npos) p.command = Resolve(p.command, uf);
      if (e.contains("args") && e["args"].is_array()) {
        for (const auto& arg : e["args"]) {
          if (arg.is_string()) p.args.push_back(arg);
        }
      }
      if (e.contains("env") && e["env"].is_array()) {
        for (const auto& v : e["env"]) p.env.emplace_back(Str(v, "name"), Str(v, "value"));
      }
      a.exec = p;
    }
  } else if (!user_name.empty()) {
    return Bad(ctx->second.file, fmt::format("context {:?} names user {:?}, which is not defined", context, user_name));
  }
  return a;
}

}  // namespace aegis::kube
