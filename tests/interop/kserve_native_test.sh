#!/usr/bin/env bash
# KServe-native delivery: verify-and-fetch as KServe's storage initializer, in KServe's default
# (Serverless) mode and in RawDeployment.
# What KServe makes of an InferenceService is built by kserve_inject.py, which reproduces KServe
# v0.21 step by step (its docstring names each upstream function; the kserve Go module is
# refused by the module proxy here): in Serverless the Knative Service first, which Knative
# Serving's own validation (tests/knative, knative.dev/serving's webhook checks, a real peer)
# must accept; then, in both modes, the Pod KServe's storage-initializer webhook mutates. With
# real tools: the Pod validates against the Kubernetes schemas (kubernetes-validate, strict); the
# policy admits it with the Aegis ClusterStorageContainer and refuses it otherwise; and the real
# verify-and-fetch, run with exactly the init container's arguments, environment and mounts
# against the real S3 server, places a signed model and refuses a tampered one.
. "$(dirname "$0")/lib.sh"
# The kubernetes-validate venv's python also runs kserve_inject.py (it has PyYAML).
python=$(peer kubernetes-validate "$KUBERNETES_VALIDATE" python)
knative_validate=$(peer knative-validate "$KNATIVE_SERVING" knative-validate)
: "${VAF_BIN:?}"
cd "$AEGIS_SOURCE_DIR"
grep -q "knative.dev/serving $KNATIVE_SERVING\$" tests/knative/go.mod ||
  { echo "FAIL tests/knative/go.mod does not pin knative.dev/serving $KNATIVE_SERVING (peers.env)"; exit 1; }
native=manifests/kserve-native
policy=policies/kserve-native/constraint-enforce.yaml
cat >"$work/kserve-default.yaml" <<'YAML'
# KServe's own ClusterStorageContainer (charts/kserve-resources, clusterstoragecontainer.yaml).
apiVersion: serving.kserve.io/v1alpha1
kind: ClusterStorageContainer
metadata: {name: default}
spec:
  container:
    name: storage-initializer
    image: kserve/storage-initializer:v0.21.0
    resources:
      requests: {memory: 100Mi, cpu: 100m}
      limits: {memory: 1Gi, cpu: "1"}
  supportedUriFormats:
    - prefix: gs://
    - prefix: s3://
    - prefix: hdfs://
    - prefix: webhdfs://
    - regex: "https://(.+?).blob.core.windows.net/(.+)"
    - regex: "https://(.+?).file.core.windows.net/(.+)"
    - regex: "https?://(.+)/(.+)"
YAML
sed 's/^metadata: {name: default}$/metadata: {name: default}\ndisabled: true/' "$work/kserve-default.yaml" >"$work/kserve-default-disabled.yaml"

# The S3 server, with a signed model and, at another key, a tampered copy under the same signature.
mkdir -p "$work/s3" "$work/model/iris" "$work/etc-cosign"
(cd "$AEGIS_SOURCE_DIR/tests/s3" && exec node serve.js "$work/s3") >"$work/s3.out" 2>&1 &
s3_pid=$!
kill_on_exit "$s3_pid"
eventually 10 "the S3 server (s3)" grep -q READY "$work/s3.out"
port=$(sed -n 's/^READY //p' "$work/s3.out")
[ -n "$port" ] || { echo "FAIL the S3 server did not start"; cat "$work/s3.out"; exit 1; }
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.sec1" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$work/key.sec1" -out "$work/key.pem"
openssl ec -in "$work/key.pem" -pubout -out "$work/etc-cosign/cosign.pub" 2>/dev/null
head -c 200000 /dev/urandom >"$work/model/iris/model.joblib"
tar -C "$work/model" -czf "$work/model.tar.gz" iris
"$AEGIS_BIN" sign "$work/model.tar.gz" --key "$work/key.pem" >/dev/null
cp "$work/model.tar.gz" "$work/tampered.tar.gz" && printf 'x' | dd of="$work/tampered.tar.gz" bs=1 seek=5000 conv=notrunc 2>/dev/null
put() {  # put FILE KEY: a SigV4-signed PUT (curl --aws-sigv4, the payload hash S3 requires)
  curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user AKIAAEGISTEST:aegis-test-secret \
    -H "x-amz-content-sha256: $(sha256sum "$1" | cut -d' ' -f1)" -T "$1" "http://127.0.0.1:$port/models/$2" >/dev/null
}
put "$work/model.tar.gz" sklearn/iris/model.tar.gz
put "$work/model.tar.gz.sigstore.json" sklearn/iris/model.tar.gz.sigstore.json
put "$work/tampered.tar.gz" sklearn/tampered/model.tar.gz
put "$work/model.tar.gz.sigstore.json" sklearn/tampered/model.tar.gz.sigstore.json
sed 's#s3://aegis-models/sklearn/iris/model.tar.gz#s3://models/sklearn/iris/model.tar.gz#' "$native/inferenceservice.yaml" >"$work/isvc.yaml"
sed 's#/iris/#/tampered/#' "$work/isvc.yaml" >"$work/isvc-tampered.yaml"

