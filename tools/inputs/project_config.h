// The project's settings file, `.aegis.yaml`: written by `aegis init`, found by walking up
// from the working directory (as .golangci.yml and .pre-commit-config.yaml are), read by
// lint, render, verify and canary. A flag always wins over the file; `--no-config` ignores
// it. README, "The project file".
#pragma once

#include <map>
#include <optional>
#include <string>

#include "policy/match.h"
#include "util/expected.h"

namespace aegis {

inline constexpr std::string_view kProjectConfigName = ".aegis.yaml";

struct ProjectConfig {
  std::string path;                                // the file
  std::string policy;                              // --policy (a path made absolute), "" unset
  std::string namespace_;                          // lint/render -n: where objects without one go
  std::map<std::string, Labels> namespace_labels;  // lint --namespace-labels
  std::string verifier_image;                      // render/canary --image
  std::string public_key;                          // verify --key (absolute)
  struct Keyless {
    std::string identity, identity_regexp, issuer, issuer_regexp;
    std::string trusted_root;             // verify --trusted-root (absolute)
    std::string trusted_root_config_map;  // render --trusted-root-configmap
    bool set() const { return !identity.empty() || !identity_regexp.empty(); }
  } keyless;
};

// The file's text, as `aegis init` writes it (paths relative to the file's directory).
std::string ProjectConfigText(const ProjectConfig& c);

// Reads and checks one file; an unknown key or a wrong type is an error at its line.
Expected<ProjectConfig> ReadProjectConfig(const std::string& path);

// The nearest .aegis.yaml in `start` or a directory above it (nullopt: none).
Expected<std::optional<ProjectConfig>> FindProjectConfig(const std::string& start);

}  // namespace aegis
