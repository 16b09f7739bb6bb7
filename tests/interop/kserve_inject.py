"""The Pod KServe makes for an InferenceService predictor whose storageUri a
ClusterStorageContainer serves: KServe's storage-initializer injection, reproduced step by
step from its source, because the kserve module is not served by the Go module proxy here
(403 on github.com/kserve/kserve/@v/list), so the Go code itself cannot be built and called.

Source (kserve/kserve, pkg/webhook/admission/pod/storage_initializer_injector.go and
pkg/utils/utils.go), in the order KServe runs it:
- InjectStorageInitializer: one URI (the component's storageUri, carried in an internal
  annotation), mounted at constants.DefaultModelLocalMountPath (/mnt/models); read-only for the
  serving containers unless the storage-readonly annotation says "false"
  (GetStorageInitializerReadOnlyFlag); GetStorageContainerSpec picks the first
  ClusterStorageContainer that is not disabled, whose workloadType is initContainer (the CRD's
  default) and whose IsStorageUriSupported matches (prefix, or regex via Go's
  regexp.MatchString, an unanchored search).
- CommonStorageInitialization (IsLegacyURI: the single-URI branch): nothing is injected when an
  initContainer is already named storage-initializer; the serving container is the one named
  kserve-container; CreateInitContainerWithConfig makes the container: name
  storage-initializer, the configured image, args [storageUri, /mnt/models],
  terminationMessagePolicy FallbackToLogsOnError, a writable mount of kserve-provision-location
  at /mnt/models, the HF_* env, the configured resources; AddModelMount mounts
  kserve-provision-location (an emptyDir) into kserve-container (and a transformer container)
  read-only and into the init container writable, adding the volume once.
- CreateSecretVolumeAndEnv (pkg/credentials): the service account's S3 secret becomes env on the
  init container: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (secretKeyRef) and, from the secret's
  annotations (BuildS3EnvVars, pkg/credentials/s3/utils.go) S3_USE_HTTPS, S3_ENDPOINT,
  AWS_ENDPOINT_URL and, for s3-region, AWS_DEFAULT_REGION (pkg/credentials/s3/s3_secret.go).
- Without a storageUri nothing is injected (the explicit mode of `aegis render`).
- mergeContainerSpecs: the ClusterStorageContainer's container is applied to the init container
  as a strategic merge patch (k8s.io/apimachinery strategicpatch, corev1.Container): env merges
  by name, volumeMounts by mountPath, maps merge, other lists and scalars are replaced; the name
  stays storage-initializer.

usage: kserve_inject.py ISVC.yaml CSC.yaml [CSC.yaml…] [--s3-endpoint HOST:PORT --s3-secret NAME]
prints the Pod as JSON; exit 3 when no ClusterStorageContainer serves the URI (KServe's own
default then applies; pass its ClusterStorageContainer to model that).
"""
import argparse
import copy
import json
import re
import sys

import yaml

MOUNT = "/mnt/models"
VOLUME = "kserve-provision-location"
DEFAULT_CONFIG = {  # the inferenceservice-config storageInitializer defaults of the Helm chart
    "image": "kserve/storage-initializer:v0.15.2",
    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "100m", "memory": "100Mi"}},
}
# Component fields that are not PodSpec fields (ComponentExtensionSpec, the model and framework
# specs), left out of the Pod.
NOT_POD_SPEC = {"model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml",
                "lightgbm", "paddle", "minReplicas", "maxReplicas", "scaleTarget", "scaleMetric", "scaleMetricType",
                "containerConcurrency", "timeout", "canaryTrafficPercent", "logger", "batcher", "labels",
                "annotations", "deploymentStrategy", "autoScaling", "workerSpec", "storageUris"}
MERGE_KEYS = {"env": "name", "volumeMounts": "mountPath", "ports": "containerPort", "volumeDevices": "devicePath"}


def strategic_merge(target, patch):
    out = copy.deepcopy(target)
    for key, value in patch.items():
        if key in MERGE_KEYS and isinstance(value, list) and isinstance(out.get(key), list):
            merged = copy.deepcopy(out[key])
            k = MERGE_KEYS[key]
            for item in value:
                same = [i for i, e in enumerate(merged) if e.get(k) == item.get(k)]
                if same:
                    merged[same[0]] = strategic_merge(merged[same[0]], item)
                else:
                    merged.append(copy.deepcopy(item))
            out[key] = merged
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = strategic_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def supports(csc, uri):
    spec = csc.get("spec", {})
    if csc.get("disabled") or spec.get("workloadType", "initContainer") != "initContainer":
        return False
    for f in spec.get("supportedUriFormats", []):
        if f.get("prefix"):
            if uri.startswith(f["prefix"]):
                return True
        elif f.get("regex") and re.search(f["regex"], uri):
            return True
    return False


