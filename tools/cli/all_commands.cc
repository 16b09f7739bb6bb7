#include "cli/commands.h"

namespace aegis::cli {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> kCommands = [] {
    std::vector<Command> all = {
        {"init", "Start here: a signing key pair, the Gatekeeper policy scoped to your model namespaces, the commands to apply them", SetupInit}};
    all.insert(all.end(), FastCommands().begin(), FastCommands().end());
    all.insert(
        all.end(),
        {
            {"sign", "Sign an artifact (sigstore bundle) or a model directory (OpenSSF model signing)", SetupSign},
            {"verify", "Verify an artifact or model directory exactly as the verify-and-fetch initContainer would",
             SetupVerify},
            {"pack", "Pack a model directory into a deterministic tar.gz", SetupPack},
            {"canary", "Check the canary acceptance criteria against a live cluster", SetupCanary},
            {"status",
             "List the model-serving pods of a live cluster: the model, its digest and signer, or why its verifier "
             "failed",
             SetupStatus},
        });
    return all;
  }();
  return kCommands;
}

}  // namespace aegis::cli
