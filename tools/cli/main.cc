// aegis: keeps unsigned or tampered ML models out of Kubernetes model servers.
// Built twice: `aegis` (AEGIS_CLI_FULL unset) runs the fast subcommands and hands the others
// to `aegis-full`, built with every subcommand (cli/full_cli.h).
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/full_cli.h"

int main(int argc, char** argv) {
#ifdef AEGIS_CLI_FULL
  const auto& commands = aegis::cli::AllCommands();
#else
  const auto& commands = aegis::cli::FastCommands();
  if (!aegis::cli::RunsHere(argc, argv, commands)) return aegis::cli::ExecFullCli(argv);
#endif
  CLI::App app{"aegis: policy and tooling that keeps unsigned ML models out of Kubernetes model servers", "aegis"};
  app.set_version_flag("--version", AEGIS_VERSION);
  app.require_subcommand(1);
  int exit_code = aegis::cli::kExitClean;
  try {
    for (const auto& c : commands) c.setup(*app.add_subcommand(c.name, c.help), exit_code);
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
