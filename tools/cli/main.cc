// aegis: keeps unsigned or tampered ML models out of Kubernetes model servers.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"aegis: policy and tooling that keeps unsigned ML models out of Kubernetes model servers", "aegis"};
  app.set_version_flag("--version", AEGIS_VERSION);
  app.require_subcommand(1);
  int exit_code = aegis::cli::kExitClean;
  try {
    for (const auto& c : aegis::cli::Commands()) c.setup(*app.add_subcommand(c.name, c.help), exit_code);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help, version or the usage error
    return code == 0 ? aegis::cli::kExitClean : aegis::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "aegis: error: " << e.what() << "\n";
    return aegis::cli::kExitUsage;
  }
  return exit_code;
}
