#include "render/injector.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "manifest/kserve_model.h"
#include "render/injector_impl.h"
#include "util/strings.h"

namespace aegis::render::internal {

Status Injector::EnsureMounts(const Node* container, const std::vector<Mount>& wanted, std::string_view what) {
  const Node* mounts = container->Get("volumeMounts");
  if (mounts != nullptr && !mounts->IsSequence() && !mounts->IsNull()) {
    return Fail(mounts, fmt::format("volumeMounts of {} is not a list", what));
  }
  std::vector<YNode> add;
  std::vector<const Node*> existing =
      mounts != nullptr && mounts->IsSequence() ? mounts->items() : std::vector<const Node*>{};
  for (const Mount& w : wanted) {
    bool present = std::any_of(existing.begin(), existing.end(), [&](const Node* m) {
      auto name = StringAt(m, "name");
      auto path = StringAt(m, "mountPath");
      return name && *name == w.volume && (w.any_path || (path && *path == w.path));
    });
    if (present) continue;
    for (const Node* m : existing) {
      auto name = StringAt(m, "name");
      if (StringAt(m, "mountPath") == std::optional<std::string_view>(w.path)) {
        return Fail(m, fmt::format("mount path {} in {} is taken by volume {} (render would mount {} there)", w.path,
                                   what, name ? std::string(*name) : "?", w.volume));
      }
    }
    std::vector<std::pair<std::string, YNode>> fields = {{"name", Str(w.volume)}, {"mountPath", Str(w.path)}};
    if (w.read_only) fields.emplace_back("readOnly", Raw("true"));
    add.push_back(Map(std::move(fields)));
  }
  if (add.empty()) return Ok{};
  if (container->anchored()) return Fail(container, fmt::format("{} has an anchor (aliases share it)", what));
  return editor_.AddToList(container, "volumeMounts", add);
}

namespace {

bool MountsVolume(const Node* c, std::string_view volume) {
  const Node* mounts = c->Get("volumeMounts");
  if (mounts == nullptr || !mounts->IsSequence()) return false;
  return std::any_of(mounts->items().begin(), mounts->items().end(),
                     [&](const Node* m) { return StringAt(m, "name") == std::optional<std::string_view>(volume); });
}

bool RunsTriton(const Node* c) {
  if (auto image = StringAt(c, "image"); image && image->find("tritonserver") != std::string_view::npos) return true;
  for (const char* key : {"command", "args"}) {
    const Node* list = c->Get(key);
    if (list == nullptr || !list->IsSequence()) continue;
    for (const Node* a : list->items()) {
      if (a->IsString() && a->scalar().find("tritonserver") != std::string::npos) return true;
    }
  }
  return false;
}

}  // namespace

Expected<std::string> Injector::ModelDir(const std::vector<const Node*>& containers) const {
  for (const Node* c : containers) {
    for (const char* key : {"command", "args"}) {
      const Node* list = c->Get(key);
      if (list == nullptr || !list->IsSequence()) continue;
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string& a = list->at(i)->scalar();
        for (std::string_view flag : {"--model-repository", "--model-store"}) {
          const Node* at = nullptr;
          std::string dir;
          if (a.starts_with(std::string(flag) + "=")) {
            at = list->at(i);
            dir = a.substr(flag.size() + 1);
          } else if (a == flag && i + 1 < list->size()) {
            at = list->at(i + 1);
            dir = at->scalar();
          }
          if (at == nullptr) continue;
          // The server must read the verified copy: a directory in the pod, never a URL.
          if (!dir.starts_with("/")) {
            return Fail(at, fmt::format("{} {} is not an absolute path in the pod: point {} at a local directory "
                                        "(e.g. /models) and give the model's URI to --artifact or the {} annotation",
                                        flag, Quote(dir), flag, kArtifactAnnotation));
          }
          while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
          return dir;
        }
      }
    }
  }
  return s_.model_dir;
}

