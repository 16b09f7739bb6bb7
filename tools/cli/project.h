// The project file (.aegis.yaml, inputs/project_config.h) as the commands read it: found by
// walking up from the working directory, or named with --config; --no-config ignores it.
#pragma once

#include <optional>
#include <string>

#include "inputs/project_config.h"
#include "util/expected.h"

namespace CLI {
class App;
}

namespace aegis::cli {

struct ConfigFlags {
  std::string path;  // --config
  bool none = false;  // --no-config
};

void AddConfigFlags(CLI::App& sub, ConfigFlags& flags);

// The settings in force: nullopt with --no-config or when no file is found.
Expected<std::optional<ProjectConfig>> LoadProjectConfig(const ConfigFlags& flags);

}  // namespace aegis::cli
