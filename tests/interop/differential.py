#!/usr/bin/env python3
"""Differential test: `aegis lint` against real Gatekeeper (`gator test`) on random objects.

A seeded generator writes N random, valid objects over every kind and KServe component of
docs/POLICY.md and random AegisSignedPod constraints over every parameter (patterns with
(?i) and anchors, projected secrets, the Vault env path, requireMount) and every `match`
feature (namespaceSelector against labelled Namespace objects in the input, which both
`aegis lint` and `gator test` read), in each enforcementAction. Both engines evaluate the same template and constraints; their findings
are compared as (constraint, kind, namespace, name, component, rule, action, message). On a
disagreement the smallest disagreeing object is shrunk (greedy removal of keys and list
items while the disagreement persists) and printed.

usage: differential.py --aegis BIN --gator BIN --template FILE [--count N] [--seed S]
exit 0 on zero disagreements, 1 otherwise.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

KINDS = [
    # (apiVersion, kind, where the pod spec lives)
    ("v1", "Pod", ["spec"]),
    ("v1", "PodTemplate", ["template", "spec"]),
    ("v1", "ReplicationController", ["spec", "template", "spec"]),
    ("apps/v1", "Deployment", ["spec", "template", "spec"]),
    ("apps/v1", "StatefulSet", ["spec", "template", "spec"]),
    ("apps/v1", "DaemonSet", ["spec", "template", "spec"]),
    ("apps/v1", "ReplicaSet", ["spec", "template", "spec"]),
    ("batch/v1", "Job", ["spec", "template", "spec"]),
    ("batch/v1", "CronJob", ["spec", "jobTemplate", "spec", "template", "spec"]),
    ("argoproj.io/v1alpha1", "Rollout", ["spec", "template", "spec"]),
    ("serving.knative.dev/v1", "Service", ["spec", "template", "spec"]),
    ("serving.kserve.io/v1beta1", "InferenceService", None),
    ("serving.kubeflow.org/v1beta1", "InferenceService", None),
    ("serving.kserve.io/v1alpha1", "LLMInferenceService", None),
    ("serving.kserve.io/v1alpha2", "LLMInferenceService", None),
    ("serving.kserve.io/v1alpha1", "TrainedModel", None),
    ("serving.kserve.io/v1alpha1", "ServingRuntime", None),
    ("v1", "ConfigMap", None),  # not checked by either engine
    ("v1", "Service", None),
]
NAMESPACES = ["models", "serving", "team-a", "team-b", "prod-models", "kube-system", "default"]
INIT_NAMES = ["verify", "verify-and-fetch", "Verify-Model", "model-verify", "fetch", "storage-initializer",
              "init", "VERIFY", "verifier-x"]
SECRETS = ["cosign-public-key", "model-key", "other-secret"]
ROOT_MAPS = ["sigstore-trusted-root", "other-root"]
PATTERNS = ["verify", "^verify-", "(?i)^verify", "fetch$", "verify|fetch", "^verify-and-fetch$", "(?i)model"]
LABELS = {"app": ["resnet", "bert", "redis"], "tier": ["gpu", "cpu"], "aegis/skip": ["true"]}
NS_LABELS = {"serving": ["true", "false"], "team": ["a", "b"]}


def make_namespaces(rng):
    out = []
    for name in NAMESPACES:
        labels = {k: rng.choice(v) for k, v in NS_LABELS.items() if rng.random() < 0.7}
        out.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
    return out


DIGEST = "@sha256:" + "ab" * 32
IMAGES = ["verifier:1", "localhost/aegis/verify-and-fetch:0.1.0", "localhost/aegis/verify-and-fetch" + DIGEST,
          "localhost/aegis/verify-and-fetch:0.1.0" + DIGEST, "localhost/aegis/verify-and-fetch-evil:1",
          "localhost:5000/evil:1", "mirror.example/aegis/v:2", "busybox:1.36", "verifier" + DIGEST, None, 5]
IMAGE_ENTRIES = ["localhost/aegis/verify-and-fetch", "mirror.example/*", "verifier", "localhost", "busybox:1.36"]
URIS = ["s3://models/m.tar.gz", "https://models.example/m.tgz", "gs://bucket/model", "pvc://claim/m", 42]
PREFIXES = ["s3://", "https://", "gs://"]
CONTAINER_NAMES = ["aegis-verify-and-fetch", "default", 7]
MOUNT_PATHS = ["/models", "/models/", "/models/x", "/models2", "/mnt/models", "/"]
FRAMEWORKS = ["model", "sklearn", "triton", "alibi", "catboost"]
# Version 3: the constraint's pins, and what a pod may tell its verifier (docs/POLICY.md).
TRUSTS = [
    {"keys": ["sha256:" + "1" * 64]},
    {"keys": ["sha256:" + "2" * 64], "vault": [{"address": "https://vault:8200", "key": "m"}]},
    {"keyless": [{"issuer": "https://issuer.example", "subject": "ci@org.example"},
                 {"issuerRegExp": "^https://.*\\.example$", "subjectRegExp": "^ci@"}]},
]
TRUST_VALUES = [json.dumps(t, separators=(",", ":"), sort_keys=True) for t in TRUSTS] + [
    json.dumps(TRUSTS[0]), "{}", "not json", json.dumps({"keys": TRUSTS[0]["keys"], "extra": 1})]
ARGS = [["s3://models/m.tgz", "/models"], ["s3://models/m.tgz", "/models/"], ["--key=/etc/cosign", "s3://m", "/models"],
        ["--key=/attacker", "s3://m", "/models"], ["--version"], ["--allow-insecure-http", "http://x", "/models"],
        ["--key", "/etc/cosign", "s3://m", "/models"], ["$(A)", "/models"], ["s3://m", "/tmp"], ["s3://m", "/models", 5],
        ["--log-format=json", "--anonymous", "s3://m", "/models2"], ["s3://m"]]
VERIFIER_ENV = [{"name": "AEGIS_KEY", "value": "/etc/cosign/k.pub"}, {"name": "AEGIS_KEY", "value": "/attacker"},
                {"name": "AEGIS_INSECURE_SKIP_TLS_VERIFY", "value": "true"}, {"name": "AEGIS_DEST", "value": "/x"},
                {"name": "AEGIS_LOG_FORMAT", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}},
                {"name": "AEGIS_CERTIFICATE_IDENTITY", "value": "ci@org.example"},
                {"name": "AEGIS_CERTIFICATE_IDENTITY_REGEXP", "value": ".*"},
                {"name": "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP", "value": "^https://.*\\.example$"},
                {"name": "AEGIS_VAULT_ADDR", "value": "https://vault:8200"}]
SERVER_ARGS = [["--model-repository=/models"], ["--model-repository=/other"], ["--model_base_path", "/models/x"],
               ["--model-store", "/srv"], ["--model", "meta-llama/x"], ["--model-id=/models2/m"]]


def mounts(rng, names):
    out = []
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        m = {"name": rng.choice(names), "mountPath": rng.choice(MOUNT_PATHS)}
        r = rng.random()
        if r < 0.5:
            m["readOnly"] = True
        elif r < 0.6:
            m["readOnly"] = False
        elif r < 0.65:
            m["readOnly"] = "true"
        out.append(m)
    return out


def model_sources(rng, comp):
    """KServe model sources on an InferenceService component (AEGIS005)."""
    for key in FRAMEWORKS:
        if rng.random() < 0.25:
            place = comp.setdefault(key, {})
            if rng.random() < 0.6:
                place["storageUri"] = rng.choice(URIS + [None])
            if rng.random() < 0.1:
                place["storage"] = {"key": "minio", "path": "m"}
            if rng.random() < 0.3:  # KServe >= 0.20 picks the ClusterStorageContainer by name
                place["storageContainerName"] = rng.choice(CONTAINER_NAMES)
            if rng.random() < 0.3:
                place["volumeMounts"] = mounts(rng, ["model", "data", "v0"])
    if rng.random() < 0.1:
        comp["storageUris"] = [{"uri": "s3://a/b", "mountPath": "/mnt/models/b"}]
    if rng.random() < 0.2:
        env = rng.choice([{"name": "STORAGE_URI", "value": rng.choice(URIS)},
                          {"name": "STORAGE_URI", "valueFrom": {"configMapKeyRef": {"name": "m", "key": "u"}}},
                          {"name": "STORAGE_URI"}, {"name": "OTHER", "value": "s3://x"}])
        comp["containers"][0]["env"] = [env]


def v3_mounts(rng, names):
    """mounts() with subPaths now and then (AEGIS009)."""
    out = mounts(rng, names)
    for m in out:
        if rng.random() < 0.1:
            m[rng.choice(["subPath", "subPathExpr"])] = rng.choice(["x", ""])
    return out


def locked_or_not(rng, v):
    """What a pod tells its verifier: args, env, command, restartPolicy (AEGIS007, AEGIS008)."""
    if rng.random() < 0.7:
        v["args"] = list(rng.choice(ARGS))
    if rng.random() < 0.5:
        v.setdefault("env", []).append({"name": "AEGIS_TRUST_POLICY", "value": rng.choice(TRUST_VALUES)})
        if rng.random() < 0.1:
            v["env"].append({"name": "AEGIS_TRUST_POLICY", "value": rng.choice(TRUST_VALUES)})
        if rng.random() < 0.05:
            v["env"][-1] = {"name": "AEGIS_TRUST_POLICY", "valueFrom": {"configMapKeyRef": {"name": "p", "key": "t"}}}
    if rng.random() < 0.25:
        v.setdefault("env", []).append(dict(rng.choice(VERIFIER_ENV)))
    if rng.random() < 0.05:
        v["command"] = ["sh", "-c", "true"]
    if rng.random() < 0.05:
        v["restartPolicy"] = "Always"


def pod_spec(rng):
    spec = {"containers": [{"name": "server", "image": "server:1"}]}
    if rng.random() < 0.1:
        del spec["containers"][0]["name"]
    if rng.random() < 0.6:
        spec["containers"][0]["volumeMounts"] = v3_mounts(rng, ["model", "data", "v0"])
    if rng.random() < 0.3:
        spec["containers"][0]["args"] = list(rng.choice(SERVER_ARGS))
    if rng.random() < 0.2:
        spec["containers"].append({"name": "sidecar", "volumeMounts": v3_mounts(rng, ["model", "data"])})
    if rng.random() < 0.05:
        spec["ephemeralContainers"] = [{"name": "debug", "volumeMounts": v3_mounts(rng, ["model"])}]
    volumes = []
    for i in range(rng.randint(0, 3)):
        secret = rng.choice(SECRETS)
        form = rng.random()
        if form < 0.5:
            volumes.append({"name": f"v{i}", "secret": {"secretName": secret}})
        elif form < 0.75:
            volumes.append({"name": f"v{i}", "projected": {"sources": [
                {"configMap": {"name": "cm"}}, {"secret": {"name": secret}}][rng.randint(0, 1):]}})
        elif form < 0.9:
            volumes.append({"name": f"v{i}", "emptyDir": {}})
        else:  # a trusted-root ConfigMap (keyless), or another one
            volumes.append({"name": f"v{i}", "configMap": {"name": rng.choice(ROOT_MAPS)}})
    if volumes or rng.random() < 0.5:
        spec["volumes"] = volumes
    inits = []
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        c = {"name": rng.choice(INIT_NAMES)}
        image = rng.choice(IMAGES)
        if image is not None:
            c["image"] = image
        if volumes and rng.random() < 0.7:
            c["volumeMounts"] = [{"name": rng.choice(volumes)["name"], "mountPath": "/etc/cosign"}]
            if rng.random() < 0.5:
                c["volumeMounts"][0]["readOnly"] = True
        if rng.random() < 0.6:
            c.setdefault("volumeMounts", []).extend(mounts(rng, ["model", "model", "data"]))
        if rng.random() < 0.25:
            c["env"] = [{"name": "VAULT_ADDR", "value": "https://vault:8200"} if rng.random() < 0.6 else
                        {"name": "VAULT_ADDR", "valueFrom": {"configMapKeyRef": {"name": "v", "key": "addr"}}}]
            if rng.random() < 0.2:
                c["env"][0]["name"] = "VAULT_TOKEN"
        if rng.random() < 0.25:  # keyless: a trusted root, an identity and an issuer (or not all)
            env = c.setdefault("env", [])
            for names in (["AEGIS_TRUSTED_ROOT"], ["AEGIS_CERTIFICATE_IDENTITY", "AEGIS_CERTIFICATE_IDENTITY_REGEXP"],
                          ["AEGIS_CERTIFICATE_OIDC_ISSUER", "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP"]):
                if rng.random() < 0.85:
                    e = {"name": rng.choice(names)}
                    if rng.random() < 0.9:
                        e["value"] = "x"
                    env.append(e)
            if volumes and rng.random() < 0.8:
                c.setdefault("volumeMounts", []).append({"name": rng.choice(volumes)["name"], "mountPath": "/etc/sigstore"})
        inits.append(c)
    if rng.random() < 0.65:
        # Nearly conforming: the verifier with its key, so that the later rules (image, model
        # source, model mount) decide the outcome.
        volumes.append({"name": "key", "secret": {"secretName": "cosign-public-key"}})
        spec["volumes"] = volumes
        v = {"name": "verify-and-fetch", "image": rng.choice(IMAGES[:4] + IMAGES[6:8]),
             "volumeMounts": [{"name": "key", "mountPath": "/etc/cosign", "readOnly": True}] + mounts(rng, ["model"])}
        if v["image"] is None:
            del v["image"]
        locked_or_not(rng, v)
        inits.insert(0, v)
        # The model volume: an emptyDir, a generic ephemeral volume, or something others write.
        if not any(x.get("name") == "model" for x in volumes):
            volumes.append(rng.choice([{"name": "model", "emptyDir": {}}, {"name": "model", "emptyDir": {}},
                                       {"name": "model", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
                                       {"name": "model", "hostPath": {"path": "/m"}},
                                       {"name": "model", "persistentVolumeClaim": {"claimName": "c"}}]))
        if rng.random() < 0.15:  # a later initContainer (or native sidecar) near the model
            later = {"name": rng.choice(["tamper", "sync"]), "volumeMounts": v3_mounts(rng, ["model", "data"])}
            if rng.random() < 0.3:
                later["restartPolicy"] = "Always"
            inits.append(later)
    if inits or rng.random() < 0.3:
        spec["initContainers"] = inits
    return spec


def put(obj, path, value):
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    obj[path[-1]] = value


def make_object(rng, index):
    api, kind, path = rng.choice(KINDS)
    meta = {"name": f"o{index}"}
    if rng.random() < 0.95:
        meta["namespace"] = rng.choice(NAMESPACES)
    labels = {k: rng.choice(v) for k, v in LABELS.items() if rng.random() < 0.4}
    if labels:
        meta["labels"] = labels
    obj = {"apiVersion": api, "kind": kind, "metadata": meta}
    if rng.random() < 0.1:  # KServe's LocalModelCache marks the Pod it serves from a PVC
        meta.setdefault("labels", {})["internal.serving.kserve.io/localmodel"] = rng.choice(["iris", "bert"])
        if rng.random() < 0.7:
            meta["annotations"] = {"internal.serving.kserve.io/localmodel-pvc-name": rng.choice(["iris-gpu", "bert-cpu"])}
    if kind == "InferenceService":
        obj["spec"] = {}
        for comp in ["predictor", "transformer", "explainer"]:
            if comp == "predictor" and rng.random() < 0.97 or comp != "predictor" and rng.random() < 0.3:
                s = pod_spec(rng)
                if comp == "predictor" and rng.random() < 0.5:
                    s["model"] = {"modelFormat": {"name": "sklearn"}}
                model_sources(rng, s)
                if comp == "predictor" and rng.random() < 0.15:  # multi-node: KServe's WorkerSpec
                    s["workerSpec"] = pod_spec(rng) if rng.random() < 0.9 else None
                obj["spec"][comp] = s
    elif kind == "LLMInferenceService":
        spec = obj["spec"] = {}
        if rng.random() < 0.9:
            spec["model"] = {"uri": rng.choice(URIS)}
            if rng.random() < 0.2:
                spec["model"]["lora"] = {"adapters": [{"name": "a", "uri": rng.choice(URIS)}]}
        if rng.random() < 0.5:
            spec["storageInitializer"] = {"enabled": rng.choice([False, False, True, "false"])}
        if rng.random() < 0.85:
            spec["template"] = pod_spec(rng)
        if rng.random() < 0.2:
            spec["worker"] = pod_spec(rng)
        if rng.random() < 0.2:
            spec["prefill"] = {"template": pod_spec(rng)}
            if rng.random() < 0.5:
                spec["prefill"]["worker"] = pod_spec(rng)
    elif kind == "TrainedModel":
        model = {"framework": "sklearn", "memory": "1Gi"}
        if rng.random() < 0.8:
            model["storageUri"] = rng.choice(URIS)
        obj["spec"] = {"inferenceService": "mms", "model": model}
    elif kind == "ServingRuntime":
        spec = obj["spec"] = {"supportedModelFormats": [{"name": "onnx"}]}
        c = {"name": "kserve-container", "image": "triton:1"}
        if rng.random() < 0.5:
            c["args"] = list(rng.choice(SERVER_ARGS + [["--model-store=/mnt/models"]]))
        if rng.random() < 0.6:
            c["volumeMounts"] = v3_mounts(rng, ["kserve-provision-location", "cache"])
            for m in c["volumeMounts"]:
                if rng.random() < 0.5:
                    m["mountPath"] = rng.choice(["/mnt/models", "/mnt/models/x", "/mnt", "/work"])
        spec["containers"] = [c]
        if rng.random() < 0.2:
            spec["workerSpec"] = {"containers": [dict(c, name="worker")]}
    elif kind in ("ConfigMap", "Service"):
        obj["data" if kind == "ConfigMap" else "spec"] = {"a": "b"} if kind == "ConfigMap" else {"ports": [{"port": 80}]}
    else:
        put(obj, path, pod_spec(rng))
        if kind == "Rollout" and rng.random() < 0.15:
            obj["spec"]["workloadRef"] = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d"}
            del obj["spec"]["template"]
    return obj


def make_constraint(rng, index):
    params = {}
    if rng.random() < 0.5:
        params["initContainerPattern"] = rng.choice(PATTERNS)
    if rng.random() < 0.4:
        params["secretName"] = rng.choice(SECRETS[:2])
    if rng.random() < 0.3:
        params["requireMount"] = rng.random() < 0.5
    if rng.random() < 0.3:
        params["allowVaultVerification"] = rng.random() < 0.7
    if rng.random() < 0.4:
        params["allowKeylessVerification"] = rng.random() < 0.8
    if rng.random() < 0.3:
        params["trustedRootConfigMap"] = rng.choice(ROOT_MAPS)
    if rng.random() < 0.2:
        params["namespaces"] = rng.sample(NAMESPACES, 2)
    if rng.random() < 0.5:
        params["verifierImages"] = rng.sample(IMAGE_ENTRIES, rng.choice([0, 1, 2, 2, 3]))
    if rng.random() < 0.25:
        params["requireDigest"] = rng.random() < 0.7
    if rng.random() < 0.6:
        params["requireVerifiedModel"] = rng.random() < 0.85
    if rng.random() < 0.6:
        params["requireModelMount"] = rng.random() < 0.85
    if rng.random() < 0.3:
        params["verifiedStorageUriPrefixes"] = rng.sample(PREFIXES, rng.choice([1, 2]))
        if rng.random() < 0.6:
            params["storageContainerName"] = rng.choice(CONTAINER_NAMES[:2])
    if rng.random() < 0.6:
        params["trust"] = rng.choice(TRUSTS)
    if rng.random() < 0.7:
        params["lockVerifier"] = rng.random() < 0.9
    if rng.random() < 0.7:
        params["sealModelVolume"] = rng.random() < 0.9
    match = {}
    if rng.random() < 0.5:
        groups = [["", "apps", "batch"], ["serving.kserve.io", "serving.kubeflow.org"], ["*"],
                  ["argoproj.io", "serving.knative.dev"]]
        match["kinds"] = [{"apiGroups": rng.choice(groups),
                           "kinds": rng.choice([["*"], ["Pod", "Deployment", "InferenceService"],
                                                ["Job", "CronJob", "Rollout", "Service"],
                                                ["LLMInferenceService", "TrainedModel", "Pod"],
                                                ["ServingRuntime", "InferenceService"]])}]
    if rng.random() < 0.3:
        match["namespaces"] = rng.choice([["models", "serving"], ["team-*"], ["*-models"], ["prod-*", "default"]])
    if rng.random() < 0.3:
        match["excludedNamespaces"] = rng.choice([["kube-*"], ["team-b"], ["*-system", "default"]])
    if rng.random() < 0.3:
        sel = {}
        if rng.random() < 0.5:
            sel["matchLabels"] = {"app": rng.choice(LABELS["app"])}
        else:
            op = rng.choice(["In", "NotIn", "Exists", "DoesNotExist"])
            expr = {"key": rng.choice(list(LABELS)), "operator": op}
            if op in ("In", "NotIn"):
                expr["values"] = rng.sample(LABELS["app"] + LABELS["tier"], 2)
            sel["matchExpressions"] = [expr]
        match["labelSelector"] = sel
    if rng.random() < 0.25:
        if rng.random() < 0.5:
            match["namespaceSelector"] = {"matchLabels": {"serving": "true"}}
        else:
            op = rng.choice(["In", "NotIn", "Exists", "DoesNotExist"])
            expr = {"key": rng.choice(list(NS_LABELS)), "operator": op}
            if op in ("In", "NotIn"):
                expr["values"] = ["a", "true"]
            match["namespaceSelector"] = {"matchExpressions": [expr]}
    if rng.random() < 0.15:
        match["scope"] = rng.choice(["*", "Namespaced", "Cluster"])
    if rng.random() < 0.1:
        match["name"] = rng.choice(["o1*", "*7", "o42"])
    spec = {"enforcementAction": rng.choice(["deny", "warn", "dryrun"])}
    if match:
        spec["match"] = match
    if params:
        spec["parameters"] = params
    return {"apiVersion": "constraints.gatekeeper.sh/v1beta1", "kind": "AegisSignedPod",
            "metadata": {"name": f"c{index}"}, "spec": spec}


def write_stream(path, docs):
    with open(path, "w") as f:
        for d in docs:
            f.write("---\n" + json.dumps(d) + "\n")


def run_aegis(aegis, workdir, constraints, objects):
    cdir = os.path.join(workdir, "constraints")
    os.makedirs(cdir, exist_ok=True)
    for f in os.listdir(cdir):
        os.remove(os.path.join(cdir, f))
    for c in constraints:
        write_stream(os.path.join(cdir, c["metadata"]["name"] + ".yaml"), [c])
    objs = os.path.join(workdir, "objects.yaml")
    write_stream(objs, objects)
    p = subprocess.run([aegis, "lint", "-o", "json", "--policy", cdir, objs], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"aegis lint failed (exit {p.returncode}): {p.stderr[:2000]}")
    found = set()
    for f in json.loads(p.stdout)["findings"]:
        found.add((f["constraint"], f["kind"], f["namespace"], f["name"], f["component"], f["ruleId"],
                   f["enforcementAction"], f["message"]))
    return found


def as_admitted(obj):
    """The object as the API server hands it to Gatekeeper: a namespaced object created
    without metadata.namespace gets the request's namespace before admission (`kubectl apply`
    without -n: "default"); `aegis lint` does the same placement itself (--namespace)."""
    if "namespace" in obj["metadata"] or obj["kind"] in ("Namespace",):
        return obj
    return dict(obj, metadata=dict(obj["metadata"], namespace="default"))


def run_gator(gator, template, workdir, constraints, objects):
    path = os.path.join(workdir, "gator-input.yaml")
    write_stream(path, constraints + [as_admitted(o) for o in objects])
    p = subprocess.run([gator, "test", "-o", "json", "-f", template, "-f", path], capture_output=True, text=True)
    if p.returncode not in (0, 1) or not p.stdout.strip().startswith(("[", "null")):
        sys.exit(f"gator test failed (exit {p.returncode}): {p.stderr[:2000]} {p.stdout[:2000]}")
    found = set()
    for r in json.loads(p.stdout) or []:
        d = r["metadata"]["details"]
        found.add((r["constraint"]["metadata"]["name"], d["kind"], d["namespace"], d["name"], d["component"],
                   d["id"], r["enforcementAction"], r["msg"]))
    return found


def by_object(findings):
    out = {}
    for f in findings:
        out.setdefault((f[1], f[2], f[3]), set()).add(f)
    return out


def identity(obj):
    return (obj["kind"], obj["metadata"].get("namespace", "default"), obj["metadata"]["name"])


def shrink(obj, still_disagrees, budget=150):
    """Greedy: remove one key or list item at a time while the disagreement persists."""
    def candidates(node, path):
        if isinstance(node, dict):
            for k in list(node):
                if path == [] and k in ("apiVersion", "kind", "metadata"):
                    continue
                if path == ["metadata"] and k == "name":
                    continue
                yield path + [k]
                yield from candidates(node[k], path + [k])
        elif isinstance(node, list):
            for i in range(len(node)):
                yield path + [i]
                yield from candidates(node[i], path + [i])

    def without(o, path):
        o = json.loads(json.dumps(o))
        parent = o
        for p in path[:-1]:
            parent = parent[p]
        del parent[path[-1]]
        return o

    changed = True
    while changed and budget > 0:
        changed = False
        for path in list(candidates(obj, [])):
            budget -= 1
            if budget <= 0:
                break
            trial = without(obj, path)
            if still_disagrees(trial):
                obj, changed = trial, True
                break
    return obj


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aegis", required=True)
    ap.add_argument("--gator", required=True)
    ap.add_argument("--template", required=True)
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--constraints", type=int, default=6)
    ap.add_argument("--seed", type=int, default=20261129)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    constraints = [make_constraint(rng, i) for i in range(a.constraints)]
    namespaces = make_namespaces(rng)
    objects = namespaces + [make_object(rng, i) for i in range(a.count)]
    with tempfile.TemporaryDirectory() as workdir:
        ours = run_aegis(a.aegis, workdir, constraints, objects)
        theirs = run_gator(a.gator, a.template, workdir, constraints, objects)
        kinds = sorted({o["kind"] for o in objects})
        print(f"seed {a.seed}: {len(objects)} objects ({len(kinds)} kinds), {len(constraints)} constraints "
              f"({', '.join(c['spec']['enforcementAction'] for c in constraints)}); "
              f"aegis {len(ours)} findings, gator {len(theirs)} violations")
        rules = sorted({f[5] for f in ours})
        print("rules found: " + ", ".join(f"{r} {sum(1 for f in ours if f[5] == r)}" for r in rules))
        if not ours or len(ours) < len(objects) // 10:
            sys.exit("too few findings: the generator no longer exercises the policy")
        a_by, g_by = by_object(ours), by_object(theirs)
        bad = [o for o in objects if a_by.get(identity(o), set()) != g_by.get(identity(o), set())]
        if not bad and len(rules) < 6:
            sys.exit(f"only {', '.join(rules)} found: the generator no longer exercises every rule")
        if not bad:
            print("zero disagreements")
            return 0
        print(f"{len(bad)} objects disagree")
        smallest = min(bad, key=lambda o: len(json.dumps(o)))

        def disagrees(o):
            x = by_object(run_aegis(a.aegis, workdir, constraints, namespaces + [o])).get(identity(o), set())
            y = by_object(run_gator(a.gator, a.template, workdir, constraints, namespaces + [o])).get(identity(o), set())
            return x != y
        small = shrink(smallest, disagrees)
        x = run_aegis(a.aegis, workdir, constraints, namespaces + [small])
        y = run_gator(a.gator, a.template, workdir, constraints, namespaces + [small])
        print("smallest disagreeing object:\n" + json.dumps(small, indent=1))
        print("namespaces:", json.dumps([n["metadata"] for n in namespaces]))
        print("aegis only:", sorted(x - y))
        print("gator only:", sorted(y - x))
        used = {f[0] for f in x ^ y}
        print("constraints involved:\n" + "\n".join(json.dumps(c) for c in constraints if c["metadata"]["name"] in used))
        return 1


if __name__ == "__main__":
    sys.exit(main())
