// The `aegis` subcommands as a table: each entry wires flags into a call into the core.
#pragma once

#include <string>
#include <vector>

#include "cli/exit_codes.h"

namespace CLI {
class App;
}

namespace aegis::cli {

struct Command {
  const char* name;
  const char* help;
  // Declares the subcommand's flags; the callback stores the exit code in `exit_code`.
  void (*setup)(CLI::App& sub, int& exit_code);
};

// lint, render, policy: the subcommands `aegis` runs itself (cli/full_cli.h).
const std::vector<Command>& FastCommands();
// Every subcommand, in help order: what `aegis-full` runs.
const std::vector<Command>& AllCommands();

// cosign's keyless identity flags (--certificate-identity[-regexp],
// --certificate-oidc-issuer[-regexp]), for the commands that write a keyless verifier.
void AddIdentityFlags(CLI::App& sub, std::string& identity, std::string& identity_regexp, std::string& issuer,
                      std::string& issuer_regexp);

void SetupInit(CLI::App& sub, int& exit_code);
void SetupLint(CLI::App& sub, int& exit_code);
void SetupPolicy(CLI::App& sub, int& exit_code);
void SetupRender(CLI::App& sub, int& exit_code);
void SetupSign(CLI::App& sub, int& exit_code);
void SetupVerify(CLI::App& sub, int& exit_code);
void SetupPack(CLI::App& sub, int& exit_code);
void SetupCanary(CLI::App& sub, int& exit_code);
void SetupStatus(CLI::App& sub, int& exit_code);

}  // namespace aegis::cli
