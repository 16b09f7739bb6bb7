// `aegis policy export|check`: generate the Gatekeeper objects, validate hand-edited ones.
#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "inputs/policy_files.h"
#include "cli/commands.h"
#include "cli/trust_flags.h"
#include "policy/export.h"
#include "policy/policy_check.h"
#include "report/report.h"
#include "util/strings.h"

namespace aegis::cli {
namespace {

struct ExportFlags {
  std::vector<std::string> namespaces;
  std::string namespace_label;
  std::string workload_label;
  bool all_namespaces = false;
  std::string pattern = "verify";
  std::string secret_name = "cosign-public-key";
  bool require_mount = true;
  bool allow_vault = false;
  bool allow_keyless = false;
  std::string trusted_root_config_map = "sigstore-trusted-root";
  std::vector<std::string> verifier_images;
  bool any_verifier_image = false;
  bool require_digest = false;
  bool require_verified_model = true;
  bool require_model_mount = true;
  bool kserve_native = false;
  std::vector<std::string> verified_prefixes;
  std::string storage_container_name = kStorageContainerName;
  std::string enforcement = "dryrun";  // audit first, as aegis init
  std::string only;  // "", "template", "constraint"
  TrustFlags trust;
  bool lock_verifier = true;
  bool seal_model_volume = true;
};

int RunExport(const ExportFlags& f) {
  if (auto re = CompilePattern(f.pattern); !re) {
    std::cerr << "aegis policy export: error: " << Printable(re.error().message) << "\n";
    return kExitUsage;
  }
  ExportOptions o;
  auto pins = PinsFrom(f.trust);
  if (!pins) {
    std::cerr << "aegis policy export: error: " << Printable(pins.error().message) << "\n";
    return kExitUsage;
  }
  o.trust = *pins;
  o.lock_verifier = f.lock_verifier;
  o.seal_model_volume = f.seal_model_volume;
  if (!f.namespaces.empty()) {
    o.scope.kind = Scope::Kind::kNamespaces;
    o.scope.namespaces = f.namespaces;
  } else if (f.all_namespaces) {
    o.scope.kind = Scope::Kind::kEverywhere;
  } else if (!f.workload_label.empty() || !f.namespace_label.empty()) {
    bool workload = !f.workload_label.empty();
    o.scope.kind = workload ? Scope::Kind::kWorkloadLabel : Scope::Kind::kNamespaceLabel;
    if (auto bad = SetScopeLabel(o.scope, workload ? f.workload_label : f.namespace_label)) {
      std::cerr << "aegis policy export: error: " << (workload ? "--workload-label: " : "--namespace-label: ")
                << Printable(*bad) << "\n";
      return kExitUsage;
    }
  }
  o.pattern = f.pattern;
  o.secret_name = f.secret_name;
  o.require_mount = f.require_mount;
  o.allow_vault = f.allow_vault;
  o.allow_keyless = f.allow_keyless;
  o.trusted_root_config_map = f.trusted_root_config_map;
  if (f.any_verifier_image) {
    o.verifier_images.reset();
  } else if (!f.verifier_images.empty()) {
    o.verifier_images = f.verifier_images;
  }
  o.require_digest = f.require_digest;
  o.require_verified_model = f.require_verified_model;
  o.require_model_mount = f.require_model_mount;
  o.verified_storage_uri_prefixes = f.verified_prefixes;
  if (f.kserve_native) o = KServeNative(std::move(o));
  if (f.kserve_native) o.storage_container_name = f.storage_container_name;
  if (f.kserve_native && !o.verifier_images) {
    std::cerr << "aegis policy export: error: --kserve-native needs verifier images (it accepts the injected "
                 "storage-initializer by its image); drop --any-verifier-image\n";
    return kExitUsage;
  }
  o.action = f.enforcement == "dryrun" ? EnforcementAction::kDryrun
             : f.enforcement == "warn" ? EnforcementAction::kWarn
                                       : EnforcementAction::kDeny;
  std::string out;
  if (f.only != "constraint") out += TemplateYaml();
  if (f.only.empty()) out += "---\n";
  if (f.only != "template") out += ConstraintYaml(o);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitClean;
}

int RunCheck(const std::vector<std::string>& paths) {
  PolicyCheckResult r = CheckPolicyFiles(paths);
  for (const Diagnostic& d : r.diagnostics) {
    std::string where = d.where.Location();
    std::cout << (where.empty() ? "aegis policy check" : where) << ": " << ToString(d.level) << ": " << d.where.message
              << "\n";
  }
  std::cout << fmt::format("aegis policy check: {} error{} in {} file{} ({} template{}, {} constraint{})\n", r.Errors(),
                           r.Errors() == 1 ? "" : "s", r.files, r.files == 1 ? "" : "s", r.templates,
                           r.templates == 1 ? "" : "s", r.constraints, r.constraints == 1 ? "" : "s");
  if (r.InputInvalid()) return kExitUsage;
  return r.Errors() > 0 ? kExitFindings : kExitClean;
}

}  // namespace

void SetupPolicy(CLI::App& sub, int& exit_code) {
  sub.require_subcommand(1);
  auto flags = std::make_shared<ExportFlags>();
  CLI::App* exp = sub.add_subcommand("export", "Print the ConstraintTemplate and a Constraint, ready for kubectl apply");
  CLI::Option* ns =
      exp->add_option("--namespaces", flags->namespaces,
                      "Scope: every kind, only in these namespaces (spec.match.namespaces)")
          ->delimiter(',')
          ->allow_extra_args(false);
  CLI::Option* ns_label =
      exp->add_option("--namespace-label", flags->namespace_label,
                      "Scope (the default, aegis.dev/model-serving=true): KServe objects everywhere, other workloads "
                      "in namespaces with this KEY[=VALUE] label (namespaceSelector)")
          ->excludes(ns);
  CLI::Option* wl_label =
      exp->add_option("--workload-label", flags->workload_label,
                      "Scope: KServe objects everywhere, other workloads carrying this KEY[=VALUE] label "
                      "(labelSelector)")
          ->excludes(ns)
          ->excludes(ns_label);
  exp->add_flag("--all-namespaces", flags->all_namespaces,
                "Scope: every kind in every namespace but kube-* and gatekeeper-system")
      ->excludes(ns)
      ->excludes(ns_label)
      ->excludes(wl_label);
  exp->add_option("--pattern", flags->pattern, "RE2 pattern for the verify initContainer's name")->capture_default_str();
  exp->add_option("--secret-name", flags->secret_name, "Secret holding the public key")->capture_default_str();
  exp->add_option("--require-mount", flags->require_mount, "The verifier must mount the key volume (true|false)")
      ->capture_default_str();
  exp->add_flag("--allow-vault", flags->allow_vault, "A verifier declaring VAULT_ADDR needs no key volume");
  exp->add_flag("--allow-keyless", flags->allow_keyless,
                "A verifier declaring AEGIS_TRUSTED_ROOT, an identity and an issuer, and mounting the trusted root "
                "ConfigMap, needs no key volume (Sigstore keyless)");
  exp->add_option("--trusted-root-configmap", flags->trusted_root_config_map,
                  "With --allow-keyless: the ConfigMap holding trusted_root.json")
      ->capture_default_str();
  exp->add_option("--verifier-image", flags->verifier_images,
                  "An image the verifier may run: a repository (any tag or digest) or prefix* (repeatable; "
                  "default: " + std::string(kShippedVerifierImage) + ")")
      ->allow_extra_args(false);
  exp->add_flag("--any-verifier-image", flags->any_verifier_image,
                "Accept any image for the verifier (no verifierImages: version 1's name-only check)")
      ->excludes("--verifier-image");
  exp->add_flag("--require-digest", flags->require_digest, "The verifier image must be pinned by @sha256 digest");
  exp->add_option("--require-verified-model", flags->require_verified_model,
                  "AEGIS005: no model source but the verifier (true|false)")
      ->capture_default_str();
  exp->add_option("--require-model-mount", flags->require_model_mount,
                  "AEGIS006: the server mounts what the verifier wrote, read-only (true|false)")
      ->capture_default_str();
  exp->add_flag("--kserve-native", flags->kserve_native,
                "KServe-native mode: accept storageUri served by the Aegis ClusterStorageContainer (adds "
                "^storage-initializer$ to the pattern; prefixes s3://, gs:// and https:// unless given)");
  exp->add_option("--verified-storage-uri-prefix", flags->verified_prefixes,
                  "A storageUri prefix the Aegis ClusterStorageContainer serves (repeatable)")
      ->allow_extra_args(false);
  exp->add_option("--storage-container-name", flags->storage_container_name,
                  "KServe-native mode: the ClusterStorageContainer every storageUri must name in storageContainerName "
                  "(KServe >= 0.20); \"\" for older KServe, which selects by URI alone")
      ->capture_default_str();
  exp->add_option("--lock-verifier", flags->lock_verifier,
                  "AEGIS008: the verifier runs the image's command with [artifact, model directory] only (true|false)")
      ->capture_default_str();
  exp->add_option("--seal-model-volume", flags->seal_model_volume,
                  "AEGIS009: only the verifier writes the model volume (true|false)")
      ->capture_default_str();
  AddTrustFlags(*exp, flags->trust);
  exp->add_option("--enforcement", flags->enforcement, "deny, dryrun or warn")
      ->check(CLI::IsMember({"deny", "dryrun", "warn"}))
      ->capture_default_str();
  exp->add_option("--only", flags->only, "Print only the template or only the constraint")
      ->check(CLI::IsMember({"template", "constraint"}));
  exp->footer("Exit codes: 0 printed; 2 usage error. The parameters and the scopes: docs/POLICY.md (installed in\n"
              "/usr/share/doc/aegis/). Audit first: the default is dryrun, as aegis init's.");
  exp->callback([flags, &exit_code] { exit_code = RunExport(*flags); });

  auto paths = std::make_shared<std::vector<std::string>>();
  CLI::App* check = sub.add_subcommand("check", "Validate ConstraintTemplates and Constraints (files or directories)");
  check->add_option("paths", *paths, "Files or directories")->required();
  check->footer("Exit codes: 0 valid; 1 problems found; 2 usage error, unreadable or invalid YAML.\n"
                "What is checked: docs/POLICY.md, \"Writing the Rego\".");
  check->callback([paths, &exit_code] { exit_code = RunCheck(*paths); });
}

}  // namespace aegis::cli