def predictor_pod(isvc, runtime_image):
    """The Pod spec KServe's predictor reconciler makes: the component's PodSpec fields, and the
    model as the container kserve-container (its container fields merged over the runtime's)."""
    pred = isvc["spec"]["predictor"]
    spec = {k: copy.deepcopy(v) for k, v in pred.items() if k not in NOT_POD_SPEC}
    model = pred.get("model", {})
    server = {"name": "kserve-container", "image": runtime_image}
    for k in ("env", "volumeMounts", "resources", "args"):
        if k in model:
            server[k] = copy.deepcopy(model[k])
    spec["containers"] = [server] + copy.deepcopy(pred.get("containers", []))
    # The controller labels the component's pods with the InferenceService's name; KServe's pod
    # mutating webhook (the storage-initializer injector) only sees pods carrying that label
    # (its objectSelector: serving.kserve.io/inferenceservice Exists).
    meta = {"name": isvc["metadata"]["name"] + "-predictor", "namespace": isvc["metadata"].get("namespace", "default"),
            "labels": {"serving.kserve.io/inferenceservice": isvc["metadata"]["name"],
                       "component": "predictor"}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}, model.get("storageUri")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("isvc")
    a.add_argument("cscs", nargs="+")
    a.add_argument("--runtime-image", default="kserve/sklearnserver:v0.15.2")
    a.add_argument("--s3-endpoint")
    a.add_argument("--s3-secret", default="s3-credentials")
    args = a.parse_args()
    isvc = yaml.safe_load(open(args.isvc))
    cscs = [d for f in args.cscs for d in yaml.safe_load_all(open(f)) if d]
    pod, uri = predictor_pod(isvc, args.runtime_image)
    spec = pod["spec"]
    if uri is None or any(c.get("name") == "storage-initializer" for c in spec.get("initContainers", [])):
        print(json.dumps(pod))
        return
    chosen = next((c for c in cscs if supports(c, uri)), None)
    if chosen is None:
        sys.exit(3)
    init = {"name": "storage-initializer", "image": DEFAULT_CONFIG["image"], "args": [uri, MOUNT],
            "terminationMessagePolicy": "FallbackToLogsOnError",
            "volumeMounts": [{"name": VOLUME, "mountPath": MOUNT}],
            "env": [{"name": "HF_HUB_ENABLE_HF_TRANSFER", "value": "1"}, {"name": "HF_XET_HIGH_PERFORMANCE", "value": "1"},
                    {"name": "HF_XET_NUM_CONCURRENT_RANGE_GETS", "value": "8"}],
            "resources": copy.deepcopy(DEFAULT_CONFIG["resources"])}
    spec.setdefault("initContainers", []).append(init)
    readonly = isvc["metadata"].get("annotations", {}).get("storage.kserve.io/readonly") != "false"
    for c in spec["containers"]:
        if c["name"] in ("kserve-container", "transformer-container"):
            if not any(m.get("mountPath") == MOUNT for m in c.get("volumeMounts", [])):
                c.setdefault("volumeMounts", []).append({"name": VOLUME, "mountPath": MOUNT, "readOnly": readonly})
    if not any(v.get("name") == VOLUME for v in spec.get("volumes", [])):
        spec.setdefault("volumes", []).append({"name": VOLUME, "emptyDir": {}})
    if args.s3_endpoint:
        ref = lambda key: {"secretKeyRef": {"name": args.s3_secret, "key": key}}
        init["env"] += [{"name": "AWS_ACCESS_KEY_ID", "valueFrom": ref("AWS_ACCESS_KEY_ID")},
                        {"name": "AWS_SECRET_ACCESS_KEY", "valueFrom": ref("AWS_SECRET_ACCESS_KEY")},
                        {"name": "S3_USE_HTTPS", "value": "0"},
                        {"name": "S3_ENDPOINT", "value": args.s3_endpoint},
                        {"name": "AWS_ENDPOINT_URL", "value": "http://" + args.s3_endpoint},
                        {"name": "AWS_DEFAULT_REGION", "value": "us-east-1"}]
    spec["initContainers"][-1] = strategic_merge(init, chosen["spec"]["container"])
    spec["initContainers"][-1]["name"] = "storage-initializer"
    print(json.dumps(pod))


if __name__ == "__main__":
    main()
