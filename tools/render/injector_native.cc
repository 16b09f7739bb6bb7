// KServe-native rendering (docs/RENDER.md, "KServe-native"): an InferenceService component
// whose every model source the Aegis ClusterStorageContainer serves keeps its storageUri. Render
// names that container (storageContainerName, KServe >= 0.20: KServe then selects it by name)
// and gives the component the key volume, mounted read-only in its server: the storage
// initializer KServe injects mounts it, and in Serverless mode Knative refuses a volume that no
// container of the Service it validates mounts ("volume with name … not mounted").
#include <fmt/format.h>

#include <algorithm>

#include "manifest/kserve_model.h"
#include "render/injector_impl.h"

namespace aegis::render::internal {

namespace {

// A source KServe's initializer takes from a model spec or framework key (the component itself
// has no storageUri field in KServe's v1beta1 API), or a container's STORAGE_URI when no name is
// required (a container cannot name one).
bool Served(const ModelSource& s, const RenderSettings::KServeNative& native) {
  if (s.field == "STORAGE_URI") {
    if (!native.storage_container.empty() || !s.uri) return false;
  } else if (s.place.key.empty()) {
    return false;
  }
  if (s.field == "storage") return !native.storage_container.empty();
  if (!s.uri) return false;
  return std::any_of(native.prefixes.begin(), native.prefixes.end(),
                     [&](const std::string& prefix) { return s.uri->starts_with(prefix); });
}

bool HasStorageInitializer(const Node* spec) {
  const Node* inits = spec->Get("initContainers");
  if (inits == nullptr || !inits->IsSequence()) return false;
  return std::any_of(inits->items().begin(), inits->items().end(), [](const Node* c) {
    return StringAt(c, "name") == std::optional<std::string_view>("storage-initializer");
  });
}

}  // namespace

bool Injector::ServedNatively(const PodSpecRef& ps) const {
  if (ps.shape != SpecShape::kKServeComponent || s_.kserve_native.prefixes.empty() || ps.spec == nullptr) return false;
  if (ps.sources_from != nullptr) return ServedNatively(PodSpecRef{"predictor", "", ps.sources_from, ps.mark, ps.shape});
  std::vector<ModelSource> sources = KServeModelSources(ps.spec);
  return !sources.empty() && !HasStorageInitializer(ps.spec) &&
         std::all_of(sources.begin(), sources.end(), [&](const ModelSource& s) { return Served(s, s_.kserve_native); });
}

Status Injector::InjectNative(const PodSpecRef& ps) {
  if (ps.sources_from != nullptr) return Ok{};  // multi-node workers: the predictor's initializer serves them
  std::string where = fmt::format("{} ({})", subject_, ps.component);
  if (ps.spec->anchored()) return Fail(ps.spec, "the pod spec has an anchor (aliases share it): edit it by hand");
  editor_.DetectStyle(ps.spec, nullptr);
  const std::string& name = s_.kserve_native.storage_container;
  const Node* server = nullptr;  // where the model is served from: the first place holding a source
  for (const ModelPlace& place : KServePlaces(ps.spec)) {
    if (place.node->Get("storageUri") == nullptr && place.node->Get("storage") == nullptr) continue;
    if (server == nullptr) server = place.key.empty() ? nullptr : place.node;
    if (name.empty()) continue;
    if (const Node* named = place.node->Get("storageContainerName"); named != nullptr) {
      if (named->AsString() != std::optional<std::string_view>(name)) {
        return Fail(named, fmt::format("{} names another ClusterStorageContainer; the policy requires {} (KServe-native)",
                                       Prefixed(place.key, "storageContainerName"), name));
      }
      continue;
    }
    if (auto st = editor_.InsertKey(place.node, "storageContainerName", Str(name)); !st) return st;
    out_.notes.push_back({place.node->mark(), fmt::format("{}: {} keeps its model source, served by ClusterStorageContainer "
                                                          "{} (storageContainerName, KServe >= 0.20)",
                                                          where, place.key.empty() ? "the component" : place.key, name)});
  }
  if (server == nullptr) {  // the component's own storageUri: its first container serves
    const Node* cs = ps.spec->Get("containers");
    if (cs != nullptr && cs->IsSequence() && !cs->items().empty()) server = cs->items().front();
  }
  auto volume = KeyVolume(ps);
  if (!volume) return volume.error();
  if (server == nullptr) return Fail(ps.spec, fmt::format("{}: no container to mount the key volume in", where));
  return EnsureMounts(server, {{*volume, s_.key_dir, true, true}}, "the model server");
}

Expected<std::string> Injector::KeyVolume(const PodSpecRef& ps) {
  const Node* vols = ps.spec->Get("volumes");
  std::vector<const Node*> items = vols != nullptr && vols->IsSequence() ? vols->items() : std::vector<const Node*>{};
  for (const Node* v : items) {
    if (StringAt(v->IsMapping() ? v->Get("secret") : nullptr, "secretName") == std::optional<std::string_view>(s_.secret_name) &&
        StringAt(v, "name")) {
      return std::string(*StringAt(v, "name"));
    }
  }
  for (const Node* v : items) {
    if (StringAt(v, "name") == std::optional<std::string_view>(s_.secret_name)) {
      return Fail(v, fmt::format("volume {} already exists with another source (render would make it secret {})",
                                 s_.secret_name, s_.secret_name));
    }
  }
  YNode volume = Map({{"name", Str(s_.secret_name)},
                      {"secret", Map({{"secretName", Str(s_.secret_name)}, {"defaultMode", Octal(0444)}})}});
  if (auto st = editor_.AddToList(ps.spec, "volumes", {volume}); !st) return st.error();
  return s_.secret_name;
}

}  // namespace aegis::render::internal