# edited IN OUT CODE: the InferenceService IN, with the Python statements CODE applied to it
# (d: the object, p: its predictor, m: the predictor's model), written to OUT.
edited() {
  "$python" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1])); p = d["spec"]["predictor"]; m = p.get("model", {})
exec(sys.argv[2])
print(yaml.safe_dump(d))' "$1" "$3" >"$2"
}
# s3_secret NAME HOST:PORT USEHTTPS: a Secret with the test S3 keys and KServe's S3 annotations.
s3_secret() {
  cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $1
  namespace: models
  annotations: {serving.kserve.io/s3-endpoint: "$2", serving.kserve.io/s3-usehttps: "$3", serving.kserve.io/s3-region: us-east-1}
stringData: {AWS_ACCESS_KEY_ID: AKIAAEGISTEST, AWS_SECRET_ACCESS_KEY: aegis-test-secret}
YAML
}
# The namespace's credentials as KServe reads them: the service account's S3 secret (its
# serving.kserve.io/s3-* annotations become the initializer's S3 variables).
s3_secret s3-credentials "127.0.0.1:$port" 0 >"$work/credentials.yaml"
cat >"$work/sa.yaml" <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata: {name: model-fetcher, namespace: models}
secrets: [{name: s3-credentials}]
YAML
secrets=("$work/credentials.yaml")
inject() {
  local args=() s
  for s in "${secrets[@]}"; do args+=(--secret "$s"); done
  "$python" "$AEGIS_SOURCE_DIR/tests/interop/kserve_inject.py" "${args[@]}" --service-account "$work/sa.yaml" "$@"
}
image_of() { "$python" -c 'import json, sys
pod = json.load(open(sys.argv[1]))
print(next(c["image"] for c in pod["spec"]["initContainers"] if c["name"] == "storage-initializer"))' "$1"; }
# knative FILE [FEATURE…]: Knative Serving's validation of the Knative Service in FILE.
knative() { local f=$1; shift; "$knative_validate" "${@/#/--feature=}" "$f"; }

# ---- Serverless: the Knative stage ----
expect_ok "KServe makes the Knative Service (Serverless) and the Pod for the shipped InferenceService" \
  inject --knative-out "$work/ksvc.json" "$work/isvc.yaml" "$work/kserve-default.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod.json"
expect_ok "  … Knative Serving's own validation accepts that Knative Service" knative "$work/ksvc.json"
edited "$work/isvc.yaml" "$work/isvc-unmounted.yaml" 'del m["volumeMounts"]'
inject --knative-out "$work/ksvc-unmounted.json" "$work/isvc-unmounted.yaml" "$native/clusterstoragecontainer.yaml" >/dev/null
expect_exit "  … and refuses it when only the injected container would mount the key volume (kserve#2749)" 1 knative "$work/ksvc-unmounted.json"
expect_output "  … naming the volume" 'volume with name "cosign-public-key" not mounted'
# What `aegis render` makes under the KServe-native policy from a bare InferenceService (no
# key volume, no storageContainerName): the same shape, which Knative accepts too.
edited "$work/isvc.yaml" "$work/isvc-bare.yaml" 'del p["volumes"], m["volumeMounts"], m["storageContainerName"]'
expect_ok "aegis render with the KServe-native policy keeps storageUri in a bare InferenceService" \
  sh -c '"$0" render --policy "$1" "$2" >"$3"' "$AEGIS_BIN" "$policy" "$work/isvc-bare.yaml" "$work/isvc-rendered-native.yaml"
inject --knative-out "$work/ksvc-rendered.json" "$work/isvc-rendered-native.yaml" "$work/kserve-default.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-rendered.json"
expect_ok "  … Knative Serving's own validation accepts its Knative Service" knative "$work/ksvc-rendered.json"
expect_ok "  … and the Pod KServe makes from it is admitted" "$AEGIS_BIN" lint --policy "$policy" "$work/pod-rendered.json"
[ "$(image_of "$work/pod-rendered.json")" = "localhost/aegis/verify-and-fetch:0.1.0" ] &&
  pass "  … with verify-and-fetch as its storage initializer, KServe's own container enabled" || fail "  … not verify-and-fetch"
expect_ok "  … the Pod is valid Kubernetes $KUBE_SCHEMA_OLD and $KUBE_SCHEMA_NEW (kubernetes-validate, strict)" \
  "$python" -c 'import json, sys, kubernetes_validate as k
pod = json.load(open(sys.argv[1]))
for v in sys.argv[2:]: k.validate(pod, v, strict=True)' "$work/pod.json" "$KUBE_SCHEMA_OLD" "$KUBE_SCHEMA_NEW"
expect_ok "  … the KServe-native constraint admits the InferenceService" "$AEGIS_BIN" lint --policy "$policy" "$native/inferenceservice.yaml"
expect_ok "  … and the Pod KServe makes from it" "$AEGIS_BIN" lint --policy "$policy" "$work/pod.json"
expect_exit "  … the default constraint refuses the InferenceService (it keeps storageUri)" 1 "$AEGIS_BIN" lint "$native/inferenceservice.yaml"
expect_output "  … naming the unverified source" "model.storageUri s3://aegis-models/sklearn/iris/model.tar.gz is downloaded by KServe's storage initializer, unverified \[AEGIS005\]"

# ---- Which storage container: by name (KServe >= 0.20), whatever the cache's order ----
# KServe's own ClusterStorageContainer stays enabled (it serves s3:// too). The order the files
# are given in is the order KServe's informer cache lists them, which nothing fixes.
inject "$work/isvc.yaml" "$native/clusterstoragecontainer.yaml" "$work/kserve-default.yaml" >"$work/pod-order-a.json"
inject "$work/isvc.yaml" "$work/kserve-default.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-order-b.json"
[ "$(image_of "$work/pod-order-a.json")" = "localhost/aegis/verify-and-fetch:0.1.0" ] &&
  [ "$(image_of "$work/pod-order-b.json")" = "localhost/aegis/verify-and-fetch:0.1.0" ] &&
  pass "storageContainerName: both ClusterStorageContainers enabled, either list order: the initializer is verify-and-fetch" ||
  fail "storageContainerName did not fix the storage container"
edited "$work/isvc.yaml" "$work/isvc-unnamed.yaml" 'del m["storageContainerName"]'
inject "$work/isvc-unnamed.yaml" "$native/clusterstoragecontainer.yaml" "$work/kserve-default.yaml" >"$work/pod-unnamed-a.json"
inject "$work/isvc-unnamed.yaml" "$work/kserve-default.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-unnamed-b.json"
[ "$(image_of "$work/pod-unnamed-a.json")" != "$(image_of "$work/pod-unnamed-b.json")" ] &&
  pass "  … without it the list order decides (KServe's own downloader in one order)" ||
  fail "  … without storageContainerName the outcome did not depend on the order"
expect_exit "  … the KServe-native constraint refuses the Pod with KServe's own downloader" 1 "$AEGIS_BIN" lint --policy "$policy" "$work/pod-unnamed-b.json"
expect_output "  … which downloads unverified [AEGIS005]" "initContainer storage-initializer is not an allowed verifier: it downloads the model unverified \\[AEGIS005\\]"
expect_exit "  … and refuses the InferenceService that names no storage container" 1 "$AEGIS_BIN" lint --policy "$policy" "$work/isvc-unnamed.yaml"
expect_output "  … saying which field to set" "set model.storageContainerName: aegis-verify-and-fetch"
expect_exit "  … a named container that is disabled: KServe's webhook refuses the Pod" 4 \
  inject "$work/isvc.yaml" <(sed 's/^metadata:$/disabled: true\nmetadata:/' "$native/clusterstoragecontainer.yaml")
expect_output "  … saying so" 'ClusterStorageContainer "aegis-verify-and-fetch" is disabled'
expect_exit "  … a named container that does not exist: refused too" 4 inject "$work/isvc.yaml" "$work/kserve-default.yaml"

# ---- RawDeployment: no Knative stage; the Deployment's pod template meets the same webhook ----
expect_ok "RawDeployment: the same Pod (the raw reconciler's Deployment template goes to the same webhook)" \
  inject "$work/isvc.yaml" "$native/clusterstoragecontainer.yaml"
cmp -s <("$python" -m json.tool --sort-keys "$work/out") <("$python" -m json.tool --sort-keys "$work/pod.json") &&
  pass "  … identical to the Serverless Pod" || fail "  … the RawDeployment Pod differs"

edited "$work/isvc.yaml" "$work/isvc-impostor.yaml" \
  'p["initContainers"] = [{"name": "storage-initializer", "image": "busybox:1.36", "command": ["true"]}]'
expect_ok "An own initContainer named storage-initializer stops KServe's injection" \
  inject "$work/isvc-impostor.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-impostor.json"
expect_exit "  … and the KServe-native constraint refuses that Pod" 1 "$AEGIS_BIN" lint --policy "$policy" "$work/pod-impostor.json"
expect_output "  … its storage-initializer is not the verifier image [AEGIS004]" "runs an allowed verifier image .allowed: localhost/aegis/verify-and-fetch. \[AEGIS004\]"

# run_init POD DEST [CONTAINER [DIRS]]: verify-and-fetch with the Pod's init container arguments
# and environment (CONTAINER: storage-initializer, KServe's name for the one it injects). Its
# volumes are directories here: the model volume is DEST, the key volume the test key, and
# DIRS ("volume=dir …") any other; paths in arguments and variables are mapped the same way.
# secretKeyRef values come from the Secrets given to inject.
run_init() {
  local dirs="model=$2 cosign-public-key=$work/etc-cosign ${4:-}"
  python3 - "$1" "${3:-storage-initializer}" "$dirs" "${secrets[@]}" <<'PY' >"$work/init.env"
import base64, json, shlex, sys
pod, name, dirs = json.load(open(sys.argv[1])), sys.argv[2], dict(d.split("=", 1) for d in sys.argv[3].split())
secrets = {}
for f in sys.argv[4:]:
    import yaml
    for s in yaml.safe_load_all(open(f)):
        if not s or s.get("kind") != "Secret":
            continue
        data = {k: base64.b64decode(v).decode() for k, v in (s.get("data") or {}).items()}
        data.update(s.get("stringData") or {})
        secrets[s["metadata"]["name"]] = data
init = next(c for c in pod["spec"]["initContainers"] if c["name"] == name)
written = {m["name"] for m in init["volumeMounts"] if not m.get("readOnly")}
paths = {}
for m in init["volumeMounts"]:
    key = "model" if m["name"] in written else m["name"]
    assert key in dirs, f"no directory for volume {m['name']} at {m['mountPath']}"
    paths[m["mountPath"]] = dirs[key]
def mapped(v):
    for p, d in sorted(paths.items(), key=lambda kv: -len(kv[0])):
        if v == p or v.startswith(p + "/"):
            return d + v[len(p):]
    return v
args = [mapped(a) for a in init["args"]]
env = {}
for e in init.get("env", []):
    ref = (e.get("valueFrom") or {}).get("secretKeyRef")
    env[e["name"]] = mapped(secrets[ref["name"]][ref["key"]] if ref else e["value"])
if "/etc/cosign" in paths and "AEGIS_KEY" not in env:
    env["AEGIS_KEY"] = paths["/etc/cosign"]  # verify-and-fetch's default key path, mapped
print(" ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + " -- " + " ".join(shlex.quote(a) for a in args))
PY
  local line; line=$(cat "$work/init.env")
  eval "env -i PATH=\"\$PATH\" ${line%% -- *} \"\$VAF_BIN\" --termination-log \"$work/termination-log\" ${line#* -- }"
}
expect_ok "verify-and-fetch as KServe invokes it places the signed model" run_init "$work/pod.json" "$work/mnt-models"
[ -f "$work/mnt-models/iris/model.joblib" ] && cmp -s "$work/mnt-models/iris/model.joblib" "$work/model/iris/model.joblib" &&
  pass "  … /mnt/models/iris/model.joblib is the signed file" || fail "  … the model is not in place"
inject "$work/isvc-tampered.yaml" "$work/kserve-default-disabled.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-tampered.json"
expect_exit "verify-and-fetch as KServe invokes it refuses a tampered model" 5 run_init "$work/pod-tampered.json" "$work/mnt-tampered"
[ -z "$(ls -A "$work/mnt-tampered" 2>/dev/null)" ] && pass "  … /mnt/models stays empty" || fail "  … something was placed"
cat "$work/termination-log" >"$work/out"; grep -qi "signature\|digest" "$work/termination-log" && pass "  … the termination log says why" || fail "  … no reason in the termination log"
if grep -rq "aegis-test-secret" "$work/out" "$work/termination-log"; then fail "the S3 secret appears in the output"; else pass "the S3 secret appears in no output"; fi

# ---- KServe's whole initializer contract, through the Pod it makes ----
# The cluster-wide CA bundle (inferenceservice-config caBundleConfigMapName): a private S3 over
# https whose certificate only the cluster's CA vouches for (the real S3 server with TLS).
mkdir -p "$work/tls" "$work/s3-tls" "$work/custom-certs"
test_server_certificate "$work/tls" cluster-ca
cp "$work/tls/ca.pem" "$work/custom-certs/cabundle.crt"  # the ConfigMap's cabundle.crt
(cd "$AEGIS_SOURCE_DIR/tests/s3" && AEGIS_S3_TLS_CERT="$work/tls/server.pem" AEGIS_S3_TLS_KEY="$work/tls/server.key" \
  exec node serve.js "$work/s3-tls") >"$work/s3-tls.out" 2>&1 &
kill_on_exit $!
eventually 10 "the S3 server (s3-tls)" grep -q READY "$work/s3-tls.out"
tls_port=$(sed -n 's/^READY //p' "$work/s3-tls.out")
for f in model.tar.gz model.tar.gz.sigstore.json; do
  curl -sf --cacert "$work/tls/ca.pem" --aws-sigv4 "aws:amz:us-east-1:s3" --user AKIAAEGISTEST:aegis-test-secret \
    -H "x-amz-content-sha256: $(sha256sum "$work/$f" | cut -d' ' -f1)" -T "$work/$f" "https://127.0.0.1:$tls_port/models/sklearn/iris/$f" >/dev/null
done
s3_secret s3-tls "127.0.0.1:$tls_port" 1 >"$work/tls-credentials.yaml"
secrets+=("$work/tls-credentials.yaml")
sed 's#serviceAccountName: model-fetcher#serviceAccountName: fetcher-tls#' "$work/isvc.yaml" >"$work/isvc-tls.yaml"
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: fetcher-tls, namespace: models}\nsecrets: [{name: s3-tls}]\n' >>"$work/sa.yaml.tls"
cat "$work/sa.yaml" <(echo ---) "$work/sa.yaml.tls" >"$work/sa-all.yaml" && mv "$work/sa-all.yaml" "$work/sa.yaml"
expect_ok "KServe's CA bundle (caBundleConfigMapName) on the Pod" \
  inject --config '{"caBundleConfigMapName": "cabundle"}' "$work/isvc-tls.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-ca.json"
expect_ok "  … the KServe-native constraint admits that Pod" "$AEGIS_BIN" lint --policy "$policy" "$work/pod-ca.json"
expect_ok "  … verify-and-fetch trusts the bundle KServe mounts and places the model from the private S3" \
  run_init "$work/pod-ca.json" "$work/mnt-ca" storage-initializer "cabundle-cert=$work/custom-certs"
cmp -s "$work/mnt-ca/iris/model.joblib" "$work/model/iris/model.joblib" && pass "  … the signed file" || fail "  … the model is not in place"
inject "$work/isvc-tls.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-noca.json"
expect_exit "  … without the bundle the same Pod's download fails (exit 4)" 4 run_init "$work/pod-noca.json" "$work/mnt-noca"

# A storage spec (storage: {key, path}) and the storage-config secret: KServe resolves the URI
# and hands the secret's entry over as STORAGE_CONFIG. Its placeholder URI matches no container
# by URI, so only storageContainerName makes it verify-and-fetch.
cat >"$work/storage-config.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata: {name: storage-config, namespace: models}
stringData:
  localS3: '{"type": "s3", "access_key_id": "AKIAAEGISTEST", "secret_access_key": "aegis-test-secret", "endpoint_url": "http://127.0.0.1:$port", "bucket": "models", "region": "us-east-1"}'
YAML
secrets+=("$work/storage-config.yaml")
edited "$work/isvc.yaml" "$work/isvc-spec.yaml" \
  'del m["storageUri"]; m["storage"] = {"key": "localS3", "path": "sklearn/iris/model.tar.gz"}; p["serviceAccountName"] = "default"'
expect_ok "A storage spec: KServe resolves s3://models/sklearn/iris/model.tar.gz and passes STORAGE_CONFIG" \
  inject "$work/isvc-spec.yaml" "$work/kserve-default.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-spec.json"
expect_output "  … the resolved URI" '"args": \["s3://models/sklearn/iris/model.tar.gz", "/mnt/models"\]'
expect_ok "  … the KServe-native constraint admits the InferenceService (its storage container is named)" "$AEGIS_BIN" lint --policy "$policy" "$work/isvc-spec.yaml"
expect_ok "  … and the Pod" "$AEGIS_BIN" lint --policy "$policy" "$work/pod-spec.json"
expect_ok "  … verify-and-fetch reads STORAGE_CONFIG and places the model" run_init "$work/pod-spec.json" "$work/mnt-spec"
cmp -s "$work/mnt-spec/iris/model.joblib" "$work/model/iris/model.joblib" && pass "  … the signed file" || fail "  … the model is not in place"
edited "$work/isvc-spec.yaml" "$work/isvc-spec-unnamed.yaml" 'del m["storageContainerName"]'
inject "$work/isvc-spec-unnamed.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-spec-unnamed.json"
[ "$(image_of "$work/pod-spec-unnamed.json")" = "kserve/storage-initializer:v0.21.0" ] &&
  pass "  … without storageContainerName KServe's own initializer runs, even with only the Aegis container" ||
  fail "  … a storage spec without storageContainerName did not fall back to KServe's image"
expect_exit "  … which the KServe-native constraint refuses" 1 "$AEGIS_BIN" lint --policy "$policy" "$work/isvc-spec-unnamed.yaml"

# Every shape render keeps natively: a model spec (above), a framework key, a storage spec —
# each Knative Service accepted, each Pod admitted.
cat >"$work/shapes.yaml" <<'YAML'
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: shape-framework, namespace: models}
spec:
  predictor:
    sklearn: {storageUri: "gs://models/iris"}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: shape-storage-spec, namespace: models}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storage: {key: localS3, path: sklearn/iris/model.tar.gz}
