#include "cli/commands.h"

namespace aegis::cli {

const std::vector<Command>& FastCommands() {
  static const std::vector<Command> kCommands = {
      {"lint", "Check manifests against the signed-model policy (as Gatekeeper would)", SetupLint},
      {"render", "Make workloads conform (inject the verifier) or print a canary template", SetupRender},
      {"policy", "Export the Gatekeeper ConstraintTemplate and Constraint, or check hand-edited ones", SetupPolicy},
  };
  return kCommands;
}

}  // namespace aegis::cli
