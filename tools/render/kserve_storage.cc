#include "render/kserve_storage.h"

#include "yaml/reader.h"

namespace aegis::render {
namespace {

// KServe's shipped inferenceservice-config names the Secret's keys so (credentials.s3).
constexpr const char* kAccessKeyId = "AWS_ACCESS_KEY_ID";
constexpr const char* kSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
constexpr const char* kAnnotation = "serving.kserve.io/";

std::map<std::string, std::string> StringMap(const yaml::Node* m) {
  std::map<std::string, std::string> out;
  if (m == nullptr || !m->IsMapping()) return out;
  for (size_t i = 0; i < m->pair_count(); ++i) {
    if (auto key = m->key_at(i)->AsString(); key && m->value_at(i) != nullptr) out[std::string(*key)] = m->value_at(i)->scalar();
  }
  return out;
}

}  // namespace

void KServeStorage::Add(const ObjectRef& obj) {
  if (!obj.group.empty() || obj.name.empty()) return;
  const std::string id = obj.namespace_ + "/" + obj.name;
  if (obj.kind == "ServiceAccount") {
    std::vector<std::string> names;
    if (const yaml::Node* list = obj.root->Get("secrets"); list != nullptr && list->IsSequence()) {
      for (const yaml::Node* s : list->items()) {
        if (const yaml::Node* n = s->IsMapping() ? s->Get("name") : nullptr; n != nullptr && n->AsString()) {
          names.emplace_back(*n->AsString());
        }
      }
    }
    accounts_[id] = std::move(names);
  } else if (obj.kind == "Secret") {
    Secret s;
    s.annotations = StringMap(obj.root->Path({"metadata", "annotations"}));
    for (const char* field : {"data", "stringData"}) {
      for (const auto& [k, v] : StringMap(obj.root->Get(field))) s.keys.insert(k);
    }
    secrets_[id] = std::move(s);
  }
}

std::optional<StorageEnv> KServeStorage::For(const std::string& ns, std::string service_account) const {
  if (service_account.empty()) service_account = "default";
  auto account = accounts_.find(ns + "/" + service_account);
  if (account == accounts_.end()) return std::nullopt;
  StorageEnv out;
  out.service_account = service_account;
  for (const std::string& name : account->second) {
    auto it = secrets_.find(ns + "/" + name);
    if (it == secrets_.end() || it->second.keys.count(kSecretAccessKey) == 0) continue;  // not an S3 secret
    const auto& a = it->second.annotations;
    auto ann = [&](const char* key) -> const std::string* {
      auto f = a.find(std::string(kAnnotation) + key);
      return f == a.end() ? nullptr : &f->second;
    };
    out.secrets.push_back(name);
    out.env.push_back({kAccessKeyId, "", name, kAccessKeyId});
    out.env.push_back({kSecretAccessKey, "", name, kSecretAccessKey});
    if (const std::string* endpoint = ann("s3-endpoint")) {
      const std::string* https = ann("s3-usehttps");
      if (https != nullptr) out.env.push_back({"S3_USE_HTTPS", *https, "", ""});
      out.env.push_back({"S3_ENDPOINT", *endpoint, "", ""});
      out.env.push_back({"AWS_ENDPOINT_URL", (https != nullptr && *https == "0" ? "http://" : "https://") + *endpoint, "", ""});
    }
    for (const auto& [annotation, env] : std::vector<std::pair<const char*, const char*>>{
             {"s3-verifyssl", "S3_VERIFY_SSL"},
             {"s3-useanoncredential", "awsAnonymousCredential"},
             {"s3-region", "AWS_DEFAULT_REGION"},
             {"s3-usevirtualbucket", "S3_USER_VIRTUAL_BUCKET"},
             {"s3-cabundle", "AWS_CA_BUNDLE"}}) {
      if (const std::string* v = ann(annotation)) out.env.push_back({env, *v, "", ""});
    }
  }
  if (out.secrets.empty()) return std::nullopt;
  return out;
}

KServeStorage CollectKServeStorage(const std::vector<std::pair<std::string, std::string>>& inputs) {
  KServeStorage out;
  for (const auto& [file, text] : inputs) {
    // Most inputs hold neither kind: not parsed twice for nothing.
    if (text.find("ServiceAccount") == std::string::npos && text.find("Secret") == std::string::npos) continue;
    auto docs = yaml::ReadAll(file, text);
    if (!docs) continue;
    for (const auto& doc : *docs) {
      for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) out.Add(obj);
    }
  }
  return out;
}

}  // namespace aegis::render