std::vector<const Node*> Injector::ServingContainers(const PodSpecRef& ps) const {
  std::vector<const Node*> all;
  if (ps.shape == SpecShape::kKServeComponent) {
    std::vector<const Node*> places = ModelPlaces(ps.spec);
    if (!places.empty()) all.assign(places.begin() + 1, places.end());  // not the component itself
  }
  if (const Node* cs = ps.spec->Get("containers"); cs != nullptr && cs->IsSequence()) {
    for (const Node* c : cs->items())
      if (c->IsMapping()) all.push_back(c);
  }
  std::vector<const Node*> triton;
  std::copy_if(all.begin(), all.end(), std::back_inserter(triton), RunsTriton);
  return ps.shape == SpecShape::kPodSpec && !triton.empty() ? triton : all;
}

Expected<std::string> Injector::Artifact(const PodSpecRef& ps) {
  auto it = artifacts_.find(ps.component);
  if (it == artifacts_.end()) it = artifacts_.emplace(ps.component, LookUpArtifact(ps)).first;
  return it->second;
}

Expected<bool> Injector::TakeOverPvcMount(const PodSpecRef& ps, const Node* container, const std::vector<const Node*>& volumes,
                                          const std::string& model_dir, const std::string& model_volume, const std::string& what) {
  auto claim = pvc_claims_.find(ps.component);
  const Node* mounts = container->Get("volumeMounts");
  if (claim == pvc_claims_.end() || mounts == nullptr || !mounts->IsSequence()) return false;
  for (const Node* m : mounts->items()) {
    auto path = StringAt(m, "mountPath");
    const Node* name = m->IsMapping() ? m->Get("name") : nullptr;
    if (!path || name == nullptr || !name->IsScalar()) continue;
    std::string at(*path);
    while (at.size() > 1 && at.back() == '/') at.pop_back();
    if (at != model_dir) continue;
    const Node* volume = nullptr;
    for (const Node* v : volumes) {
      if (StringAt(v, "name") == std::optional<std::string_view>(name->scalar())) volume = v;
    }
    const Node* pvc = volume != nullptr && volume->IsMapping() ? volume->Get("persistentVolumeClaim") : nullptr;
    if (StringAt(pvc, "claimName") != std::optional<std::string_view>(claim->second)) return false;
    if (m->anchored()) return Fail(m, fmt::format("the mount of {} in {} has an anchor (aliases share it)", name->scalar(), what));
    out_.notes.push_back({m->mark(), fmt::format("{}: {} read claim {} at {}: it now reads the verified copy there (volume "
                                                 "{}, read-only); the verifier copies the model from the claim",
                                                 subject_, what, claim->second, model_dir, model_volume)});
    if (auto st = editor_.ReplaceScalar(name, EmitFlow(Str(model_volume))); !st) return st.error();
    const Node* read_only = m->Get("readOnly");
    if (read_only == nullptr) {
      if (auto st = editor_.InsertKey(m, "readOnly", Raw("true")); !st) return st.error();
    } else if (read_only->scalar() != "true") {
      if (auto st = editor_.ReplaceScalar(read_only, "true"); !st) return st.error();
    }
    return true;
  }
  return false;
}

Expected<std::string> Injector::PvcVolume(const PodSpecRef& ps, const std::vector<const Node*>& volumes,
                                          std::vector<YNode>& new_volumes) {
  auto it = pvc_claims_.find(ps.component);
  if (it == pvc_claims_.end()) return std::string();
  for (const Node* v : volumes) {
    const Node* pvc = v->IsMapping() ? v->Get("persistentVolumeClaim") : nullptr;
    if (StringAt(pvc, "claimName") == std::optional<std::string_view>(it->second) && StringAt(v, "name")) {
      return std::string(*StringAt(v, "name"));
    }
  }
  for (const Node* v : volumes) {
    if (StringAt(v, "name") == std::optional<std::string_view>(kPvcVolume)) {
      return Fail(v, fmt::format("volume {} already exists with another source (render would make it claim {})", kPvcVolume, it->second));
    }
  }
  new_volumes.push_back(Map({{"name", Str(std::string(kPvcVolume))},
                             {"persistentVolumeClaim", Map({{"claimName", Str(it->second)}, {"readOnly", Raw("true")}})}}));
  return std::string(kPvcVolume);
}

