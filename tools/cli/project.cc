#include "cli/project.h"

#include <CLI/CLI.hpp>

namespace aegis::cli {

void AddConfigFlags(CLI::App& sub, ConfigFlags& flags) {
  auto* file = sub.add_option("--config", flags.path,
                              "Project file (default: the nearest .aegis.yaml in this directory or above; flags override it)");
  sub.add_flag("--no-config", flags.none, "Ignore .aegis.yaml")->excludes(file);
}

Expected<std::optional<ProjectConfig>> LoadProjectConfig(const ConfigFlags& flags) {
  if (flags.none) return std::optional<ProjectConfig>();
  if (!flags.path.empty()) {
    auto c = ReadProjectConfig(flags.path);
    if (!c) return c.error();
    return std::optional<ProjectConfig>(std::move(*c));
  }
  return FindProjectConfig(".");
}

}  // namespace aegis::cli
