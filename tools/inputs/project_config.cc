#include "inputs/project_config.h"

#include <filesystem>
#include <functional>
#include <string_view>

#include <fmt/format.h>

#include "util/file_io.h"
#include "util/strings.h"
#include "yaml/reader.h"

namespace aegis {
namespace {
namespace fs = std::filesystem;

constexpr std::string_view kApiVersion = "aegis.dev/v1";
constexpr uint64_t kMaxConfigBytes = 1 << 20;

// A YAML double-quoted scalar (JSON's escapes are YAML's).
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(ch));
      continue;
    }
    out += ch;
  }
  return out + "\"";
}

Error At(const std::string& file, const yaml::Node* n, std::string message) {
  return Error{ErrorKind::kUsage, file, n != nullptr ? n->mark() : Mark{}, std::move(message)};
}

// A string value, or an error naming the key.
Expected<std::string> StringOf(const std::string& file, std::string_view key, const yaml::Node* v) {
  auto s = v->AsString();
  if (!v->IsScalar() || !s) return At(file, v, fmt::format("{} must be a string", key));
  return std::string(*s);
}

// Each `key: value` of a mapping, handed to `take`; a value that is not a mapping is an error.
Status EachPair(const std::string& file, std::string_view what, const yaml::Node* m,
                const std::function<Status(const std::string&, const yaml::Node*, const yaml::Node*)>& take) {
  if (!m->IsMapping()) return At(file, m, fmt::format("{} must be a mapping", what));
  for (size_t i = 0; i < m->pair_count(); ++i) {
    if (Status s = take(m->key_at(i)->scalar(), m->key_at(i), m->value_at(i)); !s) return s;
  }
  return Ok{};
}

std::string Absolute(const std::string& config, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(config).parent_path() / path).lexically_normal().string();
}

Status ReadKeyless(const std::string& file, const yaml::Node* m, ProjectConfig::Keyless& k) {
  return EachPair(file, "keyless", m, [&](const std::string& key, const yaml::Node* at, const yaml::Node* v) -> Status {
    std::map<std::string_view, std::string*> fields = {{"certificateIdentity", &k.identity},
                                                       {"certificateIdentityRegexp", &k.identity_regexp},
                                                       {"certificateOidcIssuer", &k.issuer},
                                                       {"certificateOidcIssuerRegexp", &k.issuer_regexp},
                                                       {"trustedRoot", &k.trusted_root},
                                                       {"trustedRootConfigMap", &k.trusted_root_config_map}};
    auto it = fields.find(key);
    if (it == fields.end()) return At(file, at, fmt::format("unknown key keyless.{}", Printable(key)));
    auto s = StringOf(file, "keyless." + key, v);
    if (!s) return s.error();
    *it->second = *s;
    return Ok{};
  });
}

Status ReadNamespaceLabels(const std::string& file, const yaml::Node* m, ProjectConfig& c) {
  return EachPair(file, "namespaceLabels", m, [&](const std::string& ns, const yaml::Node*, const yaml::Node* labels) {
    Labels& out = c.namespace_labels[ns];
    return EachPair(file, "namespaceLabels." + ns, labels, [&](const std::string& key, const yaml::Node*, const yaml::Node* v) -> Status {
      auto s = StringOf(file, "namespaceLabels." + ns + "." + key, v);
      if (!s) return s.error();
      out[key] = *s;
      return Ok{};
    });
  });
}

Status ReadTop(const std::string& file, const yaml::Node* root, ProjectConfig& c) {
  std::map<std::string_view, std::string*> strings = {{"apiVersion", nullptr},           {"kind", nullptr},
                                                      {"policy", &c.policy},             {"namespace", &c.namespace_},
                                                      {"verifierImage", &c.verifier_image}, {"publicKey", &c.public_key}};
  return EachPair(file, "the file", root, [&](const std::string& key, const yaml::Node* at, const yaml::Node* v) -> Status {
    if (key == "keyless") return ReadKeyless(file, v, c.keyless);
    if (key == "namespaceLabels") return ReadNamespaceLabels(file, v, c);
    auto it = strings.find(key);
    if (it == strings.end()) {
      return At(file, at, fmt::format("unknown key {} (known: apiVersion, kind, policy, namespace, namespaceLabels, "
                                      "verifierImage, publicKey, keyless)",
                                      Printable(key)));
    }
    auto s = StringOf(file, key, v);
    if (!s) return s.error();
    if (key == "apiVersion" && *s != kApiVersion) return At(file, v, fmt::format("apiVersion must be {}", kApiVersion));
    if (key == "kind" && *s != "Config") return At(file, v, "kind must be Config");
    if (it->second != nullptr) *it->second = *s;
    return Ok{};
  });
}

}  // namespace

