// aegis: keeps unsigned or tampered ML models out of Kubernetes model servers.
// Built twice: `aegis` (AEGIS_CLI_FULL unset) runs the fast subcommands and hands the others
// to `aegis-full`, built with every subcommand (cli/full_cli.h).
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/full_cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args = aegis::cli::RewriteHelp(argc, argv);
  std::vector<char*> argp;
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  argc = static_cast<int>(args.size());
  argv = argp.data();
  if (auto unknown = aegis::cli::UnknownCommandError(args)) {
    std::cerr << "aegis: error: " << *unknown << "\n";
    return aegis::cli::kExitUsage;
  }
#ifdef AEGIS_CLI_FULL
  const auto& commands = aegis::cli::AllCommands();
#else
  const auto& commands = aegis::cli::FastCommands();
  if (!aegis::cli::RunsHere(argc, argv, commands)) return aegis::cli::ExecFullCli(argv);
#endif
  CLI::App app{"aegis: policy and tooling that keeps unsigned ML models out of Kubernetes model servers", "aegis"};
  app.set_version_flag("--version", AEGIS_VERSION);
  app.require_subcommand(1);
  app.footer("aegis help COMMAND: a command's flags. Docs: README.md and docs/ (installed in /usr/share/doc/aegis/).");
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
