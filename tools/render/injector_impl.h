// The injector's parts, shared by its files: injector.cc (the pod spec: verifier, volumes,
// mounts), injector_kserve.cc (the artifact, KServe's own downloads, LLMInferenceService),
// injector_reconcile.cc (an existing verifier brought up to date, storage settings).
#pragma once

#include <re2/re2.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/object.h"
#include "manifest/pod_spec.h"
#include "render/emit.h"
#include "render/injector.h"
#include "render/text_editor.h"

namespace aegis::render::internal {

using yaml::Node;

inline std::optional<std::string_view> StringAt(const Node* m, std::string_view key) {
  const Node* n = m != nullptr && m->IsMapping() ? m->Get(key) : nullptr;
  return n != nullptr ? n->AsString() : std::nullopt;
}

struct Mount {
  std::string volume;
  std::string path;
  bool read_only;
  bool any_path;  // an existing mount of the volume at any path will do
};

// What one pod spec's edit is made of, decided step by step (Injector::InjectPodSpec).
struct PodPlan {
  std::string where;                       // the object (and component) for notes
  std::vector<const Node*> serving;        // the serving containers
  std::string model_dir;                   // where they read the model
  std::vector<const Node*> volume_items;   // the spec's volumes
  std::vector<YNode> new_volumes;          // volumes render adds
  bool keyless = false;
  std::string key_volume, key_dir;         // the trust material's volume and mount path
  const Node* verifier = nullptr;          // an existing verifier, or null (one is added)
  std::string model_volume;
  const Node* VolumeNamed(std::string_view name) const;
};

class Injector {
 public:
  Injector(const ObjectRef& obj, const std::string& file, std::string_view text, const yaml::TextIndex& index,
           const RenderSettings& s, const re2::RE2& pattern)
      : obj_(obj), file_(file), s_(s), pattern_(pattern), editor_(file, text, index) {}

  Expected<ObjectEdits> Run();

 private:
  Error Fail(const Node* at, const std::string& what) const { return editor_.Fail(at, obj_.mark, what); }

  Status EnsureMounts(const Node* container, const std::vector<Mount>& mounts, std::string_view what);
  Status InjectPodSpec(const PodSpecRef& ps);
  // InjectPodSpec's steps (injector.cc).
  Status CheckEditable(const PodSpecRef& ps);
  Expected<std::string> ServingModelDir(const PodSpecRef& ps, const std::vector<const Node*>& serving) const;
  Status PlanTrustVolume(PodPlan& p);
  void PlanVerifier(const PodSpecRef& ps, PodPlan& p);
  Status CompleteVerifier(const PodSpecRef& ps, PodPlan& p);
  Status AddVerifier(const PodSpecRef& ps, PodPlan& p);
  YNode VerifierSecurityContext() const;
  void AddVerifierEnv(const PodSpecRef& ps, const PodPlan& p, std::vector<std::pair<std::string, YNode>>& fields);
  Status MountModel(const PodSpecRef& ps, const PodPlan& p);
  Status DropStorageUri(const PodSpecRef& ps, const std::string& where);
  // KServe-native (injector_native.cc): true for an InferenceService component whose every
  // model source the Aegis ClusterStorageContainer serves; it keeps its storageUri, names the
  // container, and gets the key volume mounted read-only in its server.
  bool ServedNatively(const PodSpecRef& ps) const;
  Status InjectNative(const PodSpecRef& ps);
  // The volume sourcing the key Secret (secret.secretName), added when there is none.
  Expected<std::string> KeyVolume(const PodSpecRef& ps);
  Expected<std::string> ModelDir(const std::vector<const Node*>& containers) const;
  std::vector<const Node*> ServingContainers(const PodSpecRef& ps) const;
  // The artifact URI for a pod spec, looked up when first needed (a conforming object needs
  // none): --artifact, else the object's annotation, else the component's own storageUri,
  // else the predictor's. A scheme the verifier cannot fetch is refused.
  Expected<std::string> Artifact(const PodSpecRef& ps);
  Expected<std::string> LookUpArtifact(const PodSpecRef& ps);
  // Refuses what would make KServe download the model a second time, unverified.
  Status RefuseOtherDownloads(const PodSpecRef& ps) const;
  // An LLMInferenceService: KServe's storage initializer off (the verifier fetches
  // spec.model.uri); refused where that cannot work (LoRA adapters, no spec.template).
  Status TakeOverLLMDownload();
  // --service-account on the pod spec, --env-from-secret on an existing verifier.
  Status StorageSettings(const PodSpecRef& ps, const Node* verifier, const std::string& where);
  // KServe's S3 settings for this component's service account (kserve_storage.h), or nullopt.
  std::optional<StorageEnv> KServeStorageEnv(const PodSpecRef& ps) const;
  static YNode EnvEntry(const EnvVar& e);
  // --keyless: the trusted root and the identity policy, as verify-and-fetch's environment.
  std::vector<EnvVar> TrustEnv() const;  // the pinned trust, then the keyless root and identity
  // An existing verifier brought to what the flags and annotations say: image (--image),
  // artifact, the hardened securityContext; a note per change.
  Status ReconcileVerifier(const PodSpecRef& ps, const Node* verifier, const std::string& where);
  // An existing verifier's image: brought to --image, or replaced when the policy refuses it.
  Status ReconcileImage(const Node* verifier, const std::string& where);
  // The image render writes into a verifier, when the policy allows it (`at`: for the error).
  Expected<std::string> ImageToWrite(const Node* at) const;
  // pvc://CLAIM on a server that mounts CLAIM at the model directory: that mount becomes the
  // verified copy's (true when it was taken over).
  Expected<bool> TakeOverPvcMount(const PodSpecRef& ps, const Node* container, const std::vector<const Node*>& volumes,
                                  const std::string& model_dir, const std::string& model_volume, const std::string& what);

  const ObjectRef& obj_;
  const std::string& file_;
  const RenderSettings& s_;
  const re2::RE2& pattern_;
  std::string subject_;
  TextEditor editor_;
  ObjectEdits out_;
  std::map<std::string, Expected<std::string>> artifacts_;  // per component
  std::set<const Node*> moved_;  // storageUri values already reported as moved
  std::map<std::string, std::string> pvc_claims_;  // per component: the claim a pvc:// artifact reads
  std::set<const Node*> pvc_noted_;                // pvc:// URIs already explained (nullptr: --artifact)
  std::set<const Node*> unpinned_noted_;           // unpinned hf:// URIs already explained
  // The claim's volume for this component's verifier (an existing one sourcing the claim, else
  // kPvcVolume, added to `new_volumes`); "" when its artifact is not on a claim.
  Expected<std::string> PvcVolume(const PodSpecRef& ps, const std::vector<const Node*>& volumes, std::vector<YNode>& new_volumes);
  // pvc://CLAIM[/PATH] → the path the verifier reads it at; records the claim.
  Expected<std::string> PvcArtifact(const PodSpecRef& ps, const std::string& uri, const Node* at, const std::string& where);
  // An hf:// URI not pinned to a commit: refused unless allowed (then noted once).
  Status CheckRevision(const std::string& uri, const Node* at, const std::string& where);
};

}  // namespace aegis::render::internal