Expected<ProjectConfig> ReadProjectConfig(const std::string& path) {
  auto text = ReadInput(path, kMaxConfigBytes);
  if (!text) return text.error();
  auto docs = yaml::ReadAll(path, *text);
  if (!docs) return docs.error();
  ProjectConfig c;
  c.path = path;
  if (docs->size() != 1 || docs->front().root() == nullptr) return Error{ErrorKind::kUsage, path, {}, "must hold one YAML document"};
  if (Status s = ReadTop(path, docs->front().root(), c); !s) return s.error();
  c.policy = Absolute(path, c.policy);
  c.public_key = Absolute(path, c.public_key);
  c.keyless.trusted_root = Absolute(path, c.keyless.trusted_root);
  if (!c.keyless.identity.empty() && !c.keyless.identity_regexp.empty()) {
    return Error{ErrorKind::kUsage, path, {}, "keyless: give certificateIdentity or certificateIdentityRegexp, not both"};
  }
  return c;
}

Expected<std::optional<ProjectConfig>> FindProjectConfig(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return std::optional<ProjectConfig>();
  for (;;) {
    fs::path candidate = dir / std::string(kProjectConfigName);
    if (fs::is_regular_file(candidate, ec)) {
      auto c = ReadProjectConfig(candidate.string());
      if (!c) return c.error();
      return std::optional<ProjectConfig>(std::move(*c));
    }
    if (!dir.has_relative_path()) return std::optional<ProjectConfig>();
    dir = dir.parent_path();
  }
}

std::string ProjectConfigText(const ProjectConfig& c) {
  auto q = [](const std::string& s) { return Quoted(s); };
  std::string out =
      "# Aegis project settings, written by `aegis init`. lint, render, verify and canary read the\n"
      "# nearest .aegis.yaml above the working directory; a flag overrides it, --no-config ignores it.\n"
      "# Paths are relative to this file. README, \"The project file\".\n";
  out += fmt::format("apiVersion: {}\nkind: Config\n", kApiVersion);
  if (!c.policy.empty()) out += fmt::format("policy: {}           # lint/render/canary --policy\n", q(c.policy));
  if (!c.namespace_.empty()) out += fmt::format("namespace: {}          # for objects without metadata.namespace (kubectl -n)\n", q(c.namespace_));
  if (!c.namespace_labels.empty()) {
    out += "namespaceLabels:                # lint --namespace-labels: what the policy's namespaceSelector sees\n";
    for (const auto& [ns, labels] : c.namespace_labels) {
      out += fmt::format("  {}:\n", q(ns));
      for (const auto& [k, v] : labels) out += fmt::format("    {}: {}\n", q(k), q(v));
    }
  }
  if (!c.verifier_image.empty()) {
    out += fmt::format("verifierImage: {}   # render/canary --image; pin it: REPOSITORY@sha256:DIGEST\n", q(c.verifier_image));
  }
  if (!c.public_key.empty()) out += fmt::format("publicKey: {}        # verify --key\n", q(c.public_key));
  if (c.keyless.set()) {
    out += "keyless:                        # render --keyless, verify: who may sign\n";
    const std::pair<const char*, const std::string*> fields[] = {
        {"certificateIdentity", &c.keyless.identity},       {"certificateIdentityRegexp", &c.keyless.identity_regexp},
        {"certificateOidcIssuer", &c.keyless.issuer},       {"certificateOidcIssuerRegexp", &c.keyless.issuer_regexp},
        {"trustedRoot", &c.keyless.trusted_root},           {"trustedRootConfigMap", &c.keyless.trusted_root_config_map}};
    for (const auto& [key, value] : fields) {
      if (!value->empty()) out += fmt::format("  {}: {}\n", key, q(*value));
    }
  }
  return out;
}

}  // namespace aegis
