// `aegis init`: a key pair (or an existing public key), the Gatekeeper objects scoped as the
// user chooses, optionally the key's Secret manifests, and the commands that apply them.
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "init/init.h"
#include "util/strings.h"

namespace aegis::cli {
namespace {

struct InitFlags {
  init::InitOptions o;
  std::string scope = "namespace-label";
  std::string label = "aegis.dev/model-serving=true";
  std::vector<std::string> verifier_images;
  bool require_digest = false;
  std::string enforcement = "dryrun";
  std::string secret_name = "cosign-public-key";
  bool keyless = false;
};

int RunInit(InitFlags f) {
  auto fail = [](const Error& e) {
    std::cerr << "aegis init: error: " << Printable(e.Describe()) << "\n";
    return kExitUsage;
  };
  f.o.scope.kind = f.scope == "workload-label" ? Scope::Kind::kWorkloadLabel
                   : f.scope == "namespaces"   ? Scope::Kind::kNamespaces
                                               : Scope::Kind::kNamespaceLabel;
  if (auto bad = SetScopeLabel(f.o.scope, f.label)) return fail(Error{ErrorKind::kUsage, {}, {}, "--label: " + *bad});
  if (!f.verifier_images.empty()) f.o.policy.verifier_images = f.verifier_images;
  f.o.policy.require_digest = f.require_digest;
  f.o.policy.secret_name = f.secret_name;
  f.o.policy.action = f.enforcement == "deny"   ? EnforcementAction::kDeny
                      : f.enforcement == "warn" ? EnforcementAction::kWarn
                                                : EnforcementAction::kDryrun;
  if (f.keyless != f.o.keyless.set()) {
    return fail(Error{ErrorKind::kUsage, {}, {},
                      f.keyless ? "--keyless needs --certificate-identity or --certificate-identity-regexp"
                                : "--certificate-identity and the other keyless flags go with --keyless"});
  }
  if (!f.o.keyless.trusted_root.empty()) {
    if (!f.keyless) return fail(Error{ErrorKind::kUsage, {}, {}, "--trusted-root goes with --keyless"});
    f.o.keyless.trusted_root = std::filesystem::absolute(f.o.keyless.trusted_root).string();
  }
  auto plan = init::PlanInit(f.o);
  if (!plan) return fail(plan.error());
  if (auto w = init::WriteInit(*plan, f.o.dir); !w) return fail(w.error());
  std::string names;
  for (const auto& file : plan->files) {
    std::string path = file.name.starts_with("/")
                           ? std::filesystem::path(file.name).lexically_relative(std::filesystem::current_path()).string()
                           : f.o.dir + "/" + file.name;
    names += fmt::format("  {}{}\n", Printable(path),
                         file.private_key ? "  (the private key, mode 0600: keep it out of git, or sign with Vault)" : "");
  }
  std::cout << "aegis init: wrote\n" << names << "\nNext, one command per step:\n" << plan->next_steps;
  return kExitClean;
}

}  // namespace

void SetupInit(CLI::App& sub, int& exit_code) {
  auto f = std::make_shared<InitFlags>();
  sub.add_option("dir", f->o.dir, "Directory to write into (created; existing files are never overwritten)")
      ->capture_default_str();
  sub.add_option("--namespaces", f->o.namespaces, "The namespaces that serve models")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->capture_default_str();
  sub.add_option("--scope", f->scope,
                 "What the constraint selects besides KServe's objects: namespace-label (namespaces carrying --label), "
                 "workload-label (workloads carrying --label), namespaces (every kind, only in --namespaces)")
      ->check(CLI::IsMember({"namespace-label", "workload-label", "namespaces"}))
      ->capture_default_str();
  sub.add_option("--label", f->label, "KEY[=VALUE] for the label scopes")->capture_default_str();
  sub.add_option("--public-key", f->o.public_key,
                 "Use this public key (e.g. cosign generate-key-pair's cosign.pub) instead of making a key pair");
  sub.add_flag("--secret-manifests", f->o.secret_manifests,
               "Also write secret-NAMESPACE.yaml, the key's Secret for each namespace (else kubectl create secret lines)");
  sub.add_option("--secret-name", f->secret_name, "Secret holding the public key")->capture_default_str();
  sub.add_option("--verifier-image", f->verifier_images,
                 "An image the verifier may run: a repository or prefix* (repeatable; default: " +
                     std::string(kShippedVerifierImage) + ")")
      ->allow_extra_args(false);
  sub.add_flag("--require-digest", f->require_digest, "The verifier image must be pinned by @sha256 digest");
  sub.add_option("--enforcement", f->enforcement, "deny, dryrun (audit first) or warn")
      ->check(CLI::IsMember({"deny", "dryrun", "warn"}))
      ->capture_default_str();
  sub.add_flag("--keyless", f->keyless,
               "No key pair: the verifier trusts a Sigstore identity (--certificate-identity[-regexp] and "
               "--certificate-oidc-issuer[-regexp]) under the trusted root in ConfigMap --trusted-root-configmap");
  AddIdentityFlags(sub, f->o.keyless.identity, f->o.keyless.identity_regexp, f->o.keyless.issuer, f->o.keyless.issuer_regexp);
  sub.add_option("--trusted-root-configmap", f->o.policy.trusted_root_config_map,
                 "--keyless: the ConfigMap holding trusted_root.json")
      ->capture_default_str();
  sub.add_option("--trusted-root", f->o.keyless.trusted_root,
                 "--keyless: the trusted_root.json the ConfigMap will hold, pinned by its SHA-256 (default: the roots "
                 "the verifier image ships)")
      ->type_name("FILE");
  sub.add_flag("--no-config{false}", f->o.project_file,
               "Do not write .aegis.yaml (the project file lint, render, verify and canary read)");
  sub.footer(
      "Writes DIR/ and, beside it, .aegis.yaml (the project file: policy, namespace labels, verifier image, trust).\n"
      "Exit codes: 0 written; 2 usage error, or a file in the way (nothing written).\n"
      "README, \"Quick start\" and \"The project file\".");
  sub.callback([f, &exit_code] { exit_code = RunInit(*f); });
}

}  // namespace aegis::cli
