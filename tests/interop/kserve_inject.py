"""What KServe makes of an InferenceService predictor, step by step as KServe v0.21 does it, for
the KServe-native tests: the Knative Service of Serverless mode (the stage Knative Serving
validates) and the Pod its storage-initializer webhook mutates (both modes). The kserve Go module
is refused by the module proxy here (403 on github.com/kserve/kserve/@v/list), so its code cannot
be built and called; each step names the upstream file and function it reproduces (kserve/kserve
at v0.21, the release of the kserve-storage 0.21.0 peer; constants from pkg/constants).

1. The predictor reconciler's pod spec (pkg/controller/v1beta1/inferenceservice/components/
   predictor.go): the component's PodSpec fields, the model as container `kserve-container`
   (its container fields over the runtime's); the pod template carries the InferenceService's
   annotations and the source URI in internal.serving.kserve.io/storage-initializer-sourceuri,
   or, with a storage spec (`storage: {key, path, parameters}`), `<scheme-placeholder>://PATH`
   and the internal storage-spec annotations. A LocalModelCache whose source is a prefix of the
   URI labels it internal.serving.kserve.io/localmodel (unless the InferenceService is annotated
   serving.kserve.io/disable-localmodel: "true").
2. Serverless: reconcilers/knative/ksvc_reconciler.go, createKnativeService: a serving.knative.dev/v1
   Service named <isvc>-predictor whose template is that pod spec, annotated
   autoscaling.knative.dev/min-scale ("1" unless minReplicas) and class kpa, traffic 100% to the
   latest revision. (`--knative-out`: tests/knative runs Knative's own validation on it.)
3. storage_initializer_injector.go, InjectStorageInitializer: a LocalModelCache pod gets
   pvc://<pvc>/models/<name><sub-path>; the storage container is chosen by name when the
   component sets storageContainerName (GetStorageContainerSpecByName, kserve#5314, v0.20: it
   must exist and not be disabled), else the first ClusterStorageContainer in the cluster's list
   that is not disabled, has workloadType initContainer and supports the URI
   (GetStorageContainerSpec, IsStorageUriSupported: prefix, or Go regexp.MatchString, an
   unanchored search), looked up with the URI before credentials (a storage spec's placeholder
   URI matches none: the config's own initializer). The list order is the informer cache's,
   which nothing fixes: pass the CSC files in the order to model; none: the config's container.
4. CommonStorageInitialization (single URI, IsLegacyURI): nothing when an initContainer named
   storage-initializer exists; a pvc:// URI is mounted at /mnt/models (subPath the path) with no
   initializer; otherwise utils.CreateInitContainerWithConfig (name storage-initializer, the
   configured image, args [URI, /mnt/models], FallbackToLogsOnError, the configured resources)
   and utils.AddModelMount: the emptyDir kserve-provision-location mounted at /mnt/models in
   kserve-container (and transformer-container) read-only unless storage.kserve.io/readonly is
   "false", writable in the initializer; a mount is added only where no mount of that volume
   name exists, the volume only once.
5. Credentials (pkg/credentials/service_account_credentials.go): with a storage spec,
   CreateStorageSpecSecretEnvs (the secret `storage-config`, or the one the
   serving.kserve.io/storageSecretName annotation names; STORAGE_CONFIG from its key, the
   placeholder URI made s3://<bucket>/<path>, STORAGE_OVERRIDE_CONFIG from the parameters);
   without, CreateSecretVolumeAndEnv: the annotated secret, else each secret of the service
   account, through mountSecretCredential: S3 keys (s3/s3_secret.go BuildSecretEnvs and
   utils.go BuildS3EnvVars: the keys by secretKeyRef, the serving.kserve.io/s3-* annotations as
   values), or https-host/headers (https/https_secret.go: `<host>-headers` with the headers as
   its value).
6. The CA bundle (needCaBundleMount): with the config's caBundleConfigMapName (outside the
   kserve namespace the copy named global-ca-bundle) or AWS_CA_BUNDLE_CONFIGMAP, the ConfigMap
   as volume cabundle-cert at CA_BUNDLE_VOLUME_MOUNT_POINT (default /etc/ssl/custom-certs, or
   the directory of AWS_CA_BUNDLE), read-only, with CA_BUNDLE_CONFIGMAP_NAME and
   CA_BUNDLE_VOLUME_MOUNT_POINT when not already set — applied after the merge below.
7. mergeContainerSpecs: the ClusterStorageContainer's container as a strategic merge patch
   (k8s.io/apimachinery strategicpatch, corev1.Container: env by name, volumeMounts by mountPath,
   ports by containerPort; maps merge; other lists and scalars replaced); the name is restored
   only when the patch leaves it empty. Then utils.AddDefaultHuggingFaceEnvVars (each HF_*
   variable only when absent).
8. SetIstioCniSecurityContext: serving.kserve.io/storage-initializer-uid sets the initializer's
   runAsUser; else, with sidecar.istio.io/interceptionMode REDIRECT and an Istio sidecar named in
   sidecar.istio.io/status, the sidecar's runAsUser (1337 when it has none).

usage: kserve_inject.py ISVC.yaml CSC.yaml [CSC.yaml…] [--secret F]… [--service-account F]
       [--config JSON] [--local-model-cache F] [--knative-out F]
prints the Pod as JSON (without a matching ClusterStorageContainer the initializer is the
config's: KServe's own image); exit 4 when KServe's webhook refuses the Pod (reason on stderr).
"""
import argparse
import base64
import copy
import json
import re
import sys

