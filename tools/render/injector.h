// Computes the text edits that make one object conform (docs/RENDER.md): the verify
// initContainer, the key volume, the model volume and its mounts — reusing what exists,
// refusing conflicts, anchors and merge keys in the touched area.
#pragma once

#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/object.h"
#include "render/edit.h"
#include "render/kserve_storage.h"
#include "util/expected.h"
#include "yaml/text_index.h"

namespace re2 {
class RE2;
}

namespace aegis::render {

inline constexpr std::string_view kDefaultImage = "localhost/aegis/verify-and-fetch:0.1.0";
inline constexpr std::string_view kArtifactAnnotation = "aegis/artifact-uri";
inline constexpr std::string_view kDefaultModelVolumeSizeLimit = "64Gi";

struct RenderSettings {
  std::string artifact;  // --artifact; empty: per object (annotation, storageUri)
  std::string image = std::string(kDefaultImage);
  std::string secret_name = "cosign-public-key";
  std::string key_dir = "/etc/cosign";
  std::string model_dir = "/models";  // for workloads that are neither KServe nor Triton
  std::string init_name = "verify-and-fetch";
  std::string model_volume = "model";
  // The model volume's emptyDir.sizeLimit (a Kubernetes quantity; "": none): verify-and-fetch's
  // default --max-total-bytes, so the node's disk is bounded as the download is.
  std::string model_volume_size_limit = std::string(kDefaultModelVolumeSizeLimit);
  bool fixed_uid = true;  // runAsUser: 65532; false where the namespace assigns UIDs (OpenShift)
  // --image was given: an existing verifier's image is brought to it (else left alone while
  // the policy allows it, and replaced by `image` when it does not).
  bool image_given = false;
  // Why the policy refuses an image as the verifier's (nullopt: allowed); unset: any image.
  std::function<std::optional<std::string>(std::string_view)> image_refusal;
  std::string image_source = "the default";  // where `image` came from, for messages
  // hf:// at a branch or tag: the verifier is told --allow-unpinned-revision (else refused).
  bool allow_unpinned_revision = false;
  // The verifier's storage settings: a Secret whose keys become its environment (AWS_*,
  // S3_ENDPOINT, …: envFrom), and the pod's service account (workload identity, IRSA).
  std::string env_from_secret;
  std::string service_account;
  // KServe's S3 settings per service account, from the ServiceAccount and Secret manifests in
  // the input: given to a KServe component's verifier as KServe gives them to its own.
  std::shared_ptr<const KServeStorage> kserve_storage;
  // --keyless: the verifier trusts a Sigstore root from a ConfigMap and an identity policy
  // instead of a key (docs/SIGNATURES.md, "Keyless"); empty config_map: key mode.
  struct Keyless {
    std::string config_map;
    std::string identity, identity_regexp, issuer, issuer_regexp;
  } keyless;
  // The policy's pinned trust (parameters.trust as JSON): written to the verifier's env
  // AEGIS_TRUST_POLICY; empty when the policy pins nothing.
  std::string trust_policy;
  // KServe-native mode (a constraint's verifiedStorageUriPrefixes and storageContainerName):
  // components whose every source those prefixes serve keep their storageUri (injector_native.cc).
  struct KServeNative {
    std::vector<std::string> prefixes;
    std::string storage_container;  // "" when the policy does not require the name
  } kserve_native;
};

// Where the verifier mounts the trusted root in keyless mode, and the file it reads there.
inline constexpr std::string_view kTrustedRootDir = "/etc/sigstore";
// KServe's pvc://CLAIM/PATH: the claim is mounted read-only into the verifier here (where
// KServe mounts it for its storage initializer), and the model copied from PATH under it.
inline constexpr std::string_view kPvcMountDir = "/mnt/pvc";
inline constexpr std::string_view kPvcVolume = "kserve-pvc-source";
inline constexpr std::string_view kTrustedRootFile = "/etc/sigstore/trusted_root.json";

struct ObjectEdits {
  std::vector<Edit> edits;
  struct Note {
    Mark mark;  // the line it talks about (0: the object's)
    std::string message;
  };
  std::vector<Note> notes;  // what render decided, e.g. storageUri moved
  std::vector<std::string> verifier_images;  // the verifiers' images after the edits
};

// Edits for one object of a checked kind; an Error (with file:line) when it cannot be made
// to conform safely. `pattern` is the policy's initContainerPattern.
Expected<ObjectEdits> InjectObject(const ObjectRef& obj, const std::string& file, std::string_view text,
                                   const yaml::TextIndex& index, const RenderSettings& settings,
                                   const re2::RE2& pattern);

}  // namespace aegis::render
