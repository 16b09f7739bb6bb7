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

Status Injector::InjectPodSpec(const PodSpecRef& ps) {
  std::string where = ps.component.empty() ? subject_ : fmt::format("{} ({})", subject_, ps.component);
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
  const Node* parent_key = nullptr;
  size_t dot = 0, start = 0;
  std::string path = ps.path;
  while ((dot = path.find('.', start)) != std::string::npos) {
    parent = parent->Get(path.substr(start, dot - start));
    start = dot + 1;
    // An anchored ancestor is shared by its aliases: an edit would land in every object
    // that aliases it (and twice in this file), so it is not edited.
    if (parent != nullptr && parent->anchored()) {
      return Fail(parent, fmt::format("{} has an anchor (aliases share it): edit it by hand", path.substr(0, dot)));
    }
  }
  parent_key = parent != nullptr ? parent->KeyNode(path.substr(start)) : nullptr;
  editor_.DetectStyle(ps.spec, parent_key);

  if (auto st = RefuseOtherDownloads(ps); !st) return st;
  std::vector<const Node*> serving = ServingContainers(ps);
  // KServe's model directory for its components and LLM workloads; else the server's own.
  std::string model_dir = "/mnt/models";
  if (ps.shape == SpecShape::kPodSpec && obj_.kind != "LLMInferenceService") {
    auto dir = ModelDir(serving);
    if (!dir) return dir.error();
    model_dir = *dir;
  }
  // A serving container that mounts something else under the model directory reads that,
  // not the verified copy.
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

  // The key volume: reuse any volume sourcing the secret.
  const Node* vols = ps.spec->Get("volumes");
  if (vols != nullptr && !vols->IsSequence() && !vols->IsNull()) return Fail(vols, "volumes is not a list");
  std::vector<const Node*> volume_items = vols != nullptr && vols->IsSequence() ? vols->items() : std::vector<const Node*>{};
  auto volume_named = [&](std::string_view name) -> const Node* {
    for (const Node* v : volume_items)
      if (StringAt(v, "name") == std::optional<std::string_view>(name)) return v;
    return nullptr;
  };
  // The trust volume: the key Secret, or (keyless) the trusted root's ConfigMap; any volume
  // sourcing it is reused.
  const bool keyless = !s_.keyless.config_map.empty();
  const char* source_key = keyless ? "configMap" : "secret";
  const std::string& source = keyless ? s_.keyless.config_map : s_.secret_name;
  std::string key_volume;
  for (const Node* v : volume_items) {
    bool direct = StringAt(v->IsMapping() ? v->Get(source_key) : nullptr, keyless ? "name" : "secretName") ==
                  std::optional<std::string_view>(source);
    bool projected = false;
    if (const Node* src = v->IsMapping() ? v->Path({"projected", "sources"}) : nullptr; src && src->IsSequence()) {
      for (const Node* e : src->items())
        projected = projected || StringAt(e->IsMapping() ? e->Get(source_key) : nullptr, "name") ==
                                     std::optional<std::string_view>(source);
    }
    if ((direct || projected) && StringAt(v, "name")) {
      key_volume = std::string(*StringAt(v, "name"));
      break;
    }
  }
  std::vector<YNode> new_volumes;
  if (key_volume.empty()) {
    key_volume = keyless ? "sigstore-trusted-root" : s_.secret_name;
    if (const Node* taken = volume_named(key_volume)) {
      return Fail(taken, fmt::format("volume {} already exists with another source (render would make it {} {})", key_volume,
                                     keyless ? "ConfigMap" : "secret", source));
    }
    new_volumes.push_back(
        keyless ? Map({{"name", Str(key_volume)}, {"configMap", Map({{"name", Str(source)}})}})
                : Map({{"name", Str(key_volume)},
                       {"secret", Map({{"secretName", Str(s_.secret_name)}, {"defaultMode", Octal(0444)}})}}));
  }
  const std::string key_dir = keyless ? std::string(kTrustedRootDir) : s_.key_dir;

  // The verifier: an existing one is kept and completed; else a new one goes first. Among
  // several named like the verifier, the one running render's image, else one already
  // mounting the key, else the first (never an impostor when the real one is there).
  const Node* verifier = nullptr;
  int best = -1;
  const Node* inits = ps.spec->Get("initContainers");
  if (inits != nullptr && inits->IsSequence()) {
    for (const Node* c : inits->items()) {
      auto name = StringAt(c, "name");
      if (!name || !re2::RE2::PartialMatch(*name, pattern_)) continue;
      int rank = StringAt(c, "image") == std::optional<std::string_view>(s_.image) ? 2 : MountsVolume(c, key_volume) ? 1 : 0;
      if (rank > best) {
        best = rank;
        verifier = c;
      }
    }
  }
  std::string model_volume = s_.model_volume;
  if (verifier != nullptr) {
    if (const Node* mounts = verifier->Get("volumeMounts"); mounts != nullptr && mounts->IsSequence()) {
      for (const Node* m : mounts->items()) {
        if (StringAt(m, "mountPath") == std::optional<std::string_view>(model_dir) && StringAt(m, "name")) {
          model_volume = std::string(*StringAt(m, "name"));
        }
      }
    }
  }
  if (volume_named(model_volume) == nullptr) {
    // Bounded: the model volume is the node's ephemeral storage (a pod past it is evicted).
    YNode empty_dir = s_.model_volume_size_limit.empty() ? Map({}) : Map({{"sizeLimit", Str(s_.model_volume_size_limit)}});
    new_volumes.push_back(Map({{"name", Str(model_volume)}, {"emptyDir", std::move(empty_dir)}}));
  }

  Mount key_mount{key_volume, key_dir, true, true};
  Mount model_mount{model_volume, model_dir, false, false};
  if (verifier != nullptr) {
    auto st = EnsureMounts(verifier, {model_mount, key_mount}, "the verify initContainer");
    if (!st) return st;
    if (verifier->Get("image") == nullptr) {
      // A container without image is invalid, and no policy can tell it from `busybox true`.
      auto image = ImageToWrite(verifier);
      if (!image) return image.error();
      st = editor_.InsertKey(verifier, "image", Quoted(*image));
    } else {
      st = ReconcileImage(verifier, where);
    }
    if (!st) return st;
    // The image's entrypoint is verify-and-fetch: a command is another program (AEGIS008).
    bool command_dropped = false;
    if (const Node* command = verifier->Get("command"); command != nullptr) {
      out_.notes.push_back({command->mark(), fmt::format("{}: verifier command removed (the image's own runs: a locked "
                                                         "verifier takes only its arguments)",
                                                         where)});
      st = editor_.DeleteKeyLine(verifier, "command");
      if (!st) return st;
      command_dropped = true;
    }
    if (verifier->Get("args") == nullptr && (verifier->Get("command") == nullptr || command_dropped)) {
      // A verifier told nothing would fetch nothing: give it the artifact and model directory.
      auto artifact = Artifact(ps);
      if (!artifact) return artifact.error();
      std::vector<YNode> args;
      if (HfRevisionPinned(*artifact) == std::optional<bool>(false)) args.push_back(Quoted("--allow-unpinned-revision"));
      args.push_back(Quoted(*artifact));
      args.push_back(Quoted(model_dir));
      st = editor_.InsertKey(verifier, "args", Seq(std::move(args), true));
      if (!st) return st;
    } else {
      st = ReconcileVerifier(ps, verifier, where);
      if (!st) return st;
    }
    auto pvc_volume = PvcVolume(ps, volume_items, new_volumes);
    if (!pvc_volume) return pvc_volume.error();
    if (!pvc_volume->empty()) {
      st = EnsureMounts(verifier, {Mount{*pvc_volume, std::string(kPvcMountDir), true, false}}, "the verify initContainer");
      if (!st) return st;
    }
    auto image = StringAt(verifier, "image");
    bool replaced = s_.image_given || !image || (s_.image_refusal && s_.image_refusal(*image));
    out_.verifier_images.push_back(replaced ? s_.image : std::string(*image));
  } else {
    auto image = ImageToWrite(ps.spec);
    if (!image) return image.error();
    out_.verifier_images.push_back(*image);
    auto artifact = Artifact(ps);
    if (!artifact) return artifact.error();
    std::vector<YNode> verifier_mounts = {
        Map({{"name", Str(model_volume)}, {"mountPath", Str(model_dir)}}),
        Map({{"name", Str(key_volume)}, {"mountPath", Str(key_dir)}, {"readOnly", Raw("true")}})};
    auto pvc_volume = PvcVolume(ps, volume_items, new_volumes);
    if (!pvc_volume) return pvc_volume.error();
    if (!pvc_volume->empty()) {
      verifier_mounts.push_back(
          Map({{"name", Str(*pvc_volume)}, {"mountPath", Str(std::string(kPvcMountDir))}, {"readOnly", Raw("true")}}));
    }
    std::vector<YNode> args;
    if (!keyless && s_.key_dir != "/etc/cosign") args.push_back(Quoted("--key=" + s_.key_dir));
    if (HfRevisionPinned(*artifact) == std::optional<bool>(false)) args.push_back(Quoted("--allow-unpinned-revision"));
    args.push_back(Quoted(*artifact));
    args.push_back(Quoted(model_dir));
    std::vector<std::pair<std::string, YNode>> security = {{"runAsNonRoot", Raw("true")}};
    if (s_.fixed_uid) security.push_back({"runAsUser", Raw("65532")});
    for (auto& entry : std::vector<std::pair<std::string, YNode>>{
             {"allowPrivilegeEscalation", Raw("false")},
             {"readOnlyRootFilesystem", Raw("true")},
             {"capabilities", Map({{"drop", Seq({Quoted("ALL")}, true)}})},
             {"seccompProfile", Map({{"type", Str("RuntimeDefault")}}, true)}}) {
      security.push_back(std::move(entry));
    }
    std::vector<std::pair<std::string, YNode>> fields = {
        {"name", Str(s_.init_name)},
        {"image", Str(s_.image)},
        {"args", Seq(args, true)},
        {"terminationMessagePolicy", Str("FallbackToLogsOnError")},
        {"volumeMounts", Seq(std::move(verifier_mounts))},
        {"securityContext", Map(std::move(security))},
        {"resources", Map({{"requests", Map({{"cpu", Str("100m")}, {"memory", Str("64Mi")}}, true)},
                           {"limits", Map({{"cpu", Quoted("1")}, {"memory", Str("256Mi")}}, true)}})},
    };
    std::vector<YNode> keyless_env;
    for (const EnvVar& e : TrustEnv()) keyless_env.push_back(EnvEntry(e));
    if (auto kserve = KServeStorageEnv(ps)) {
      std::vector<YNode> env = std::move(keyless_env);
      for (const EnvVar& e : kserve->env) env.push_back(EnvEntry(e));
      fields.emplace_back("env", Seq(std::move(env)));
      out_.notes.push_back({ps.spec->mark(), fmt::format("{}: verifier env: the S3 settings of secret {} (service account "
                                                         "{}), as KServe gives them to its storage-initializer",
                                                         where, fmt::join(kserve->secrets, ", "),
                                                         kserve->service_account)});
    } else if (!keyless_env.empty()) {
      fields.emplace_back("env", Seq(std::move(keyless_env)));
    }
    if (!s_.env_from_secret.empty()) {
      fields.emplace_back("envFrom", Seq({Map({{"secretRef", Map({{"name", Str(s_.env_from_secret)}}, true)}})}));
    }
    YNode init = Map(std::move(fields));
    auto st = editor_.AddToList(ps.spec, "initContainers", {init});
    if (!st) return st;
    if (obj_.group == "serving.knative.dev") {
      out_.notes.push_back({ps.spec->mark(), fmt::format("{}: Knative Serving accepts initContainers only with the "
                                                         "feature flag kubernetes.podspec-init-containers: enabled "
                                                         "(ConfigMap config-features in knative-serving)",
                                                         where)});
    } else if (obj_.kind == "InferenceService") {
      // KServe's default (Serverless) mode makes a Knative Service of the component first.
      out_.notes.push_back({ps.spec->mark(), fmt::format("{}: in KServe's Serverless mode Knative accepts the verifier "
                                                         "only with kubernetes.podspec-init-containers: enabled "
                                                         "(config-features); KServe-native delivery needs no flag",
                                                         where)});
    }
  }
  if (!new_volumes.empty()) {
    auto st = editor_.AddToList(ps.spec, "volumes", new_volumes);
    if (!st) return st;
  }
  if (auto st = StorageSettings(ps, verifier, where); !st) return st;
  if (serving.empty()) out_.notes.push_back({ps.spec->mark(), fmt::format("{}: no serving container to mount the model into", where)});
  for (const Node* c : serving) {
    auto name = StringAt(c, "name");
    std::string what = fmt::format("container {}", name ? std::string(*name) : "model");
    auto taken_over = TakeOverPvcMount(ps, c, volume_items, model_dir, model_volume, what);
    if (!taken_over) return taken_over.error();
    if (*taken_over) continue;
    auto st = EnsureMounts(c, {Mount{model_volume, model_dir, true, false}}, what);
    if (!st) return st;
  }
  if (ps.shape == SpecShape::kKServeComponent) {
    // KServe's storage-initializer must not download the model a second time.
    for (const Node* p : ModelPlaces(ps.spec)) {
      if (p->Get("storageUri") == nullptr) continue;
      auto st = editor_.DeleteKeyLine(p, "storageUri");
      if (!st) return st;
      out_.notes.push_back(
          {p->Get("storageUri")->mark(),
           KServeStorageEnv(ps) || pvc_claims_.count(ps.component) != 0
               ? fmt::format("{}: storageUri removed: the verifier replaces KServe's storage-initializer", where)
               : fmt::format("{}: storageUri removed: the verifier replaces KServe's storage-initializer (the S3 "
                             "settings KServe takes from the service account's secret annotations do not reach it: "
                             "put the ServiceAccount and its Secret in render's input to have them translated, or "
                             "--env-from-secret, or workload identity)",
                             where)});
    }
  }
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