// The pod spec can be edited in place: it exists, is not shared through an anchor (nor is any
// object above it), and its lists are lists. Detects the file's style for the edits.
Status Injector::CheckEditable(const PodSpecRef& ps) {
  if (ps.spec == nullptr) {
    if (obj_.root->Path({"spec", "default"}) != nullptr) {
      return Fail(obj_.root->Path({"spec", "default"}),
                  fmt::format("no pod spec at {} to render into: spec.default is the KFServing v1alpha2 layout, which "
                              "KServe no longer serves; move its predictor to spec.predictor (v1beta1)",
                              ps.path));
    }
    return Fail(nullptr, fmt::format("no pod spec at {} to render into", ps.path));
  }
  if (ps.spec->anchored()) return Fail(ps.spec, "the pod spec has an anchor (aliases share it): edit it by hand");
  for (const char* key : {"containers", "initContainers", "volumes"}) {
    const Node* v = ps.spec->Get(key);
    if (v != nullptr && !v->IsSequence() && !v->IsNull()) return Fail(v, fmt::format("{}.{} is not a list", ps.path, key));
  }
  const Node* parent = obj_.root;
  if (parent->anchored()) return Fail(parent, "the object has an anchor (aliases share it): edit it by hand");
  size_t dot = 0, start = 0;
  const std::string& path = ps.path;
  while ((dot = path.find('.', start)) != std::string::npos) {
    parent = parent->Get(path.substr(start, dot - start));
    start = dot + 1;
    // An anchored ancestor is shared by its aliases: an edit would land in every object
    // that aliases it (and twice in this file), so it is not edited.
    if (parent != nullptr && parent->anchored()) {
      return Fail(parent, fmt::format("{} has an anchor (aliases share it): edit it by hand", path.substr(0, dot)));
    }
  }
  editor_.DetectStyle(ps.spec, parent != nullptr ? parent->KeyNode(path.substr(start)) : nullptr);
  return Ok{};
}

// KServe's model directory for its components and LLM workloads, else the server's own; a
// serving container mounting something else under it would read that, not the verified copy.
Expected<std::string> Injector::ServingModelDir(const PodSpecRef& ps, const std::vector<const Node*>& serving) const {
  std::string model_dir = "/mnt/models";
  if (ps.shape == SpecShape::kPodSpec && obj_.kind != "LLMInferenceService") {
    auto dir = ModelDir(serving);
    if (!dir) return dir.error();
    model_dir = *dir;
  }
  for (const Node* c : serving) {
    const Node* mounts = c->Get("volumeMounts");
    for (const Node* m : mounts != nullptr && mounts->IsSequence() ? mounts->items() : std::vector<const Node*>{}) {
      auto mount_path = StringAt(m, "mountPath");
      if (mount_path && mount_path->starts_with(model_dir + "/")) {
        return Fail(m, fmt::format("a volume is mounted at {}, under the verified model directory {}: the server would "
                                   "read it instead of the verified copy",
                                   *mount_path, model_dir));
      }
    }
  }
  return model_dir;
}

const Node* PodPlan::VolumeNamed(std::string_view name) const {
  for (const Node* v : volume_items) {
    if (StringAt(v, "name") == std::optional<std::string_view>(name)) return v;
  }
  return nullptr;
}

