#include "policy/model_rules.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "manifest/kserve_model.h"
#include "policy/pod_fields.h"

namespace aegis {

using pod_fields::AtOrUnder;
using pod_fields::Container;
using pod_fields::ListAt;
using pod_fields::ServingContainers;
using pod_fields::StringAt;

namespace {

constexpr std::string_view kUnverified = "is downloaded by KServe's storage initializer, unverified";

// The ClusterStorageContainer a source's place names (KServe >= 0.20), if any.
std::optional<std::string_view> NamedContainer(const ModelSource& s) {
  if (s.place.node == nullptr) return std::nullopt;
  return StringAt(s.place.node, "storageContainerName");
}

// Served by the Aegis ClusterStorageContainer: a URI under a served prefix, or — with
// storageContainerName required — a storage spec whose place names that container (its
// placeholder URI matches no container by URI; only the name selects one).
bool Delivered(const ModelSource& s, const Parameters& p) {
  if (s.field == "storage" && !p.storage_container_name.empty()) {
    return NamedContainer(s) == std::optional<std::string_view>(p.storage_container_name);
  }
  if (!s.uri) return false;
  return std::any_of(p.verified_storage_uri_prefixes.begin(), p.verified_storage_uri_prefixes.end(),
                     [&](const std::string& prefix) { return s.uri->starts_with(prefix); });
}

}  // namespace

bool KServeNative(const PodSpecRef& ref, const Parameters& p) {
  const yaml::Node* where = ref.sources_from != nullptr ? ref.sources_from : ref.spec;
  if (ref.shape != SpecShape::kKServeComponent || where == nullptr || p.verified_storage_uri_prefixes.empty()) {
    return false;
  }
  std::vector<ModelSource> sources = KServeModelSources(where);
  return !sources.empty() &&
         std::all_of(sources.begin(), sources.end(), [&](const ModelSource& s) { return Delivered(s, p); });
}

void CheckModelSources(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers,
                       const Parameters& p, const std::string& subject, std::vector<Violation>& out) {
  if (ref.spec == nullptr) return;
  auto add = [&](std::string message) {
    out.push_back({"AEGIS005", ref.component, ref.mark, std::move(message),
                   "move the model URI into the verifier (aegis render), or use the Aegis ClusterStorageContainer"});
  };
  if (const yaml::Node* inits = ListAt(ref.spec, "initContainers")) {
    for (const yaml::Node* c : inits->items()) {
      if (StringAt(c, "name") != std::optional<std::string_view>("storage-initializer")) continue;
      if (std::find(verifiers.begin(), verifiers.end(), c) != verifiers.end()) continue;
      add(fmt::format("{}: initContainer storage-initializer is not an allowed verifier: it downloads the model "
                      "unverified",
                      subject));
    }
  }
  if (ref.shape != SpecShape::kKServeComponent) return;
  std::vector<ModelSource> sources = KServeModelSources(ref.spec);
  for (const ModelSource& s : sources) {
    if (!Delivered(s, p)) add(fmt::format("{}: {} {}", subject, s.what, kUnverified));
  }
  if (p.storage_container_name.empty() || !KServeNative(ref, p)) return;
  // Served by a name: KServe otherwise takes whichever matching ClusterStorageContainer its
  // cache lists first (KServe's own downloader too).
  for (const ModelSource& s : sources) {
    if (NamedContainer(s) == std::optional<std::string_view>(p.storage_container_name)) continue;
    std::string where = s.place.node != nullptr ? Prefixed(s.place.key, "storageContainerName")
                                                : "a model spec's storageContainerName (a container's STORAGE_URI names none)";
    add(fmt::format("{}: {} is served by whichever ClusterStorageContainer KServe lists first for it: set {}: {} "
                    "(KServe >= 0.20)",
                    subject, s.what, where, p.storage_container_name));
  }
}

void CheckObjectSources(const ObjectRef& obj, const Parameters& p, std::vector<Violation>& out) {
  (void)p;
  const yaml::Node* spec = obj.root->Get("spec");
  if (spec == nullptr || !spec->IsMapping()) return;
  const yaml::Node* model = spec->Get("model");
  if (model == nullptr || !model->IsMapping()) return;
  auto add = [&](std::string component, std::string what, std::string_view how) {
    std::string subject = obj.Display() + (component.empty() ? "" : fmt::format(" ({})", component));
    out.push_back({"AEGIS005", component, obj.mark, fmt::format("{}: {} {}", subject, what, how),
                   obj.kind == "TrainedModel"
                       ? "serve this model from its own InferenceService, whose verifier fetches it"
                       : "set spec.storageInitializer.enabled: false and fetch the model through the verifier"});
  };
  auto described = [](std::string_view field, const yaml::Node* n) {
    auto s = n->AsString();
    return s ? fmt::format("{} {}", field, *s) : std::string(field);
  };
  if (obj.kind == "TrainedModel") {
    if (const yaml::Node* uri = model->Get("storageUri"); uri != nullptr && !uri->IsNull()) {
      add("", described("spec.model.storageUri", uri), "is loaded into a running server by KServe's model agent, unverified");
    }
    return;
  }
  if (obj.kind != "LLMInferenceService") return;
  if (const yaml::Node* si = spec->Get("storageInitializer"); si != nullptr && si->IsMapping()) {
    const yaml::Node* enabled = si->Get("enabled");
    if (enabled != nullptr && enabled->AsBool() == std::optional<bool>(false)) return;
  }
  if (const yaml::Node* uri = model->Get("uri"); uri != nullptr && !uri->IsNull()) {
    add("template", described("spec.model.uri", uri), kUnverified);
  }
  if (const yaml::Node* adapters = ListAt(model->Get("lora"), "adapters")) {
    for (const yaml::Node* a : adapters->items()) {
      const yaml::Node* uri = a->IsMapping() ? a->Get("uri") : nullptr;
      if (uri != nullptr && !uri->IsNull()) {
        add("template", described("spec.model.lora.adapters[].uri", uri), kUnverified);
      }
    }
  }
}

void CheckModelMount(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                     const std::string& subject, std::vector<Violation>& out) {
  auto add = [&](std::string message) {
    out.push_back({"AEGIS006", ref.component, ref.mark, std::move(message),
                   "mount the verifier's model volume read-only in the server, and nothing else under that path"});
  };
  std::set<std::string> written =
      pod_fields::WrittenVolumes(verifiers, pod_fields::KeyVolumes(ref.spec, p.secret_name).names);
  if (written.empty()) {
    add(fmt::format("{}: the verifier writes no volume (its mounts are read-only or hold the key)", subject));
    return;
  }
  std::vector<Container> containers = ServingContainers(ref);
  bool consumed = false;
  for (const Container& c : containers) {
    const yaml::Node* mounts = ListAt(c.node, "volumeMounts");
    if (mounts == nullptr) continue;
    for (const yaml::Node* m : mounts->items()) {
      auto name = StringAt(m, "name");
      auto path = StringAt(m, "mountPath");
      if (!name || written.count(std::string(*name)) == 0) continue;
      if (pod_fields::IsTrue(m, "readOnly")) consumed = true;
      if (!path) continue;
      for (const yaml::Node* other : mounts->items()) {
        auto other_name = StringAt(other, "name");
        auto other_path = StringAt(other, "mountPath");
        if (!other_name || !other_path || written.count(std::string(*other_name)) != 0) continue;
        if (!AtOrUnder(*other_path, *path)) continue;
        add(fmt::format("{}: {} mounts volume {} at {}, at or under the verified model at {}: the verified copy "
                        "is shadowed",
                        subject, c.name, *other_name, *other_path, *path));
      }
    }
  }
  if (!consumed) {
    add(fmt::format("{}: no container mounts a volume the verifier writes ({}) read-only", subject,
                    fmt::join(written, ", ")));
  }
}

}  // namespace aegis