YAML
expect_ok "aegis render with the KServe-native policy: a framework key and a storage spec" \
  sh -c '"$0" render --policy "$1" "$2" >"$3"' "$AEGIS_BIN" "$policy" "$work/shapes.yaml" "$work/shapes-rendered.yaml"
"$python" - "$work/shapes-rendered.yaml" "$work" <<'PY'
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    yaml.safe_dump(d, open(f"{sys.argv[2]}/{d['metadata']['name']}.yaml", "w"))
PY
for shape in shape-framework shape-storage-spec; do
  inject --knative-out "$work/ksvc-$shape.json" "$work/$shape.yaml" "$work/kserve-default.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-$shape.json"
  expect_ok "  … $shape: Knative Serving's own validation accepts its Knative Service" knative "$work/ksvc-$shape.json"
  expect_ok "  … $shape: the Pod KServe makes is admitted" "$AEGIS_BIN" lint --policy "$policy" "$work/pod-$shape.json"
done

# The serving.kserve.io/storageSecretName annotation: that secret's variables, not the service account's.
s3_secret team-s3 "127.0.0.1:$port" 0 >"$work/annotated.yaml"
secrets+=("$work/annotated.yaml")
edited "$work/isvc.yaml" "$work/isvc-annotated.yaml" \
  'd["metadata"]["annotations"] = {"serving.kserve.io/storageSecretName": "team-s3"}; p["serviceAccountName"] = "default"'
