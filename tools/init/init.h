// `aegis init`: the adopter's first files — a signing key pair (or an existing public key),
// the ConstraintTemplate and a constraint scoped as chosen, optionally the key's Secret
// manifests — and the commands that put them in a cluster, one per step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inputs/project_config.h"
#include "policy/export.h"
#include "util/expected.h"

namespace aegis::init {

struct InitOptions {
  std::string dir = "aegis";
  std::vector<std::string> namespaces = {"models"};  // the namespaces that serve models
  Scope scope;                                       // the constraint's (export.h); default by namespace label
  std::string public_key;                            // an existing key: no key pair is made
  bool secret_manifests = false;                     // write secret-<namespace>.yaml
  ExportOptions policy;                              // verifier images, digest, secret name, action
  // Keyless (Sigstore): no key pair; the verifier trusts this identity under a trusted root
  // from the ConfigMap policy.trusted_root_config_map (set: identity or identity_regexp).
  ProjectConfig::Keyless keyless;
  bool project_file = true;  // write .aegis.yaml beside the directory (the project's root)
};

struct InitFile {
  std::string name;  // relative to the directory (.aegis.yaml: an absolute path, beside it)
  std::string content;
  bool private_key = false;  // written 0600 and wiped from memory
  InitFile() = default;
  InitFile(std::string n, std::string c, bool p = false) : name(std::move(n)), content(std::move(c)), private_key(p) {}
  InitFile(const InitFile&) = delete;
  InitFile& operator=(const InitFile&) = delete;
  InitFile(InitFile&&) = default;
  InitFile& operator=(InitFile&&) = default;
  ~InitFile();
};

struct InitPlan {
  std::vector<InitFile> files;
  std::string next_steps;  // shell lines with comments
};

// What init would write and print (a key pair is generated here unless public_key is given).
Expected<InitPlan> PlanInit(const InitOptions& o);

// Writes the plan into `dir` (created when absent): all or nothing, never over an existing
// file (every one in the way is named), the private key 0600, everything fsync'd.
Status WriteInit(const InitPlan& plan, const std::string& dir);

}  // namespace aegis::init