// The trust volume: the key Secret, or (keyless) the trusted root's ConfigMap. Any volume
// sourcing it (directly or projected) is reused; else one is added.
Status Injector::PlanTrustVolume(PodPlan& p) {
  p.keyless = !s_.keyless.config_map.empty();
  const char* source_key = p.keyless ? "configMap" : "secret";
  const std::string& source = p.keyless ? s_.keyless.config_map : s_.secret_name;
  auto sources_it = [&](const Node* e, const char* name_key) {
    return StringAt(e != nullptr && e->IsMapping() ? e->Get(source_key) : nullptr, name_key) == std::optional<std::string_view>(source);
  };
  for (const Node* v : p.volume_items) {
    bool direct = v->IsMapping() && sources_it(v, p.keyless ? "name" : "secretName");
    bool projected = false;
    if (const Node* src = v->IsMapping() ? v->Path({"projected", "sources"}) : nullptr; src && src->IsSequence()) {
      for (const Node* e : src->items()) projected = projected || sources_it(e, "name");
    }
    if ((direct || projected) && StringAt(v, "name")) {
      p.key_volume = std::string(*StringAt(v, "name"));
      break;
    }
  }
  p.key_dir = p.keyless ? std::string(kTrustedRootDir) : s_.key_dir;
  if (!p.key_volume.empty()) return Ok{};
  p.key_volume = p.keyless ? "sigstore-trusted-root" : s_.secret_name;
  if (const Node* taken = p.VolumeNamed(p.key_volume)) {
    return Fail(taken, fmt::format("volume {} already exists with another source (render would make it {} {})", p.key_volume,
                                   p.keyless ? "ConfigMap" : "secret", source));
  }
  p.new_volumes.push_back(p.keyless ? Map({{"name", Str(p.key_volume)}, {"configMap", Map({{"name", Str(source)}})}})
                                    : Map({{"name", Str(p.key_volume)},
                                           {"secret", Map({{"secretName", Str(s_.secret_name)}, {"defaultMode", Octal(0444)}})}}));
  return Ok{};
}

// The verifier: an existing one is kept and completed; else a new one goes first. Among several
// named like the verifier, the one running render's image, else one already mounting the key,
// else the first (never an impostor when the real one is there). The model volume is the one
// it mounts at the model directory, else render's (an emptyDir bounded by sizeLimit: the node's
// ephemeral storage, a pod past it is evicted).
void Injector::PlanVerifier(const PodSpecRef& ps, PodPlan& p) {
  int best = -1;
  const Node* inits = ps.spec->Get("initContainers");
  for (const Node* c : inits != nullptr && inits->IsSequence() ? inits->items() : std::vector<const Node*>{}) {
    auto name = StringAt(c, "name");
    if (!name || !re2::RE2::PartialMatch(*name, pattern_)) continue;
    int rank = StringAt(c, "image") == std::optional<std::string_view>(s_.image) ? 2 : MountsVolume(c, p.key_volume) ? 1 : 0;
    if (rank > best) {
      best = rank;
      p.verifier = c;
    }
  }
  p.model_volume = s_.model_volume;
  if (const Node* mounts = p.verifier != nullptr ? p.verifier->Get("volumeMounts") : nullptr; mounts != nullptr && mounts->IsSequence()) {
    for (const Node* m : mounts->items()) {
      if (StringAt(m, "mountPath") == std::optional<std::string_view>(p.model_dir) && StringAt(m, "name")) {
        p.model_volume = std::string(*StringAt(m, "name"));
      }
    }
  }
  if (p.VolumeNamed(p.model_volume) == nullptr) {
    YNode empty_dir = s_.model_volume_size_limit.empty() ? Map({}) : Map({{"sizeLimit", Str(s_.model_volume_size_limit)}});
    p.new_volumes.push_back(Map({{"name", Str(p.model_volume)}, {"emptyDir", std::move(empty_dir)}}));
  }
}