inject "$work/isvc-annotated.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-annotated.json"
expect_ok "The storageSecretName annotation: verify-and-fetch uses that secret's S3 settings" \
  run_init "$work/pod-annotated.json" "$work/mnt-annotated"

# HTTPS headers: a secret with https-host and headers becomes <host>-headers (verify-and-fetch
# sends them: tests/verifier/azure_program_test.cc, against Azurite over https).
cat >"$work/https.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: model-host, namespace: models}
stringData: {https-host: models.example.com, headers: '{"Authorization": "Bearer header-token-value"}'}
YAML
secrets+=("$work/https.yaml")
printf -- '---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: fetcher-https, namespace: models}\nsecrets: [{name: model-host}]\n' >>"$work/sa.yaml"
sed -e 's#serviceAccountName: model-fetcher#serviceAccountName: fetcher-https#' \
    -e 's#s3://models/sklearn/iris/model.tar.gz#https://models.example.com/iris/model.tar.gz#' "$work/isvc.yaml" >"$work/isvc-https.yaml"
expect_ok "HTTPS headers: KServe gives the initializer models.example.com-headers" \
  inject "$work/isvc-https.yaml" "$native/clusterstoragecontainer.yaml"
expect_output "  … with the secret's headers" '"name": "models.example.com-headers", "value": "\{\\"Authorization\\": \\"Bearer header-token-value\\"\}"'

