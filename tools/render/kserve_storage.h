// KServe's S3 settings for a service account, as its credential builder gives them to the
// storage-initializer (pkg/credentials: service_account_credentials.go, s3/s3_secret.go,
// s3/utils.go), computed from the ServiceAccount and Secret manifests in render's input.
// When render moves a component's model to the verifier, these are what the verifier needs
// to reach the same bucket: render gives it the same environment.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "manifest/object.h"

namespace aegis::render {

// One container env entry: a literal `value`, or a secretKeyRef (`secret`, `key`).
struct EnvVar {
  std::string name;
  std::string value;
  std::string secret;
  std::string key;
};

struct StorageEnv {
  std::string service_account;
  std::vector<std::string> secrets;  // the S3 secrets it came from
  std::vector<EnvVar> env;
};

class KServeStorage {
 public:
  void Add(const ObjectRef& obj);  // ServiceAccounts and Secrets; anything else is ignored
  // For the account (empty: "default", as KServe) in `ns`; nullopt when the input does not
  // hold that account or none of its secrets is an S3 secret found in the input.
  std::optional<StorageEnv> For(const std::string& ns, std::string service_account) const;
  bool empty() const { return accounts_.empty(); }

 private:
  struct Secret {
    std::map<std::string, std::string> annotations;
    std::set<std::string> keys;  // data and stringData
  };
  std::map<std::string, std::vector<std::string>> accounts_;  // "ns/name" → secret names, in order
  std::map<std::string, Secret> secrets_;                     // "ns/name"
};

// Every ServiceAccount and Secret in the inputs (file, text); unparsable inputs are skipped
// here (render reports them).
KServeStorage CollectKServeStorage(const std::vector<std::pair<std::string, std::string>>& inputs);

}  // namespace aegis::render
