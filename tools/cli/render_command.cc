// `aegis render`: make workloads conform (stdout, --in-place, --diff) or print a canary
// template. All or nothing: when any object cannot be rendered, nothing is written.
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>
#include <re2/re2.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "inputs/policy_files.h"
#include "cli/commands.h"
#include "cli/project.h"
#include "policy/export.h"
#include "policy/verifier_image.h"
#include "render/renderer.h"
#include "render/templates.h"
#include "util/file_io.h"
#include "util/quantity.h"
#include "util/strings.h"

namespace aegis::cli {
namespace {

struct RenderFlags {
  std::vector<std::string> paths;
  render::RenderSettings settings;
  std::string secret_name;
  std::string policy;
  bool in_place = false;
  bool diff = false;
  bool allow_unpinned = false;
  bool keyless = false;
  uint64_t max_input_mb = kDefaultMaxInputBytes >> 20;
  size_t jobs = 0;
  render::TemplateOptions tmpl;
  ConfigFlags config;
};

// One line per diagnostic; a file's many notes are written with one call (std::cerr
// writes each piece at once: 50,000 notes cost 225,000 system calls).
std::string Line(const Diagnostic& d) {
  std::string where = d.where.Location();
  return fmt::format("{}: {}: {}\n", where.empty() ? "aegis render" : Printable(where),
                     d.level == Diagnostic::Level::kError ? "error" : "note", Printable(d.where.message));
}

void Print(const Diagnostic& d) { std::cerr << Line(d); }

void PrintAll(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += Line(d);
  std::cerr << out;
}

int Fail(const Error& e) {
  std::cerr << "aegis render: error: " << Printable(e.Describe()) << "\n";
  return kExitUsage;
}

// The verifier images in the output that are not pinned by digest, said once per run.
void WarnUnpinned(const std::vector<std::string>& images, bool allowed) {
  if (allowed) return;
  std::map<std::string, size_t> unpinned;
  for (const auto& image : images) {
    if (!ImagePinned(image)) ++unpinned[image];
  }
  for (const auto& [image, count] : unpinned) {
    std::cerr << "aegis render: warning: verifier image " << Printable(image) << " is not pinned by digest ("
              << count << (count == 1 ? " verifier" : " verifiers")
              << "): pass --image IMAGE@sha256:… to pin it, or --allow-unpinned\n";
  }
}

// What the project file says, where no flag said otherwise.
void ApplyProject(const ProjectConfig& p, RenderFlags& f) {
  if (f.policy.empty()) f.policy = p.policy;
  if (!f.settings.image_given && !p.verifier_image.empty()) {
    f.settings.image = p.verifier_image;
    f.settings.image_source = "verifierImage of " + p.path;
  }
  auto& k = f.settings.keyless;
  if (p.keyless.set() && !f.keyless && k.identity.empty() && k.identity_regexp.empty()) {
    f.keyless = true;
    k.identity = p.keyless.identity;
    k.identity_regexp = p.keyless.identity_regexp;
    k.issuer = p.keyless.issuer;
    k.issuer_regexp = p.keyless.issuer_regexp;
    if (k.config_map.empty()) k.config_map = p.keyless.trusted_root_config_map;
  }
}

// An --image the policy refuses is an error before anything is read; without --image, the
// image is checked where render would write it (an existing allowed verifier image is kept).
Status CheckImage(RenderFlags& f, const std::vector<Constraint>& constraints) {
  f.settings.image_refusal = [&constraints](std::string_view image) { return WhyImageRefused(image, constraints); };
  if (!f.settings.image_given && f.tmpl.kind.empty()) return Ok{};
  auto why = WhyImageRefused(f.settings.image, constraints);
  if (!why) return Ok{};
  std::string hint = f.policy.empty() ? "; the built-in policy allows only " + std::string(kShippedVerifierImage) +
                                            ": pass --policy with your constraint (aegis init writes one and names it "
                                            "in .aegis.yaml)"
                                      : "";
  return Error{ErrorKind::kUsage, {}, {},
               fmt::format("--image {}: {}{}", f.settings.image_given ? f.settings.image : f.settings.image + " (" + f.settings.image_source + ")", *why, hint)};
}

// --keyless: a complete identity policy, and every constraint admits the keyless verifier (else
// the result would not conform); the trusted root's ConfigMap from the policy unless given.
Status CheckKeyless(RenderFlags& f, const std::vector<Constraint>& constraints) {
  auto& k = f.settings.keyless;
  if ((k.identity.empty() == k.identity_regexp.empty()) || (k.issuer.empty() == k.issuer_regexp.empty())) {
    return Error{ErrorKind::kUsage, {}, {}, "--keyless needs one of --certificate-identity and "
                                            "--certificate-identity-regexp, and one of --certificate-oidc-issuer and "
                                            "--certificate-oidc-issuer-regexp"};
  }
  for (const Constraint& c : constraints) {
    if (!c.parameters.allow_keyless_verification) {
      return Error{ErrorKind::kUsage, {}, {},
                   fmt::format("--keyless: constraint {} does not allow keyless verification "
                               "(allowKeylessVerification): pass --policy with one that does (aegis policy export "
                               "--allow-keyless)",
                               c.name)};
    }
  }
  if (k.config_map.empty()) k.config_map = constraints.front().parameters.trusted_root_config_map;
  return Ok{};
}

// Render's settings from the flags and the policy: names follow the (first) constraint, the
// verifier's name must match every constraint's pattern, the image must be allowed, the pins
// and the KServe-native delivery come from the constraints.
Status SettingsFromPolicy(RenderFlags& f, const std::vector<Constraint>& constraints) {
  if (f.keyless) AEGIS_TRY(CheckKeyless(f, constraints));
  f.settings.secret_name = f.secret_name.empty() ? constraints.front().parameters.secret_name : f.secret_name;
  for (const Constraint& c : constraints) {
    if (!re2::RE2::PartialMatch(f.settings.init_name, *c.parameters.pattern)) {
      return Error{ErrorKind::kUsage, {}, {},
                   fmt::format("--init-name {} does not match /{}/ of constraint {}: the result would not conform",
                               f.settings.init_name, c.parameters.init_container_pattern, c.name)};
    }
  }
  AEGIS_TRY(CheckImage(f, constraints));
  auto trust = render::PinnedTrust(constraints);
  if (!trust) return trust.error();
  f.settings.trust_policy = *trust;
  // KServe-native: a policy with verifiedStorageUriPrefixes accepts storageUri kept for the Aegis
  // ClusterStorageContainer; render keeps it there (the first such constraint says how).
  for (const Constraint& c : constraints) {
    if (c.parameters.verified_storage_uri_prefixes.empty()) continue;
    f.settings.kserve_native = {c.parameters.verified_storage_uri_prefixes, c.parameters.storage_container_name};
    break;
  }
  return Ok{};
}

// Every input read before any is rendered (--in-place: each file's stamp first); errors printed.
struct ReadInputs {
  std::vector<std::pair<std::string, std::string>> texts;  // display name, text
  std::vector<FileStamp> stamps;
  bool failed = false;
};

Expected<ReadInputs> ReadAll(const RenderFlags& f) {
  ReadInputs in;
  ExpandedInputs inputs = ExpandInputs(f.paths);
  in.failed = !inputs.errors.empty();
  for (const auto& e : inputs.errors) Print({Diagnostic::Level::kError, e});
  for (const auto& path : inputs.files) {
    if (path == "-" && f.in_place) return Error{ErrorKind::kUsage, {}, {}, "--in-place cannot rewrite standard input"};
    if (f.in_place) {
      auto stamp = StampOf(path);
      if (!stamp) {
        Print({Diagnostic::Level::kError, stamp.error()});
        in.failed = true;
        continue;
      }
      in.stamps.push_back(*stamp);
    }
    auto text = ReadInput(path, f.max_input_mb << 20);
    if (!text) {
      Print({Diagnostic::Level::kError, text.error()});
      in.failed = true;
      continue;
    }
    in.texts.emplace_back(path == "-" ? "<stdin>" : path, std::move(*text));
  }
  return in;
}

// --diff: a unified diff per file (exit 1 when anything would change).
int WriteDiff(const std::vector<render::RenderedFile>& results) {
  bool changed = false;
  for (const auto& r : results) {
    std::string name = r.file;
    while (name.starts_with("./")) name.erase(0, 2);  // a/deploy.yaml, as git writes it
    std::string d = render::DiffOfEdits(r.original, r.edits, "a/" + name, "b/" + name);
    std::fwrite(d.data(), 1, d.size(), stdout);
    changed = changed || !d.empty();
  }
  return changed ? kExitFindings : kExitClean;
}

// --in-place: the changed files replaced, all or nothing, each only if unchanged since read.
int WriteInPlace(const std::vector<render::RenderedFile>& results, const std::vector<FileStamp>& stamps) {
  std::vector<Replacement> changes;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].rendered != results[i].original) changes.push_back({results[i].file, results[i].rendered, stamps[i]});
  }
  if (auto st = ReplaceFiles(changes); !st) {
    Print({Diagnostic::Level::kError, st.error()});
    return kExitUsage;
  }
  for (const auto& c : changes) std::cerr << "aegis render: rewrote " << Printable(c.path) << "\n";
  return kExitClean;
}