# Istio CNI: KServe runs the initializer as the sidecar's uid (serving.kserve.io/storage-initializer-uid).
edited "$work/isvc.yaml" "$work/isvc-uid.yaml" 'd["metadata"]["annotations"] = {"serving.kserve.io/storage-initializer-uid": "1337"}'
expect_ok "Istio CNI uid override on the Pod" inject "$work/isvc-uid.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-uid.json"
expect_output "  … runAsUser 1337" '"runAsUser": 1337'
expect_ok "  … the KServe-native constraint admits it" "$AEGIS_BIN" lint --policy "$policy" "$work/pod-uid.json"

# LocalModelCache: KServe mounts the cached copy from a PVC and injects no initializer. Aegis
# cannot verify that copy, so the Pod is refused, saying why and what to do.
cat >"$work/cache.yaml" <<'YAML'
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelCache
metadata: {name: iris}
spec: {sourceModelUri: "s3://models/sklearn/iris", modelSize: 1Gi, nodeGroups: [gpu]}
YAML
expect_ok "LocalModelCache: KServe mounts the cached copy" \
  inject --local-model-cache "$work/cache.yaml" "$work/isvc.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-cached.json"
expect_exit "  … the KServe-native constraint refuses that Pod" 1 "$AEGIS_BIN" lint --policy "$policy" "$work/pod-cached.json"
expect_output "  … naming the cache and the way out" "served from KServe's LocalModelCache iris \(PVC iris-gpu\), a copy no verifier checks: annotate the InferenceService serving.kserve.io/disable-localmodel: \"true\""
edited "$work/isvc.yaml" "$work/isvc-nocache.yaml" 'd["metadata"]["annotations"] = {"serving.kserve.io/disable-localmodel": "true"}'
inject --local-model-cache "$work/cache.yaml" "$work/isvc-nocache.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-nocache.json"
expect_ok "  … with disable-localmodel the verifier runs again and the Pod is admitted" "$AEGIS_BIN" lint --policy "$policy" "$work/pod-nocache.json"