// An existing verifier: its mounts, image, arguments (a command is dropped: the image's
// entrypoint is verify-and-fetch, AEGIS008) and a mounted claim are brought to what render asks.
Status Injector::CompleteVerifier(const PodSpecRef& ps, PodPlan& p) {
  const Node* verifier = p.verifier;
  AEGIS_TRY(EnsureMounts(verifier, {Mount{p.model_volume, p.model_dir, false, false}, Mount{p.key_volume, p.key_dir, true, true}},
                         "the verify initContainer"));
  if (verifier->Get("image") == nullptr) {
    // A container without image is invalid, and no policy can tell it from `busybox true`.
    auto image = ImageToWrite(verifier);
    if (!image) return image.error();
    AEGIS_TRY(editor_.InsertKey(verifier, "image", Quoted(*image)));
  } else {
    AEGIS_TRY(ReconcileImage(verifier, p.where));
  }
  bool command_dropped = false;
  if (const Node* command = verifier->Get("command"); command != nullptr) {
    out_.notes.push_back({command->mark(), fmt::format("{}: verifier command removed (the image's own runs: a locked "
                                                       "verifier takes only its arguments)",
                                                       p.where)});
    AEGIS_TRY(editor_.DeleteKeyLine(verifier, "command"));
    command_dropped = true;
  }
  if (verifier->Get("args") == nullptr && (verifier->Get("command") == nullptr || command_dropped)) {
    // A verifier told nothing would fetch nothing: give it the artifact and model directory.
    auto artifact = Artifact(ps);
    if (!artifact) return artifact.error();
    std::vector<YNode> args;
    if (HfRevisionPinned(*artifact) == std::optional<bool>(false)) args.push_back(Quoted("--allow-unpinned-revision"));
    args.push_back(Quoted(*artifact));
    args.push_back(Quoted(p.model_dir));
    AEGIS_TRY(editor_.InsertKey(verifier, "args", Seq(std::move(args), true)));
  } else {
    AEGIS_TRY(ReconcileVerifier(ps, verifier, p.where));
  }
  auto pvc_volume = PvcVolume(ps, p.volume_items, p.new_volumes);
  if (!pvc_volume) return pvc_volume.error();
  if (!pvc_volume->empty()) {
    AEGIS_TRY(EnsureMounts(verifier, {Mount{*pvc_volume, std::string(kPvcMountDir), true, false}}, "the verify initContainer"));
  }
  auto image = StringAt(verifier, "image");
  bool replaced = s_.image_given || !image || (s_.image_refusal && s_.image_refusal(*image));
  out_.verifier_images.push_back(replaced ? s_.image : std::string(*image));
  return Ok{};
}

// A new verifier's hardened securityContext.
YNode Injector::VerifierSecurityContext() const {
  std::vector<std::pair<std::string, YNode>> security = {{"runAsNonRoot", Raw("true")}};
  if (s_.fixed_uid) security.push_back({"runAsUser", Raw("65532")});
  security.push_back({"allowPrivilegeEscalation", Raw("false")});
  security.push_back({"readOnlyRootFilesystem", Raw("true")});
  security.push_back({"capabilities", Map({{"drop", Seq({Quoted("ALL")}, true)}})});
  security.push_back({"seccompProfile", Map({{"type", Str("RuntimeDefault")}}, true)});
  return Map(std::move(security));
}

// A new verifier's environment: the trust policy and keyless settings, KServe's S3 settings of
// the service account (noted), --env-from-secret.
void Injector::AddVerifierEnv(const PodSpecRef& ps, const PodPlan& p, std::vector<std::pair<std::string, YNode>>& fields) {
  std::vector<YNode> env;
  for (const EnvVar& e : TrustEnv()) env.push_back(EnvEntry(e));
  if (auto kserve = KServeStorageEnv(ps)) {
    for (const EnvVar& e : kserve->env) env.push_back(EnvEntry(e));
    out_.notes.push_back({ps.spec->mark(), fmt::format("{}: verifier env: the S3 settings of secret {} (service account "
                                                       "{}), as KServe gives them to its storage-initializer",
                                                       p.where, fmt::join(kserve->secrets, ", "), kserve->service_account)});
  }
  if (!env.empty()) fields.emplace_back("env", Seq(std::move(env)));
  if (!s_.env_from_secret.empty()) {
    fields.emplace_back("envFrom", Seq({Map({{"secretRef", Map({{"name", Str(s_.env_from_secret)}}, true)}})}));
  }
}