import yaml

VERSION = "v0.21.0"
MOUNT = "/mnt/models"  # constants.DefaultModelLocalMountPath
VOLUME = "kserve-provision-location"  # constants.StorageInitializerVolumeName
PVC_VOLUME = "kserve-pvc-source"  # constants.PvcSourceMountName
INTERNAL = "internal.serving.kserve.io"
SOURCE_URI = INTERNAL + "/storage-initializer-sourceuri"
LOCAL_MODEL = INTERNAL + "/localmodel"
LOCAL_MODEL_SOURCE = INTERNAL + "/localmodel-sourceuri"
LOCAL_MODEL_PVC = INTERNAL + "/localmodel-pvc-name"
PLACEHOLDER = "<scheme-placeholder>"
# inferenceservice-config's storageInitializer and credentials defaults (charts/kserve-resources).
DEFAULT_CONFIG = {
    "image": "kserve/storage-initializer:" + VERSION,
    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "100m", "memory": "100Mi"}},
    "caBundleConfigMapName": "",
    "caBundleVolumeMountPath": "/etc/ssl/custom-certs",
    "storageSpecSecretName": "storage-config",
    "storageSecretNameAnnotation": "serving.kserve.io/storageSecretName",
}
HF_DEFAULTS = [("HF_HUB_ENABLE_HF_TRANSFER", "1"), ("HF_XET_HIGH_PERFORMANCE", "1"), ("HF_XET_NUM_CONCURRENT_RANGE_GETS", "8")]
# Component fields that are not PodSpec fields (ComponentExtensionSpec, the model and framework
# specs), left out of the pod spec.
NOT_POD_SPEC = {"model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml",
                "lightgbm", "paddle", "minReplicas", "maxReplicas", "scaleTarget", "scaleMetric", "scaleMetricType",
                "containerConcurrency", "timeout", "canaryTrafficPercent", "logger", "batcher", "labels",
                "annotations", "deploymentStrategy", "autoScaling", "workerSpec", "storageUris"}
FRAMEWORKS = ("sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml", "lightgbm", "paddle")
# The PredictorExtensionSpec fields of the model spec that are not container fields.
NOT_CONTAINER = {"modelFormat", "runtime", "storageUri", "storage", "runtimeVersion", "protocolVersion",
                 "storageContainerName", "name"}
