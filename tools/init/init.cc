#include "init/init.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "sign/keygen.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "verifier/common/crypto.h"
#include "verifier/trust/keys.h"

namespace aegis::init {
namespace {
namespace fs = std::filesystem;

constexpr std::string_view kPrivateKey = "signing-key.pem";
constexpr std::string_view kPublicKey = "cosign.pub";

// A Kubernetes namespace name (RFC 1123 label).
bool IsNamespaceName(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// A word the printed commands can carry unquoted, or single-quoted.
std::string Sh(const std::string& s) {
  bool plain = !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@,") ==
                                 std::string::npos;
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string SecretYaml(const std::string& ns, const std::string& secret, const std::string& key_name,
                       const std::string& public_pem) {
  return fmt::format(
      "# The public key the verifier trusts (mounted at /etc/cosign), for namespace {0} (aegis init).\n"
      "# Every *.pub and *.pem in it is trusted: to rotate, add the new key, sign with it, remove the old.\n"
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {1}\n  namespace: {0}\ntype: Opaque\ndata:\n  {2}: {3}\n",
      ns, secret, key_name, Base64Encode(public_pem));
}

std::string LabelSpec(const Scope& s) { return s.label_key + "=" + s.label_value; }

// .aegis.yaml goes beside the directory init writes (`aegis/` → `./.aegis.yaml`), or into
// it when it is the working directory.
std::string ProjectFilePath(const fs::path& dir) {
  fs::path d = fs::absolute(dir).lexically_normal();
  if (!d.has_filename()) d = d.parent_path();
  fs::path cwd = fs::current_path();
  return ((d == cwd ? d : d.parent_path()) / std::string(kProjectConfigName)).string();
}

// What the project file says: paths relative to it, as written.
// What the constraint pins (parameters.trust): the key init writes or is given, or the keyless
// identity, with the trusted root given (else the verifier image's own roots).
Expected<TrustPins> InitPins(const InitOptions& o, bool keyless, const std::string& public_pem, const std::string& key_file) {
  TrustPins pins;
  if (!keyless) {
    auto key = verifier::ParsePublicKey(public_pem, key_file);
    if (!key) return Error{ErrorKind::kUsage, key_file, {}, "not a public key the verifier can use: " + key.error().message};
    pins.keys.push_back(key->fingerprint);
  } else {
    pins.keyless.push_back({o.keyless.issuer, o.keyless.identity, o.keyless.issuer_regexp, o.keyless.identity_regexp});
    if (!o.keyless.trusted_root.empty()) {
      auto text = ReadInput(o.keyless.trusted_root, 16 << 20);
      if (!text) return Error{ErrorKind::kUsage, o.keyless.trusted_root, {}, "cannot read the trusted root: " + text.error().message};
      pins.trusted_roots.push_back("sha256:" + Hex(verifier::Sha256(*text)));
    }
  }
  return pins;
}

ProjectConfig ProjectFor(const InitOptions& o, const ExportOptions& policy, const std::string& key_file, const fs::path& dir) {
  const fs::path base = fs::path(ProjectFilePath(dir)).parent_path();
  auto relative = [&](const fs::path& p) { return fs::absolute(p).lexically_normal().lexically_relative(base).string(); };
  ProjectConfig c;
  c.policy = relative(dir / "constraint.yaml");
  if (o.namespaces.size() == 1) c.namespace_ = o.namespaces.front();
  if (o.scope.kind == Scope::Kind::kNamespaceLabel) {
    for (const std::string& ns : o.namespaces) c.namespace_labels[ns] = {{o.scope.label_key, o.scope.label_value}};
  }
  if (policy.verifier_images && policy.verifier_images->size() == 1 && !policy.verifier_images->front().ends_with("*") &&
      policy.verifier_images->front() != kShippedVerifierImage) {
    c.verifier_image = policy.verifier_images->front();
  }
  if (!key_file.empty()) c.public_key = relative(key_file);
  c.keyless = o.keyless;
  if (o.keyless.set()) c.keyless.trusted_root_config_map = policy.trusted_root_config_map;
  return c;
}

}  // namespace

InitFile::~InitFile() {
  if (private_key && !content.empty()) OPENSSL_cleanse(content.data(), content.size());
}

namespace {

Status CheckInitOptions(const InitOptions& o) {
  if (o.namespaces.empty()) return Error{ErrorKind::kUsage, {}, {}, "--namespaces: name at least one namespace that serves models"};
  for (const std::string& ns : o.namespaces) {
    if (!IsNamespaceName(ns)) {
      return Error{ErrorKind::kUsage, {}, {}, fmt::format("--namespaces: {:?} is not a namespace name (lower-case letters, digits and -)", ns)};
    }
  }
  const bool keyless = o.keyless.set();
  if (keyless && !o.public_key.empty()) return Error{ErrorKind::kUsage, {}, {}, "--keyless and --public-key exclude each other"};
  if (keyless && (o.keyless.issuer.empty() == o.keyless.issuer_regexp.empty())) {
    return Error{ErrorKind::kUsage, {}, {}, "--keyless needs one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp"};
  }
  return Ok{};
}

// The key the verifier trusts: a new pair (both files planned), or the given public key (its
// name kept as the Secret's key when the verifier would read it); none when keyless.
struct InitKey {
  std::string public_pem, file, name = std::string(kPublicKey);
};

Expected<InitKey> PlanKey(const InitOptions& o, InitPlan& plan) {
  InitKey key;
  if (o.keyless.set()) return key;  // no key: the verifier trusts a Sigstore identity (docs/SIGNATURES.md, "Keyless")
  if (o.public_key.empty()) {
    auto pair = sign::GenerateKeyPair();
    if (!pair) return pair.error();
    key.public_pem = pair->public_pem;
    plan.files.emplace_back(std::string(kPrivateKey), std::move(pair->private_pem), true);
    plan.files.emplace_back(std::string(kPublicKey), key.public_pem);
    key.file = (fs::path(o.dir) / kPublicKey).string();
    return key;
  }
  auto text = ReadInput(o.public_key, 1 << 20);
  if (!text) return Error{ErrorKind::kUsage, o.public_key, {}, "cannot read the public key: " + text.error().message};
  if (auto parsed = verifier::ParsePublicKey(*text, o.public_key); !parsed) {
    return Error{ErrorKind::kUsage, o.public_key, {}, "not a public key the verifier can use: " + parsed.error().message};
  }
  key.public_pem = *text;
  key.file = o.public_key;
  key.name = fs::path(o.public_key).filename().string();
  // A Secret's keys are [-._a-zA-Z0-9]+, and the verifier trusts *.pub and *.pem.
  bool valid = key.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") == std::string::npos;
  if (!valid || (!key.name.ends_with(".pub") && !key.name.ends_with(".pem"))) key.name = std::string(kPublicKey);
  return key;
}

// Steps 1 and 2 of the printed plan: the scope's labels, and the trust material per namespace.
void ScopeAndTrustSteps(const InitOptions& o, const ExportOptions& policy, const InitKey& key, std::string& s,
                        std::string& lint_labels) {
  auto line = [&](const std::string& text) { s += "  " + text + "\n"; };
  const bool keyless = o.keyless.set();
  switch (o.scope.kind) {
    case Scope::Kind::kNamespaceLabel:
      line(fmt::format("# 1. The namespaces that serve models, into the policy's scope ({}):", LabelSpec(o.scope)));
      for (const std::string& ns : o.namespaces) {
        line(fmt::format("kubectl label namespace {} {}", ns, Sh(LabelSpec(o.scope))));
        lint_labels += fmt::format(" --namespace-labels {}", Sh(ns + "=" + LabelSpec(o.scope)));
      }
      break;
    case Scope::Kind::kWorkloadLabel:
      line(fmt::format("# 1. Each model-serving workload carries the label {} (metadata.labels) to be checked;", LabelSpec(o.scope)));
      line("#    KServe's objects are checked in every namespace.");
      break;
    case Scope::Kind::kNamespaces:
    case Scope::Kind::kEverywhere:
      line("# 1. The constraint names its namespaces (spec.match.namespaces): nothing to label.");
      break;
  }
  if (keyless) {
    line("# 2. Sigstore's trusted root, where the verifier mounts it, in every namespace that serves models");
    line("#    (the public-good instance's: sigstore-python's `sigstore trust-instance-root`, or your own):");
  } else {
    line("# 2. The public key, where the verifier mounts it, in every namespace that serves models:");
  }
  const fs::path dir(o.dir);
  for (const std::string& ns : o.namespaces) {
    if (keyless) {
      line(fmt::format("kubectl -n {} create configmap {} --from-file=trusted_root.json={}", ns, Sh(policy.trusted_root_config_map),
                       Sh(o.keyless.trusted_root.empty() ? std::string("trusted_root.json") : o.keyless.trusted_root)));
    } else if (o.secret_manifests) {
      line(fmt::format("kubectl apply -f {}", Sh((dir / fmt::format("secret-{}.yaml", ns)).string())));
    } else {
      line(fmt::format("kubectl -n {} create secret generic {} --from-file={}", ns, Sh(policy.secret_name), Sh(key.name + "=" + key.file)));
    }
  }
}

// Steps 3 and 4: Gatekeeper's objects, then signing, rendering and linting as CI would.
void ApplyAndUseSteps(const InitOptions& o, const ExportOptions& policy, const std::string& lint_labels, std::string& s) {
  auto line = [&](const std::string& text) { s += "  " + text + "\n"; };
  const fs::path dir(o.dir);
  line("# 3. Gatekeeper: the template, then its CRD, then the constraint (audit first when dryrun):");
  line(fmt::format("kubectl apply -f {}", Sh((dir / "constrainttemplate.yaml").string())));
  line("kubectl wait --for=condition=established --timeout=60s crd/aegissignedpod.constraints.gatekeeper.sh");
  line(fmt::format("kubectl apply -f {}", Sh((dir / "constraint.yaml").string())));
  line("# 4. Sign a model; make a workload conform; check it as CI would:");
  if (o.keyless.set()) {
    line("cosign sign-blob --bundle model.tar.gz.sigstore.json model.tar.gz   # in CI, as the identity above");
  } else if (o.public_key.empty()) {
    line(fmt::format("aegis sign model.tar.gz --key {}", Sh((dir / kPrivateKey).string())));
  } else {
    line("aegis sign model.tar.gz --key YOUR-PRIVATE-KEY   # the private half of " + Sh(o.public_key));
  }
  // The project file names the policy, the namespaces' labels and the image; without it,
  // the commands say everything themselves.
  std::string policy_flag = o.project_file ? "" : " --policy " + Sh((dir / "constraint.yaml").string());
  std::string image_flag;
  if (policy.require_digest) {
    image_flag = fmt::format(" --image {}@sha256:DIGEST", policy.verifier_images && policy.verifier_images->size() == 1
                                                               ? Sh(policy.verifier_images->front())
                                                               : "REPOSITORY");
    line("#    DIGEST: your pushed verifier image's (skopeo inspect --format '{{.Digest}}' docker://REPOSITORY:TAG)");
  }
  line(fmt::format("aegis render -i{}{} --artifact s3://BUCKET/model.tar.gz deploy/model-server.yaml", policy_flag, image_flag));
  // While the cluster only audits, CI should still stop a non-conforming change.
  std::string fail_on_warn = policy.action == EnforcementAction::kDeny ? "" : " --fail-on-warn";
  line(fmt::format("aegis lint{}{}{} deploy/", policy_flag, o.project_file ? "" : lint_labels, fail_on_warn));
}

}  // namespace

Expected<InitPlan> PlanInit(const InitOptions& o) {
  AEGIS_TRY(CheckInitOptions(o));
  const bool keyless = o.keyless.set();
  InitPlan plan;
  auto key = PlanKey(o, plan);
  if (!key) return key.error();
  ExportOptions policy = o.policy;
  auto pins = InitPins(o, keyless, key->public_pem, key->file);
  if (!pins) return pins.error();
  policy.trust = std::move(*pins);
  policy.scope = o.scope;
  policy.allow_keyless = policy.allow_keyless || keyless;
  if (policy.scope.kind == Scope::Kind::kNamespaces) policy.scope.namespaces = o.namespaces;
  plan.files.emplace_back("constrainttemplate.yaml", TemplateYaml());
  plan.files.emplace_back("constraint.yaml", ConstraintYaml(policy));
  if (o.secret_manifests && !keyless) {
    for (const std::string& ns : o.namespaces) {
      plan.files.emplace_back(fmt::format("secret-{}.yaml", ns), SecretYaml(ns, policy.secret_name, key->name, key->public_pem));
    }
  }
  std::string steps, lint_labels;
  ScopeAndTrustSteps(o, policy, *key, steps, lint_labels);
  ApplyAndUseSteps(o, policy, lint_labels, steps);
  if (o.project_file) plan.files.emplace_back(ProjectFilePath(fs::path(o.dir)), ProjectConfigText(ProjectFor(o, policy, key->file, fs::path(o.dir))));
  plan.next_steps = std::move(steps);
  return plan;
}

Status WriteInit(const InitPlan& plan, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{ErrorKind::kIo, dir, {}, "cannot create the directory: " + ec.message()};
  std::vector<std::string> in_the_way;
  for (const InitFile& f : plan.files) {
    fs::path p = fs::path(dir) / f.name;
    if (fs::exists(fs::symlink_status(p, ec))) in_the_way.push_back(p.string());
  }
  if (!in_the_way.empty()) {
    std::string names;
    for (const auto& n : in_the_way) names += (names.empty() ? "" : ", ") + n;
    bool project_file = std::any_of(in_the_way.begin(), in_the_way.end(),
                                    [](const std::string& p) { return p.ends_with(std::string(kProjectConfigName)); });
    return Error{ErrorKind::kUsage, dir, {},
                 fmt::format("refusing to overwrite {} (nothing was written; remove them or choose another directory{})", names,
                             project_file ? "; --no-config keeps the project's .aegis.yaml as it is" : "")};
  }
  std::vector<std::string> written;
  auto undo = [&] {
    for (const auto& w : written) ::unlink(w.c_str());
  };
  for (const InitFile& f : plan.files) {
    std::string p = (fs::path(dir) / f.name).string();
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f.private_key ? 0600 : 0644);
    if (fd < 0) {
      int err = errno;
      undo();
      return Error{ErrorKind::kIo, p, {}, fmt::format("cannot create: {}", std::strerror(err))};
    }
    written.push_back(p);
    size_t done = 0;
    while (done < f.content.size()) {
      ssize_t n = ::write(fd, f.content.data() + done, f.content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    bool ok = done == f.content.size() && ::fsync(fd) == 0;
    int err = errno;
    ::close(fd);
    if (!ok) {
      undo();
      return Error{ErrorKind::kIo, p, {}, fmt::format("cannot write: {}", std::strerror(err))};
    }
  }
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Ok{};
}

}  // namespace aegis::init