// No verifier yet: a new one, first among the initContainers.
Status Injector::AddVerifier(const PodSpecRef& ps, PodPlan& p) {
  auto image = ImageToWrite(ps.spec);
  if (!image) return image.error();
  out_.verifier_images.push_back(*image);
  auto artifact = Artifact(ps);
  if (!artifact) return artifact.error();
  std::vector<YNode> mounts = {Map({{"name", Str(p.model_volume)}, {"mountPath", Str(p.model_dir)}}),
                               Map({{"name", Str(p.key_volume)}, {"mountPath", Str(p.key_dir)}, {"readOnly", Raw("true")}})};
  auto pvc_volume = PvcVolume(ps, p.volume_items, p.new_volumes);
  if (!pvc_volume) return pvc_volume.error();
  if (!pvc_volume->empty()) {
    mounts.push_back(Map({{"name", Str(*pvc_volume)}, {"mountPath", Str(std::string(kPvcMountDir))}, {"readOnly", Raw("true")}}));
  }
  std::vector<YNode> args;
  if (!p.keyless && s_.key_dir != "/etc/cosign") args.push_back(Quoted("--key=" + s_.key_dir));
  if (HfRevisionPinned(*artifact) == std::optional<bool>(false)) args.push_back(Quoted("--allow-unpinned-revision"));
  args.push_back(Quoted(*artifact));
  args.push_back(Quoted(p.model_dir));
  std::vector<std::pair<std::string, YNode>> fields = {
      {"name", Str(s_.init_name)},
      {"image", Str(s_.image)},
      {"args", Seq(args, true)},
      {"terminationMessagePolicy", Str("FallbackToLogsOnError")},
      {"volumeMounts", Seq(std::move(mounts))},
      {"securityContext", VerifierSecurityContext()},
      {"resources", Map({{"requests", Map({{"cpu", Str("100m")}, {"memory", Str("64Mi")}}, true)},
                         {"limits", Map({{"cpu", Quoted("1")}, {"memory", Str("256Mi")}}, true)}})},
  };
  AddVerifierEnv(ps, p, fields);
  AEGIS_TRY(editor_.AddToList(ps.spec, "initContainers", {Map(std::move(fields))}));
  if (obj_.group == "serving.knative.dev") {
    out_.notes.push_back({ps.spec->mark(), fmt::format("{}: Knative Serving accepts initContainers only with the "
                                                       "feature flag kubernetes.podspec-init-containers: enabled "
                                                       "(ConfigMap config-features in knative-serving)",
                                                       p.where)});
  } else if (obj_.kind == "InferenceService") {
    // KServe's default (Serverless) mode makes a Knative Service of the component first.
    out_.notes.push_back({ps.spec->mark(), fmt::format("{}: in KServe's Serverless mode Knative accepts the verifier "
                                                       "only with kubernetes.podspec-init-containers: enabled "
                                                       "(config-features); KServe-native delivery needs no flag",
                                                       p.where)});
  }
  return Ok{};
}

// Every serving container reads the verified copy, read-only (or its claim's mount is taken over).
Status Injector::MountModel(const PodSpecRef& ps, const PodPlan& p) {
  if (p.serving.empty()) out_.notes.push_back({ps.spec->mark(), fmt::format("{}: no serving container to mount the model into", p.where)});
  for (const Node* c : p.serving) {
    auto name = StringAt(c, "name");
    std::string what = fmt::format("container {}", name ? std::string(*name) : "model");
    auto taken_over = TakeOverPvcMount(ps, c, p.volume_items, p.model_dir, p.model_volume, what);
    if (!taken_over) return taken_over.error();
    if (*taken_over) continue;
    AEGIS_TRY(EnsureMounts(c, {Mount{p.model_volume, p.model_dir, true, false}}, what));
  }
  return Ok{};
}