MERGE_KEYS = {"env": "name", "volumeMounts": "mountPath", "ports": "containerPort", "volumeDevices": "devicePath"}
S3_ANNOTATIONS = [("s3-usehttps", "S3_USE_HTTPS"), ("s3-region", "AWS_DEFAULT_REGION"),
                  ("s3-verifyssl", "S3_VERIFY_SSL"), ("s3-useanoncredential", "awsAnonymousCredential"),
                  ("s3-cabundle", "AWS_CA_BUNDLE"), ("s3-cabundle-configmap", "AWS_CA_BUNDLE_CONFIGMAP")]


class Refused(Exception):
    """KServe's webhook returns an error: the Pod is not created."""


def secret_data(secret):
    data = {k: base64.b64decode(v).decode() for k, v in (secret.get("data") or {}).items()}
    data.update(secret.get("stringData") or {})
    return data


# -- 1. the predictor's pod template ------------------------------------------------------------

def predictor_pod(isvc, runtime_image, caches):
    pred = isvc["spec"]["predictor"]
    spec = {k: copy.deepcopy(v) for k, v in pred.items() if k not in NOT_POD_SPEC}
    # The model spec, or a framework key (predictor.go, GetImplementation): the first present.
    model = next((pred[k] for k in ("model",) + FRAMEWORKS if isinstance(pred.get(k), dict)), {})
    server = {"name": "kserve-container", "image": runtime_image,
              "args": ["--model_name=" + isvc["metadata"]["name"], "--model_dir=" + MOUNT, "--http_port=8080"]}
    for k, v in model.items():
        if k not in NOT_CONTAINER:
            server[k] = copy.deepcopy(v)
    spec["containers"] = [server] + copy.deepcopy(pred.get("containers", []))
    name = isvc["metadata"]["name"]
    annotations = dict(isvc["metadata"].get("annotations") or {})
    labels = {"serving.kserve.io/inferenceservice": name, "component": "predictor"}
    uri = model.get("storageUri")
    storage = model.get("storage")
    if storage is not None:
        uri = PLACEHOLDER + "://" + storage["path"]
        annotations[INTERNAL + "/storage-spec"] = "true"
        annotations[INTERNAL + "/storage-spec-key"] = storage.get("key", "")
        if storage.get("parameters"):
            annotations[INTERNAL + "/storage-spec-param"] = json.dumps(storage["parameters"])
    if uri is not None:
        annotations[SOURCE_URI] = uri
        if annotations.get("serving.kserve.io/disable-localmodel") != "true":
            for cache in caches:
                source = cache["spec"]["sourceModelUri"]
                if uri.startswith(source):
                    labels[LOCAL_MODEL] = cache["metadata"]["name"]
                    annotations[LOCAL_MODEL_SOURCE] = source
                    annotations[LOCAL_MODEL_PVC] = cache["metadata"]["name"] + "-" + cache["spec"]["nodeGroups"][0]
    meta = {"name": name + "-predictor", "namespace": isvc["metadata"].get("namespace", "default"),
            "labels": labels, "annotations": annotations}
    return {"metadata": meta, "spec": spec}, model.get("storageContainerName")


# -- 2. Serverless: the Knative Service ----------------------------------------------------------

def knative_service(isvc, template):
    pred = isvc["spec"]["predictor"]
    annotations = dict(template["metadata"]["annotations"])
    annotations["autoscaling.knative.dev/min-scale"] = str(pred.get("minReplicas", 1))
    if pred.get("maxReplicas"):
        annotations["autoscaling.knative.dev/max-scale"] = str(pred["maxReplicas"])
    annotations.setdefault("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev")
    revision = {"containers": template["spec"]["containers"]}
    revision.update({k: v for k, v in template["spec"].items() if k != "containers"})
    for field, key in (("timeout", "timeoutSeconds"), ("containerConcurrency", "containerConcurrency")):
        if field in pred:
            revision[key] = pred[field]
    meta = template["metadata"]
    return {"apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": meta["name"], "namespace": meta["namespace"], "labels": meta["labels"]},
            "spec": {"template": {"metadata": {"labels": meta["labels"], "annotations": annotations}, "spec": revision},
                     "traffic": [{"latestRevision": True, "percent": 100}]}}