# Explicit mode: `aegis render` moves the model to its own verifier; the S3 settings KServe would
# take from the service account's Secret (endpoint and scheme annotations, the keys) are
# translated into the verifier's environment, and with them the real verifier reaches the bucket.
cat >"$work/explicit.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: kserve-s3
  namespace: models
  annotations:
    serving.kserve.io/s3-endpoint: "127.0.0.1:$port"
    serving.kserve.io/s3-usehttps: "0"
    serving.kserve.io/s3-region: us-east-1
type: Opaque
stringData: {AWS_ACCESS_KEY_ID: AKIAAEGISTEST, AWS_SECRET_ACCESS_KEY: aegis-test-secret}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: model-sa, namespace: models}
secrets: [{name: kserve-s3}]
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris, namespace: models}
spec:
  predictor:
    serviceAccountName: model-sa
    model:
      modelFormat: {name: sklearn}
      storageUri: s3://models/sklearn/iris/model.tar.gz
YAML
secrets+=("$work/explicit.yaml")
expect_ok "aegis render (explicit mode) with the ServiceAccount and its S3 Secret in the input" \
  sh -c '"$0" render --allow-unpinned "$1" >"$2"' "$AEGIS_BIN" "$work/explicit.yaml" "$work/rendered.yaml"
"$python" -c 'import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
print(yaml.safe_dump(next(d for d in docs if d["kind"] == "InferenceService")))' "$work/rendered.yaml" >"$work/explicit-isvc.yaml"
expect_output "  … says it translated them" "the S3 settings of secret kserve-s3 \(service account model-sa\)"
expect_ok "  … KServe injects nothing into it (no storageUri left)" inject "$work/explicit-isvc.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-explicit.json"

