#include "cli/commands.h"

#include <CLI/CLI.hpp>

namespace aegis::cli {

void AddIdentityFlags(CLI::App& sub, std::string& identity, std::string& identity_regexp, std::string& issuer,
                      std::string& issuer_regexp) {
  sub.add_option("--certificate-identity", identity, "--keyless: the signer's identity (SAN)");
  sub.add_option("--certificate-identity-regexp", identity_regexp, "--keyless: RE2 pattern for the identity");
  sub.add_option("--certificate-oidc-issuer", issuer, "--keyless: the OIDC issuer");
  sub.add_option("--certificate-oidc-issuer-regexp", issuer_regexp, "--keyless: RE2 pattern for the issuer");
}

const std::vector<Command>& FastCommands() {
  static const std::vector<Command> kCommands = {
      {"lint", "Check manifests against the signed-model policy (as Gatekeeper would)", SetupLint},
      {"render", "Make workloads conform (inject the verifier) or print a canary template", SetupRender},
      {"policy", "Export the Gatekeeper ConstraintTemplate and Constraint, or check hand-edited ones", SetupPolicy},
  };
  return kCommands;
}

}  // namespace aegis::cli
