#include "cli/commands.h"

namespace aegis::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"lint", "Check manifests against the signed-model policy (as Gatekeeper would)", SetupLint},
  };
  return kCommands;
}

}  // namespace aegis::cli
