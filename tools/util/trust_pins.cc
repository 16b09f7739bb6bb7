#include "util/trust_pins.h"

#include <fmt/format.h>

namespace aegis {
namespace {

Error Bad(const std::string& where, std::string_view what) {
  return Error{ErrorKind::kUsage, {}, {}, fmt::format("{}: {}", where, what)};
}

Status Strings(const nlohmann::json& j, const std::string& where, bool fingerprints, std::vector<std::string>& out) {
  if (!j.is_array()) return Bad(where, "must be a list of strings");
  for (size_t i = 0; i < j.size(); ++i) {
    std::string at = fmt::format("{}[{}]", where, i);
    if (!j[i].is_string()) return Bad(at, "must be a string");
    std::string s = j[i].get<std::string>();
    if (fingerprints && !IsSha256Fingerprint(s)) return Bad(at, fmt::format("{} is not sha256: and 64 lower-case hex digits", s));
    out.push_back(std::move(s));
  }
  return Ok{};
}

Status Field(const nlohmann::json& j, const char* key, const std::string& where, std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Ok{};
  if (!it->is_string() || it->get<std::string>().empty()) return Bad(fmt::format("{}.{}", where, key), "must be a non-empty string");
  out = it->get<std::string>();
  return Ok{};
}

Status Identity(const nlohmann::json& j, const std::string& where, KeylessIdentity& id) {
  if (!j.is_object()) return Bad(where, "must be a mapping (issuer or issuerRegExp, subject or subjectRegExp)");
  for (const auto& [k, v] : j.items()) {
    if (k != "issuer" && k != "subject" && k != "issuerRegExp" && k != "subjectRegExp") {
      return Bad(fmt::format("{}.{}", where, k), "unknown field (issuer, subject, issuerRegExp, subjectRegExp)");
    }
  }
  for (auto [key, slot] : {std::pair{"issuer", &id.issuer}, std::pair{"subject", &id.subject},
                           std::pair{"issuerRegExp", &id.issuer_regexp}, std::pair{"subjectRegExp", &id.subject_regexp}}) {
    if (auto st = Field(j, key, where, *slot); !st) return st;
  }
  if (id.issuer.empty() == id.issuer_regexp.empty()) return Bad(where, "needs exactly one of issuer and issuerRegExp");
  if (id.subject.empty() == id.subject_regexp.empty()) return Bad(where, "needs exactly one of subject and subjectRegExp");
  return Ok{};
}

Status Vault(const nlohmann::json& j, const std::string& where, VaultPin& v) {
  if (!j.is_object()) return Bad(where, "must be a mapping (address, key)");
  for (const auto& [k, _] : j.items()) {
    if (k != "address" && k != "key") return Bad(fmt::format("{}.{}", where, k), "unknown field (address, key)");
  }
  if (auto st = Field(j, "address", where, v.address); !st) return st;
  if (auto st = Field(j, "key", where, v.key); !st) return st;
  if (v.address.empty() || v.key.empty()) return Bad(where, "needs both address and key");
  return Ok{};
}

}  // namespace

bool IsSha256Fingerprint(const std::string& s) {
  if (s.size() != 7 + 64 || s.rfind("sha256:", 0) != 0) return false;
  for (size_t i = 7; i < s.size(); ++i) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Expected<TrustPins> ParseTrustPins(const nlohmann::json& j) {
  TrustPins p;
  if (!j.is_object()) return Bad("trust", "must be a mapping");
  for (const auto& [k, v] : j.items()) {
    std::string where = "trust." + k;
    if (v.is_null()) continue;
    Status st = Ok{};
    if (k == "keys") st = Strings(v, where, true, p.keys);
    else if (k == "trustedRoots") st = Strings(v, where, true, p.trusted_roots);
    else if (k == "certificateAuthorities") st = Strings(v, where, true, p.certificate_authorities);
    else if (k == "artifactPrefixes") st = Strings(v, where, false, p.artifact_prefixes);
    else if (k == "allowAnyIdentity") {
      if (!v.is_boolean()) return Bad(where, "must be a boolean");
      p.allow_any_identity = v.get<bool>();
    } else if (k == "keyless" || k == "vault") {
      if (!v.is_array()) return Bad(where, "must be a list");
      for (size_t i = 0; i < v.size() && st; ++i) {
        std::string at = fmt::format("{}[{}]", where, i);
        if (k == "keyless") st = Identity(v[i], at, p.keyless.emplace_back());
        else st = Vault(v[i], at, p.vault.emplace_back());
      }
    } else {
      return Bad(where, "unknown field (keys, keyless, trustedRoots, certificateAuthorities, vault, artifactPrefixes, "
                        "allowAnyIdentity)");
    }
    if (!st) return st.error();
  }
  return p;
}

nlohmann::json TrustPins::ToJson() const {
  // nlohmann::json objects keep their keys sorted: the text is the same for the same pins.
  nlohmann::json j = nlohmann::json::object();
  if (!keys.empty()) j["keys"] = keys;
  if (!keyless.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& id : keyless) {
      nlohmann::json e = nlohmann::json::object();
      if (!id.issuer.empty()) e["issuer"] = id.issuer;
      if (!id.issuer_regexp.empty()) e["issuerRegExp"] = id.issuer_regexp;
      if (!id.subject.empty()) e["subject"] = id.subject;
      if (!id.subject_regexp.empty()) e["subjectRegExp"] = id.subject_regexp;
      list.push_back(std::move(e));
    }
    j["keyless"] = std::move(list);
  }
  if (!trusted_roots.empty()) j["trustedRoots"] = trusted_roots;
  if (!certificate_authorities.empty()) j["certificateAuthorities"] = certificate_authorities;
  if (!vault.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : vault) list.push_back({{"address", v.address}, {"key", v.key}});
    j["vault"] = std::move(list);
  }
  if (!artifact_prefixes.empty()) j["artifactPrefixes"] = artifact_prefixes;
  if (allow_any_identity) j["allowAnyIdentity"] = true;
  return j;
}

}  // namespace aegis