# Explicit mode in Serverless: the verifier is an initContainer of the predictor itself, which
# Knative refuses unless its kubernetes.podspec-init-containers feature is enabled (Knative's
# default: disabled) — the one Knative setting explicit mode needs (README).
inject --knative-out "$work/ksvc-explicit.json" "$work/explicit-isvc.yaml" "$native/clusterstoragecontainer.yaml" >/dev/null
expect_exit "Explicit mode: Knative's defaults refuse the initContainer" 1 knative "$work/ksvc-explicit.json"
expect_output "  … naming the field" "must not set the field\(s\): spec.template.spec.initContainers"
expect_ok "  … accepted with kubernetes.podspec-init-containers=enabled" knative "$work/ksvc-explicit.json" kubernetes.podspec-init-containers=enabled
expect_ok "  … the Pod is valid Kubernetes $KUBE_SCHEMA_NEW (kubernetes-validate, strict)" \
  "$python" -c 'import json, sys, kubernetes_validate as k; k.validate(json.load(open(sys.argv[1])), sys.argv[2], strict=True)' \
  "$work/pod-explicit.json" "$KUBE_SCHEMA_NEW"
expect_ok "  … and its verifier, with the translated environment, places the signed model" \
  run_init "$work/pod-explicit.json" "$work/mnt-explicit" verify-and-fetch
cmp -s "$work/mnt-explicit/iris/model.joblib" "$work/model/iris/model.joblib" &&
  pass "  … /mnt/models/iris/model.joblib is the signed file" || fail "  … the model is not in place"
# The control: the InferenceService alone (its ServiceAccount not in render's input) gets no S3
# settings, and its verifier cannot reach the bucket.
"$AEGIS_BIN" render --allow-unpinned <(sed -n '/^kind: InferenceService/,$p' "$work/explicit.yaml" | sed '1i apiVersion: serving.kserve.io/v1beta1') \
  >"$work/alone.yaml" 2>"$work/alone.err"
grep -q "do not reach it" "$work/alone.err" && pass "  … without them render says the settings do not reach the verifier" ||
  fail "  … render did not say the S3 settings are lost"
inject "$work/alone.yaml" "$native/clusterstoragecontainer.yaml" >"$work/pod-alone.json"
expect_exit "  … and that verifier has no credentials (exit 2)" 2 run_init "$work/pod-alone.json" "$work/mnt-alone" verify-and-fetch
finish