// KServe's storage-initializer must not download the model a second time.
Status Injector::DropStorageUri(const PodSpecRef& ps, const std::string& where) {
  for (const Node* place : ModelPlaces(ps.spec)) {
    if (place->Get("storageUri") == nullptr) continue;
    AEGIS_TRY(editor_.DeleteKeyLine(place, "storageUri"));
    out_.notes.push_back(
        {place->Get("storageUri")->mark(),
         KServeStorageEnv(ps) || pvc_claims_.count(ps.component) != 0
             ? fmt::format("{}: storageUri removed: the verifier replaces KServe's storage-initializer", where)
             : fmt::format("{}: storageUri removed: the verifier replaces KServe's storage-initializer (the S3 "
                           "settings KServe takes from the service account's secret annotations do not reach it: "
                           "put the ServiceAccount and its Secret in render's input to have them translated, or "
                           "--env-from-secret, or workload identity)",
                           where)});
  }
  return Ok{};
}

Status Injector::InjectPodSpec(const PodSpecRef& ps) {
  AEGIS_TRY(CheckEditable(ps));
  AEGIS_TRY(RefuseOtherDownloads(ps));
  PodPlan p;
  p.where = ps.component.empty() ? subject_ : fmt::format("{} ({})", subject_, ps.component);
  p.serving = ServingContainers(ps);
  auto model_dir = ServingModelDir(ps, p.serving);
  if (!model_dir) return model_dir.error();
  p.model_dir = *model_dir;
  const Node* vols = ps.spec->Get("volumes");
  if (vols != nullptr && vols->IsSequence()) p.volume_items = vols->items();
  AEGIS_TRY(PlanTrustVolume(p));
  PlanVerifier(ps, p);
  AEGIS_TRY(p.verifier != nullptr ? CompleteVerifier(ps, p) : AddVerifier(ps, p));
  if (!p.new_volumes.empty()) AEGIS_TRY(editor_.AddToList(ps.spec, "volumes", p.new_volumes));
  AEGIS_TRY(StorageSettings(ps, p.verifier, p.where));
  AEGIS_TRY(MountModel(ps, p));
  if (ps.shape == SpecShape::kKServeComponent) AEGIS_TRY(DropStorageUri(ps, p.where));
  return Ok{};
}

Expected<ObjectEdits> Injector::Run() {
  subject_ = obj_.Display();
  editor_.SetSubject(subject_);
  PodSpecs specs = LocatePodSpecs(obj_);
  if (specs.coverage != Coverage::kChecked) return out_;
  if (obj_.root->anchored()) return Fail(obj_.root, "the object has an anchor: edit it by hand");
  if (obj_.kind == "LLMInferenceService") {
    if (auto st = TakeOverLLMDownload(); !st) return st.error();
  }
  if (const Node* uri = obj_.root->Path({"spec", "model", "storageUri"}); obj_.kind == "TrainedModel" && uri != nullptr) {
    return Fail(uri, "a TrainedModel is loaded into a running server by KServe's model agent, which verifies "
                     "nothing, and has no pod to put the verifier in: serve the model from its own "
                     "InferenceService, whose verifier fetches it");
  }
  for (const PodSpecRef& ps : specs.specs) {
    auto st = ServedNatively(ps) ? InjectNative(ps) : InjectPodSpec(ps);
    if (!st) return st.error();
  }
  out_.edits = editor_.TakeEdits();
  return out_;
}

}  // namespace aegis::render::internal

namespace aegis::render {

Expected<ObjectEdits> InjectObject(const ObjectRef& obj, const std::string& file, std::string_view text,
                                   const yaml::TextIndex& index, const RenderSettings& settings,
                                   const re2::RE2& pattern) {
  return internal::Injector(obj, file, text, index, settings, pattern).Run();
}

}  // namespace aegis::render