# -- 3. which storage container --------------------------------------------------------------------

def supports(csc, uri):
    for f in csc.get("spec", {}).get("supportedUriFormats", []):
        if f.get("prefix"):
            if uri.startswith(f["prefix"]):
                return True
        elif f.get("regex") and re.search(f["regex"], uri):
            return True
    return False


def storage_container(cscs, uri, name):
    if name:
        named = [c for c in cscs if c["metadata"]["name"] == name]
        if not named:
            raise Refused(f'failed to get ClusterStorageContainer "{name}": not found')
        if named[0].get("disabled"):
            raise Refused(f'ClusterStorageContainer "{name}" is disabled')
        return named[0]
    for c in cscs:
        if c.get("disabled") or c.get("spec", {}).get("workloadType", "initContainer") != "initContainer":
            continue
        if supports(c, uri):
            return c
    return None


# -- 4./5. the initializer, its mounts and credentials ---------------------------------------------

def container(spec, name):
    return next((c for c in spec.get("containers", []) if c.get("name") == name), None)


def add_model_mount(spec, names, volume, mount, readonly_for_servers, source=None, sub_path=None):
    for name in names:
        c = container(spec, name) or next((i for i in spec.get("initContainers", []) if i["name"] == name), None)
        if c is None or any(m.get("name") == volume for m in c.get("volumeMounts", [])):
            continue
        m = {"name": volume, "mountPath": mount, "readOnly": readonly_for_servers and name != "storage-initializer"}
        if sub_path:
            m["subPath"] = sub_path
        c.setdefault("volumeMounts", []).append(m)
    if not any(v.get("name") == volume for v in spec.get("volumes", [])):
        spec.setdefault("volumes", []).append(source or {"name": volume, "emptyDir": {}})


def s3_envs(secret):
    ref = lambda key: {"secretKeyRef": {"name": secret["metadata"]["name"], "key": key}}
    envs = [{"name": "AWS_ACCESS_KEY_ID", "valueFrom": ref("AWS_ACCESS_KEY_ID")},
            {"name": "AWS_SECRET_ACCESS_KEY", "valueFrom": ref("AWS_SECRET_ACCESS_KEY")}]
    ann = {k.split("/", 1)[1]: v for k, v in (secret["metadata"].get("annotations") or {}).items()
           if k.startswith("serving.kserve.io/")}
    if "s3-endpoint" in ann:
        https = ann.get("s3-usehttps", "1") != "0"
        envs += [{"name": "S3_ENDPOINT", "value": ann["s3-endpoint"]},
                 {"name": "AWS_ENDPOINT_URL", "value": ("https://" if https else "http://") + ann["s3-endpoint"]}]
    envs += [{"name": var, "value": ann[key]} for key, var in S3_ANNOTATIONS if key in ann]
    return envs


def mount_secret_credential(secret, init):
    data = secret_data(secret)
    if "AWS_SECRET_ACCESS_KEY" in data:
        names = {e["name"] for e in s3_envs(secret)}
        init["env"] = [e for e in init["env"] if e["name"] not in names] + s3_envs(secret)  # utils.MergeEnvs
    elif "https-host" in data and "headers" in data:
        init["env"].append({"name": data["https-host"] + "-headers", "value": data["headers"]})


