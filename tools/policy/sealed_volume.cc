#include "policy/sealed_volume.h"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "policy/pod_fields.h"

namespace aegis {

using pod_fields::AtOrUnder;
using pod_fields::Container;
using pod_fields::Has;
using pod_fields::IsTrue;
using pod_fields::ItemsAt;
using pod_fields::StringAt;

namespace {

constexpr std::string_view kProvision = "kserve-provision-location";  // KServe's model volume
constexpr std::string_view kKServeModelDir = "/mnt/models";
constexpr std::string_view kModelFlags[] = {"--model-repository", "--model-store", "--model_base_path", "--model-dir",
                                            "--model_dir", "--model-path", "--model", "--model-id"};

bool IsModelFlag(std::string_view s) { return std::find(std::begin(kModelFlags), std::end(kModelFlags), s) != std::end(kModelFlags); }

bool HasSubPath(const yaml::Node* m) {
  for (std::string_view key : {"subPath", "subPathExpr"}) {
    auto s = StringAt(m, key);
    if (s && !s->empty()) return true;
  }
  return false;
}

// (flag, absolute path) pairs of a container's command and args: `--flag=value`, `--flag value`.
std::set<std::pair<std::string, std::string>> ModelPaths(const yaml::Node* c) {
  std::set<std::pair<std::string, std::string>> out;
  for (std::string_view list : {"args", "command"}) {
    std::vector<const yaml::Node*> items = ItemsAt(c, list);
    for (size_t i = 0; i < items.size(); ++i) {
      auto a = items[i]->AsString();
      if (!a) continue;
      if (IsModelFlag(*a) && i + 1 < items.size()) {
        if (auto v = items[i + 1]->AsString(); v && v->starts_with("/")) out.emplace(*a, *v);
      }
      for (std::string_view f : kModelFlags) {
        if (a->size() > f.size() && a->starts_with(f) && (*a)[f.size()] == '=') {
          std::string_view v = a->substr(f.size() + 1);
          if (v.starts_with("/")) out.emplace(f, v);
        }
      }
    }
  }
  return out;
}

bool VolumeSealed(const yaml::Node* spec, const std::string& name) {
  for (const yaml::Node* v : ItemsAt(spec, "volumes")) {
    if (StringAt(v, "name") == std::optional<std::string_view>(name) && (Has(v, "emptyDir") || Has(v, "ephemeral"))) {
      return true;
    }
  }
  return false;
}

// Every container but the allowed verifiers: initContainers, the serving containers (with a
// KServe component's model places), ephemeralContainers.
std::vector<Container> OtherContainers(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers) {
  std::vector<Container> out;
  for (const yaml::Node* c : ItemsAt(ref.spec, "initContainers")) {
    if (!c->IsMapping() || std::find(verifiers.begin(), verifiers.end(), c) != verifiers.end()) continue;
    out.push_back({fmt::format("initContainer {}", pod_fields::ContainerName(c)), c});
  }
  for (Container& c : pod_fields::ServingContainers(ref)) out.push_back(std::move(c));
  for (const yaml::Node* c : ItemsAt(ref.spec, "ephemeralContainers")) {
    if (c->IsMapping()) out.push_back({fmt::format("ephemeralContainer {}", pod_fields::ContainerName(c)), c});
  }
  return out;
}

bool ReadsSealed(const yaml::Node* c, const std::set<std::string>& written, std::string_view path) {
  for (const yaml::Node* m : ItemsAt(c, "volumeMounts")) {
    auto vol = StringAt(m, "name");
    auto at = StringAt(m, "mountPath");
    if (vol && at && written.count(std::string(*vol)) > 0 && AtOrUnder(path, *at)) return true;
  }
  return false;
}

}  // namespace

void CheckSealedVolume(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                       const std::string& subject, std::vector<Violation>& out) {
  std::set<std::string> found;
  std::set<std::string> written =
      pod_fields::WrittenVolumes(verifiers, pod_fields::KeyVolumes(ref.spec, p.secret_name).names);
  std::set<std::string> sealed = written;
  if (ref.shape == SpecShape::kKServeComponent) sealed.emplace(kProvision);
  for (const std::string& w : written) {
    if (!VolumeSealed(ref.spec, w)) {
      found.insert(fmt::format("the verifier writes volume {}, which is not an emptyDir or ephemeral volume: something "
                               "else may write it",
                               w));
    }
  }
  for (const Container& c : OtherContainers(ref, verifiers)) {
    for (const yaml::Node* m : ItemsAt(c.node, "volumeMounts")) {
      auto vol = StringAt(m, "name");
      if (!vol || sealed.count(std::string(*vol)) == 0) continue;
      if (!IsTrue(m, "readOnly")) {
        found.insert(fmt::format("{} mounts the model volume {} writable: only the verifier may write it", c.name, *vol));
      }
      if (HasSubPath(m)) found.insert(fmt::format("{} mounts the model volume {} with a subPath: mount it whole", c.name, *vol));
    }
  }
  if (!written.empty()) {
    for (const Container& c : pod_fields::ServingContainers(ref)) {
      for (const auto& [flag, path] : ModelPaths(c.node)) {
        if (ReadsSealed(c.node, written, path)) continue;
        found.insert(fmt::format("{} reads its model from {} ({}), not from the volume the verifier writes", c.name, path, flag));
      }
    }
  }
  for (const std::string& f : found) {
    out.push_back({"AEGIS009", ref.component, ref.mark, fmt::format("{}: {}", subject, f),
                   "let only the verifier write the model volume (an emptyDir); mount it read-only and whole elsewhere"});
  }
}

void CheckServingRuntime(const ObjectRef& obj, std::vector<Violation>& out) {
  const yaml::Node* spec = obj.root->Get("spec");
  if (spec == nullptr || !spec->IsMapping()) return;
  for (auto [component, node] : {std::pair<std::string, const yaml::Node*>{"", spec}, {"workerSpec", spec->Get("workerSpec")}}) {
    if (node == nullptr || !node->IsMapping()) continue;
    std::string subject = obj.Display() + (component.empty() ? "" : fmt::format(" ({})", component));
    std::set<std::string> found;
    std::vector<Container> containers;
    for (const char* list : {"containers", "initContainers"}) {
      for (const yaml::Node* c : ItemsAt(node, list)) {
        if (c->IsMapping()) {
          containers.push_back({fmt::format("{} {}", list == std::string_view("containers") ? "container" : "initContainer",
                                            pod_fields::ContainerName(c)),
                                c});
        }
      }
    }
    for (const Container& c : containers) {
      for (const yaml::Node* m : ItemsAt(c.node, "volumeMounts")) {
        auto vol = StringAt(m, "name");
        if (!vol) continue;
        auto at = StringAt(m, "mountPath");
        if (*vol != kProvision && at && AtOrUnder(*at, kKServeModelDir)) {
          found.insert(fmt::format("{} mounts volume {} at {}, at or under KServe's model directory {}: it would shadow "
                                   "the verified model",
                                   c.name, *vol, *at, kKServeModelDir));
        }
        if (*vol != kProvision) continue;
        if (!IsTrue(m, "readOnly")) found.insert(fmt::format("{} mounts {} writable: only the verifier may write it", c.name, kProvision));
        if (HasSubPath(m)) found.insert(fmt::format("{} mounts {} with a subPath: mount it whole", c.name, kProvision));
      }
      for (const auto& [flag, path] : ModelPaths(c.node)) {
        if (AtOrUnder(path, kKServeModelDir)) continue;
        found.insert(fmt::format("{} reads its model from {} ({}), outside KServe's model directory {}", c.name, path, flag,
                                 kKServeModelDir));
      }
    }
    for (const std::string& f : found) {
      out.push_back({"AEGIS009", component, obj.mark, fmt::format("{}: {}", subject, f),
                     "mount nothing at or under /mnt/models but kserve-provision-location, read-only and whole"});
    }
  }
}

}  // namespace aegis