// Standard output: the rendered files as one stream of documents.
int WriteStream(const std::vector<render::RenderedFile>& results) {
  std::string out;
  for (const auto& r : results) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!out.empty() && !r.rendered.starts_with("---")) out += "---\n";
    out += r.rendered;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitClean;
}

int RunTemplate(const RenderFlags& f, const std::vector<Constraint>& constraints) {
  WarnUnpinned({f.settings.image}, f.allow_unpinned);
  if (!f.paths.empty() || f.in_place || f.diff) {
    return Fail(Error{ErrorKind::kUsage, {}, {}, "--template takes no input files, --in-place or --diff"});
  }
  auto out = render::RenderTemplate(f.tmpl, f.settings, constraints);
  if (!out) return Fail(out.error());
  std::fwrite(out->data(), 1, out->size(), stdout);
  return kExitClean;
}

int RunRender(RenderFlags f) {
  auto project = LoadProjectConfig(f.config);
  if (!project) return Fail(project.error());
  if (*project) ApplyProject(**project, f);
  auto loaded = f.policy.empty() ? BuiltinConstraints() : LoadConstraints(f.policy);
  if (!loaded) return Fail(loaded.error());
  const auto& constraints = loaded->constraints;
  if (Status st = SettingsFromPolicy(f, constraints); !st) return Fail(st.error());
  if (!f.tmpl.kind.empty()) return RunTemplate(f, constraints);
  if (f.paths.empty()) return Fail(Error{ErrorKind::kUsage, {}, {}, "give input files, directories or -, or --template"});
  if (f.in_place && f.diff) return Fail(Error{ErrorKind::kUsage, {}, {}, "--in-place and --diff exclude each other"});
  auto inputs = ReadAll(f);
  if (!inputs) return Fail(inputs.error());
  // KServe's S3 settings live on the ServiceAccount's Secrets, possibly in another file.
  auto storage = std::make_shared<render::KServeStorage>(render::CollectKServeStorage(inputs->texts));
  if (!storage->empty()) f.settings.kserve_storage = storage;
  std::vector<render::RenderedFile> results;
  bool failed = inputs->failed;
  for (auto& [name, text] : inputs->texts) {
    results.push_back(render::RenderText(name, std::move(text), f.settings, constraints, f.jobs));
    PrintAll(results.back().diagnostics);
    failed = failed || results.back().failed;
  }
  if (failed) {
    std::cerr << "aegis render: nothing written: fix the errors above\n";
    return kExitUsage;
  }
  std::vector<std::string> images;
  for (const auto& r : results) images.insert(images.end(), r.verifier_images.begin(), r.verifier_images.end());
  WarnUnpinned(images, f.allow_unpinned);
  if (f.diff) return WriteDiff(results);
  if (f.in_place) return WriteInPlace(results, inputs->stamps);
  return WriteStream(results);
}

}  // namespace