def storage_spec_envs(meta, secrets, config, init):
    ann = meta["annotations"]
    params = json.loads(ann.get(INTERNAL + "/storage-spec-param", "{}"))
    key = ann.get(INTERNAL + "/storage-spec-key", "")
    name = ann.get(config["storageSecretNameAnnotation"], config["storageSpecSecretName"])
    secret = secrets.get(name)
    if secret is None:
        raise Refused(f"can't read storage secret {name}: not found")
    data = secret_data(secret)
    key = key or ("default_" + params["type"] if params.get("type") else "default")
    if key not in data:
        raise Refused(f"specified storage key {key} not found in storage secret {name}")
    entry = json.loads(data[key])
    stype, bucket = params.get("type") or entry.get("type", ""), params.get("bucket") or entry.get("bucket", "")
    init["env"].append({"name": "STORAGE_CONFIG", "valueFrom": {"secretKeyRef": {"name": name, "key": key}}})
    if not stype:
        raise Refused("unable to determine storage type")
    if init["args"][0].startswith(PLACEHOLDER + "://"):
        path = init["args"][0][len(PLACEHOLDER) + 3:]
        if stype == "s3" and not bucket:
            raise Refused("format [s3] requires a bucket but one wasn't found in storage data or parameters")
        init["args"][0] = f"{stype}://{bucket}/{path}" if stype == "s3" else f"{stype}://{path}"
    if params:
        init["env"].append({"name": "STORAGE_OVERRIDE_CONFIG", "value": json.dumps(params)})


def credentials(meta, spec, secrets, accounts, config, init):
    if meta["annotations"].get(INTERNAL + "/storage-spec") == "true":
        return storage_spec_envs(meta, secrets, config, init)
    annotated = meta["annotations"].get(config["storageSecretNameAnnotation"])
    if annotated:
        if annotated not in secrets:
            raise Refused(f"secrets \"{annotated}\" not found")
        return mount_secret_credential(secrets[annotated], init)
    account = accounts.get(spec.get("serviceAccountName") or "default")
    for ref in (account or {}).get("secrets", []):
        if ref["name"] not in secrets:
            raise Refused(f"secrets \"{ref['name']}\" not found")
        mount_secret_credential(secrets[ref["name"]], init)


# -- 6./7. CA bundle and the merge -------------------------------------------------------------------

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


def ca_bundle(init, namespace, config):
    env = {e["name"]: e.get("value") for e in init["env"]}
    if not config["caBundleConfigMapName"] and "AWS_CA_BUNDLE_CONFIGMAP" not in env:
        return None
    name = config["caBundleConfigMapName"]
    if namespace != "kserve":
        name = "global-ca-bundle"
    path = config["caBundleVolumeMountPath"] or "/etc/ssl/custom-certs"
    name = env.get("AWS_CA_BUNDLE_CONFIGMAP") or name
    if env.get("AWS_CA_BUNDLE"):
        path = env["AWS_CA_BUNDLE"].rsplit("/", 1)[0]
    return name, path


def apply_ca_bundle(init, spec, bundle):
    name, path = bundle
    present = {e["name"] for e in init["env"]}
    for var, value in (("CA_BUNDLE_CONFIGMAP_NAME", name), ("CA_BUNDLE_VOLUME_MOUNT_POINT", path)):
        if var not in present:
            init["env"].append({"name": var, "value": value})
    spec.setdefault("volumes", []).append({"name": "cabundle-cert", "configMap": {"name": name}})
    init.setdefault("volumeMounts", []).append({"name": "cabundle-cert", "mountPath": path, "readOnly": True})


# -- 8. Istio CNI ----------------------------------------------------------------------------------

def istio_uid(meta, spec, init):
    ann = meta["annotations"]
    if "serving.kserve.io/storage-initializer-uid" in ann:
        try:
            init.setdefault("securityContext", {})["runAsUser"] = int(ann["serving.kserve.io/storage-initializer-uid"])
        except ValueError:
            pass
        return
    if any(c["name"] == "istio-init" for c in spec.get("initContainers", [])):
        return
    if ann.get("sidecar.istio.io/interceptionMode") != "REDIRECT" or "sidecar.istio.io/status" not in ann:
        return
    names = json.loads(ann["sidecar.istio.io/status"]).get("containers") or []
    sidecar = container(spec, names[0]) if names else None
    if sidecar is not None:
        uid = (sidecar.get("securityContext") or {}).get("runAsUser", 1337)
        init.setdefault("securityContext", {})["runAsUser"] = uid


