#include "cli/commands.h"

namespace aegis::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"init", "Start here: a signing key pair, the Gatekeeper policy scoped to your model namespaces, the commands to apply them", SetupInit},
      {"lint", "Check manifests against the signed-model policy (as Gatekeeper would)", SetupLint},
      {"render", "Make workloads conform (inject the verifier) or print a canary template", SetupRender},
      {"policy", "Export the Gatekeeper ConstraintTemplate and Constraint, or check hand-edited ones", SetupPolicy},
      {"sign", "Sign an artifact (sigstore bundle) or a model directory (OpenSSF model signing)", SetupSign},
      {"verify", "Verify an artifact or model directory exactly as the verify-and-fetch initContainer would", SetupVerify},
      {"pack", "Pack a model directory into a deterministic tar.gz", SetupPack},
      {"canary", "Check the canary acceptance criteria against a live cluster", SetupCanary},
  };
  return kCommands;
}

}  // namespace aegis::cli
