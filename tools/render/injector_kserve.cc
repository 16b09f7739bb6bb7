// The injector's KServe side: where the artifact comes from, what would make KServe download
// the model a second time, and an LLMInferenceService's storage initializer.
#include <re2/re2.h>

#include <fmt/format.h>

#include "manifest/kserve_model.h"
#include "render/injector_impl.h"
#include "util/strings.h"

namespace aegis::render::internal {

Expected<std::string> Injector::PvcArtifact(const PodSpecRef& ps, const std::string& uri, const Node* at, const std::string& where) {
  std::string rest = uri.substr(6);
  size_t slash = rest.find('/');
  std::string claim = rest.substr(0, slash), path = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  static const re2::RE2 kName("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  bool bad_path = path.find("..") != std::string::npos || path.find("//") != std::string::npos || path.starts_with("/");
  if (!re2::RE2::FullMatch(claim, kName) || bad_path) {
    return Fail(at, fmt::format("{} {}: expected pvc://CLAIM[/PATH] (a PersistentVolumeClaim name, a relative path)", where, Quote(uri)));
  }
  pvc_claims_[ps.component] = claim;
  std::string local = std::string(kPvcMountDir) + (path.empty() ? "" : "/" + path);
  if (!pvc_noted_.insert(at).second) return local;
  out_.notes.push_back({at != nullptr ? at->mark() : obj_.mark,
                        fmt::format("{}: {} {}: claim {} mounted read-only into the verifier at {}; the model is copied from {} "
                                    "and verified there",
                                    subject_, where, uri, claim, kPvcMountDir, local)});
  return local;
}

Status Injector::CheckRevision(const std::string& uri, const Node* at, const std::string& where) {
  auto pinned = HfRevisionPinned(uri);
  if (!pinned || *pinned) return Ok{};
  if (!s_.allow_unpinned_revision) {
    return Fail(at, fmt::format("{} {}: the revision is not a commit, and a branch can move between pod starts: pin it "
                                "(hf://OWNER/MODEL:COMMIT, 40 hex digits) or pass --allow-unpinned-revision",
                                where, Quote(uri)));
  }
  if (unpinned_noted_.insert(at).second) {
    out_.notes.push_back({at != nullptr ? at->mark() : obj_.mark,
                          fmt::format("{}: {} {} is not pinned to a commit: the verifier resolves it at each pod start "
                                      "(--allow-unpinned-revision)",
                                      subject_, where, uri)});
  }
  return Ok{};
}

Expected<std::string> Injector::LookUpArtifact(const PodSpecRef& ps) {
  if (!s_.artifact.empty()) {
    if (s_.artifact.starts_with("pvc://")) return PvcArtifact(ps, s_.artifact, nullptr, "--artifact");
    if (!VerifierFetches(s_.artifact)) {
      return Fail(nullptr, fmt::format("--artifact {}: verify-and-fetch fetches s3://, gs://, hf://, oci://, https://, http:// and file:// URIs (and pvc:// claims) only",
                                       Quote(s_.artifact)));
    }
    if (auto st = CheckRevision(s_.artifact, nullptr, "--artifact"); !st) return st.error();
    return s_.artifact;
  }
  const Node* annotations = obj_.root->Path({"metadata", "annotations"});
  if (annotations != nullptr && !annotations->IsMapping()) annotations = nullptr;
  // A component's own annotation (aegis/artifact-uri.transformer) first, then the object's.
  std::string key = fmt::format("{}.{}", kArtifactAnnotation, ps.component);
  const Node* uri_node = annotations != nullptr && !ps.component.empty() ? annotations->Get(key) : nullptr;
  if (uri_node == nullptr) {
    key = std::string(kArtifactAnnotation);
    uri_node = annotations != nullptr ? annotations->Get(key) : nullptr;
  }
  std::string where = fmt::format("annotation {}", key);
  if (uri_node == nullptr && obj_.kind == "LLMInferenceService") {
    // Kept in place (the CRD requires it); spec.storageInitializer.enabled: false stops KServe's download.
    uri_node = obj_.root->Path({"spec", "model", "uri"});
    where = "spec.model.uri";
  }
  if (uri_node == nullptr && obj_.kind == "InferenceService") {
    // The component's own model first (an explainer's is not the predictor's), then the predictor's.
    std::vector<const Node*> owners = {ps.spec};
    if (!ps.component.empty() && ps.component != "predictor") owners.push_back(obj_.root->Path({"spec", "predictor"}));
    for (const Node* owner : owners) {
      if (uri_node != nullptr) continue;
      for (const Node* p : ModelPlaces(owner)) {
        const Node* u = p->Get("storageUri");
        if (u != nullptr && u->AsString()) {
          uri_node = u;
          where = "storageUri";
          break;
        }
      }
    }
  }
  if (uri_node == nullptr || !uri_node->AsString()) {
    return Fail(nullptr, fmt::format("no artifact to verify: pass --artifact, or annotate metadata.annotations[{}]",
                                     kArtifactAnnotation));
  }
  std::string uri(*uri_node->AsString());
  if (uri.starts_with("pvc://")) {
    if (where == "storageUri") moved_.insert(uri_node);
    return PvcArtifact(ps, uri, uri_node, where);
  }
  if (!VerifierFetches(uri)) {
    return Fail(uri_node, fmt::format("{} {}: verify-and-fetch fetches s3://, gs://, hf://, oci://, https://, http:// and file:// URIs (and pvc:// claims) only; "
                                      "copy the signed artifact to one of those, or pass --artifact",
                                      where, Quote(uri)));
  }
  if (auto st = CheckRevision(uri, uri_node, where); !st) return st.error();
  if (where == "storageUri" && moved_.insert(uri_node).second) {
    out_.notes.push_back({uri_node->mark(), fmt::format("{}: storageUri {} moved to the verifier's artifact argument", subject_, uri)});
  }
  return uri;
}

Status Injector::RefuseOtherDownloads(const PodSpecRef& ps) const {
  if (ps.shape != SpecShape::kKServeComponent) return Ok{};
  std::vector<const Node*> places = ModelPlaces(ps.spec);
  const Node* cs = ps.spec->Get("containers");
  for (const Node* c : cs != nullptr && cs->IsSequence() ? cs->items() : std::vector<const Node*>{}) places.push_back(c);
  for (const Node* p : places) {
    if (p == nullptr || !p->IsMapping()) continue;
    for (const char* key : {"storage", "storageUris"}) {
      if (const Node* s = p->Get(key)) {
        return Fail(s, fmt::format("{} makes KServe download the model itself, unverified: replace it with the "
                                   "verifier's artifact (--artifact or the {} annotation)",
                                   key, kArtifactAnnotation));
      }
    }
    const Node* env = p->Get("env");
    for (const Node* e : env != nullptr && env->IsSequence() ? env->items() : std::vector<const Node*>{}) {
      if (StringAt(e, "name") == std::optional<std::string_view>("STORAGE_URI")) {
        return Fail(e, "env STORAGE_URI makes KServe inject its storage-initializer, which downloads the model "
                       "unverified: remove it and give the URI to the verifier (--artifact or the annotation)");
      }
    }
  }
  return Ok{};
}

Status Injector::TakeOverLLMDownload() {
  const Node* spec = obj_.root->Get("spec");
  if (spec == nullptr || !spec->IsMapping()) return Fail(nullptr, "spec is not a mapping");
  if (const Node* adapters = spec->Path({"model", "lora", "adapters"}); adapters != nullptr && adapters->size() > 0) {
    return Fail(adapters, "LoRA adapters are downloaded by KServe's storage initializer, unverified, and the verifier "
                          "fetches one artifact: put the adapters into the signed model archive and remove "
                          "spec.model.lora.adapters");
  }
  if (spec->Get("template") == nullptr) {
    return Fail(spec, "no spec.template: the pod comes from an LLMInferenceServiceConfig, which render does not "
                      "edit; add spec.template with the main container (containers: [{name: main}]) and render again");
  }
  const Node* si = spec->Get("storageInitializer");
  if (si == nullptr) {
    out_.notes.push_back({spec->mark(), fmt::format("{}: spec.storageInitializer.enabled: false: the verifier fetches "
                                                    "spec.model.uri instead of KServe's storage initializer",
                                                    subject_)});
    return editor_.InsertKey(spec, "storageInitializer", Map({{"enabled", Raw("false")}}));
  }
  const Node* enabled = si->IsMapping() ? si->Get("enabled") : nullptr;
  if (enabled != nullptr && enabled->AsBool() == std::optional<bool>(false)) return Ok{};
  return Fail(si, "spec.storageInitializer would download the model unverified next to the verifier: set "
                  "spec.storageInitializer.enabled: false");
}

}  // namespace aegis::render::internal