void SetupRender(CLI::App& sub, int& exit_code) {
  auto f = std::make_shared<RenderFlags>();
  sub.add_option("paths", f->paths, "Files, directories (recursive: .yaml, .yml, .json) or - for stdin");
  sub.add_option("--artifact", f->settings.artifact,
                 "Model artifact URI (default per object: annotation aegis/artifact-uri, or KServe storageUri)");
  sub.add_option("--image", f->settings.image,
                 "Verifier image (pin it by digest); an existing verifier's image is updated to it")
      ->capture_default_str()
      ->each([f](const std::string&) { f->settings.image_given = true; });
  sub.add_flag("--allow-unpinned", f->allow_unpinned,
               "No warning for a verifier image that is not pinned by digest (e.g. in a pre-commit hook)");
  sub.add_flag("--allow-unpinned-revision", f->settings.allow_unpinned_revision,
               "An hf:// model at a branch or tag: the verifier resolves it once per pod start (default: refused; pin the commit)");
  sub.add_option("--secret-name", f->secret_name, "Secret with the public key (default: the policy's secretName)");
  sub.add_option("--key-dir", f->settings.key_dir, "Where the verifier mounts the key")->capture_default_str();
  sub.add_option("--model-dir", f->settings.model_dir,
                 "Model directory for workloads that are neither KServe (/mnt/models) nor Triton (its --model-repository)")
      ->capture_default_str();
  sub.add_option("--init-name", f->settings.init_name, "Name of the verify initContainer (must match the policy)")
      ->capture_default_str();
  sub.add_option("--model-volume-size-limit", f->settings.model_volume_size_limit,
                 "emptyDir.sizeLimit of a new model volume (Kubernetes quantity; \"\": none)")
      ->capture_default_str()
      ->check([](const std::string& v) { return v.empty() || ParseQuantity(v) ? std::string() : "not a Kubernetes quantity: " + v; });
  sub.add_flag("--no-run-as-user{false}", f->settings.fixed_uid,
               "Leave runAsUser out of the verifier's securityContext (OpenShift's restricted SCC assigns a UID per namespace)");
  sub.add_option("-p,--policy", f->policy, "AegisSignedPod Constraint YAML (file or directory); default: the project file's, else built-in");
  sub.add_flag("-i,--in-place", f->in_place, "Rewrite the files (comments and layout kept)");
  sub.add_flag("--diff", f->diff, "Print a unified diff; exit 1 when something would change");
  sub.add_option("-j,--jobs", f->jobs, "Threads for rendering large inputs (default: one per core)");
  sub.add_option("--max-input-mb", f->max_input_mb, "Refuse an input (file or stdin) larger than this many MiB")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 20))
      ->capture_default_str();
  sub.add_option("--template", f->tmpl.kind,
                 "Print a canary manifest (kserve, triton or pod), or the Aegis ClusterStorageContainer for "
                 "KServe-native delivery (clusterstoragecontainer)")
      ->check(CLI::IsMember({"kserve", "triton", "pod", "clusterstoragecontainer"}));
  sub.add_option("--canary-role", f->tmpl.role, "--template: the aegis/canary label: positive, tampered (an artifact that must fail) or violating (no verifier)")
      ->check(CLI::IsMember({"positive", "tampered", "violating"}))
      ->capture_default_str();
  sub.add_option("--name", f->tmpl.name, "Template: object name")->capture_default_str();
  sub.add_option("--namespace", f->tmpl.namespace_, "Template: namespace")->capture_default_str();
  sub.add_option("--server-image", f->tmpl.server_image, "Template: model server image")->capture_default_str();
  sub.add_option("--gpus", f->tmpl.gpus, "Template: nvidia.com/gpu limit (0: none)")->capture_default_str();
  sub.add_option("--service-account", f->tmpl.service_account,
                 "Service account of the rendered pods (workload identity for the verifier's storage); "
                 "templates: model-fetcher unless given")
      ->capture_default_str()
      ->each([f](const std::string& v) { f->settings.service_account = v; });
  sub.add_flag("--keyless", f->keyless,
               "The verifier trusts a Sigstore trusted root (ConfigMap, mounted at /etc/sigstore) and an identity policy "
               "instead of a key (the policy must allow it: allowKeylessVerification)");
  auto& k = f->settings.keyless;
  AddIdentityFlags(sub, k.identity, k.identity_regexp, k.issuer, k.issuer_regexp);
  sub.add_option("--trusted-root-configmap", f->settings.keyless.config_map,
                 "--keyless: the ConfigMap holding trusted_root.json (default: the policy's trustedRootConfigMap)");
  sub.add_option("--env-from-secret", f->settings.env_from_secret,
                 "Secret whose keys become the verifier's environment (AWS_ACCESS_KEY_ID, S3_ENDPOINT, …: envFrom)");
  sub.footer(
      "Exit codes: 0 rendered (or nothing to change); 1 with --diff when something would change;\n"
      "2 usage error, unreadable or invalid input, or an object that cannot be rendered (nothing written).\n"
      "What render injects and why: docs/RENDER.md (installed in /usr/share/doc/aegis/).");
  AddConfigFlags(sub, f->config);
  sub.callback([f, &exit_code] { exit_code = RunRender(*f); });
}

}  // namespace aegis::cli