def inject(pod, cscs, secrets, accounts, config, csc_name):
    meta, spec = pod["metadata"], pod["spec"]
    uri = meta["annotations"].get(SOURCE_URI)
    if uri is None:
        return
    if LOCAL_MODEL in meta["labels"]:
        sub = uri[len(meta["annotations"][LOCAL_MODEL_SOURCE]):]
        uri = "pvc://" + meta["annotations"][LOCAL_MODEL_PVC] + "/models/" + meta["labels"][LOCAL_MODEL] + \
            (sub if sub.startswith("/") else "/" + sub)
    if any(c.get("name") == "storage-initializer" for c in spec.get("initContainers", [])):
        return
    readonly = meta["annotations"].get("storage.kserve.io/readonly") != "false"
    servers = [n for n in ("kserve-container", "transformer-container") if container(spec, n)]
    if uri.startswith("pvc://"):
        pvc, _, path = uri[6:].partition("/")
        add_model_mount(spec, servers, PVC_VOLUME, MOUNT, readonly,
                        {"name": PVC_VOLUME, "persistentVolumeClaim": {"claimName": pvc, "readOnly": readonly}}, path)
        return
    # Chosen before credentials: a storage spec's placeholder URI matches no container by URI.
    chosen = storage_container(cscs, uri, csc_name)
    init = {"name": "storage-initializer", "image": config["image"], "args": [uri, MOUNT],
            "terminationMessagePolicy": "FallbackToLogsOnError", "env": [],
            "resources": copy.deepcopy(config["resources"])}
    spec.setdefault("initContainers", []).append(init)
    add_model_mount(spec, servers + ["storage-initializer"], VOLUME, MOUNT, readonly)
    credentials(meta, spec, secrets, accounts, config, init)
    bundle = ca_bundle(init, meta["namespace"], config)
    merged = strategic_merge(init, chosen["spec"]["container"]) if chosen else init
    merged["name"] = merged.get("name") or "storage-initializer"
    if bundle:
        apply_ca_bundle(merged, spec, bundle)
    present = {e["name"] for e in merged.get("env", [])}
    merged.setdefault("env", []).extend({"name": k, "value": v} for k, v in HF_DEFAULTS if k not in present)
    spec["initContainers"][-1] = merged
    istio_uid(meta, spec, merged)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("isvc")
    a.add_argument("cscs", nargs="+")
    a.add_argument("--runtime-image", default="kserve/sklearnserver:" + VERSION)
    a.add_argument("--secret", action="append", default=[], help="a Secret (YAML) of the namespace")
    a.add_argument("--service-account", action="append", default=[], help="a ServiceAccount (YAML)")
    a.add_argument("--config", default="{}", help="inferenceservice-config storageInitializer/credentials (JSON)")
    a.add_argument("--local-model-cache", action="append", default=[], help="a LocalModelCache (YAML)")
    a.add_argument("--knative-out", help="write the Knative Service of Serverless mode here")
    args = a.parse_args()
    load = lambda files: [d for f in files for d in yaml.safe_load_all(open(f)) if d]
    isvc = yaml.safe_load(open(args.isvc))
    cscs = load(args.cscs)
    secrets = {s["metadata"]["name"]: s for s in load(args.secret)}
    accounts = {s["metadata"]["name"]: s for s in load(args.service_account)}
    config = dict(DEFAULT_CONFIG, **json.loads(args.config))
    template, csc_name = predictor_pod(isvc, args.runtime_image, load(args.local_model_cache))
    if args.knative_out:
        with open(args.knative_out, "w") as f:
            json.dump(knative_service(isvc, template), f)
    pod = {"apiVersion": "v1", "kind": "Pod", **template}
    try:
        inject(pod, cscs, secrets, accounts, config, csc_name)
    except Refused as e:
        print(f"KServe's pod webhook refuses the Pod: {e}", file=sys.stderr)
        sys.exit(4)
    print(json.dumps(pod))


if __name__ == "__main__":
    main()
