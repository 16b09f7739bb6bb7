#!/usr/bin/env bash
# KServe-native delivery: verify-and-fetch as KServe's storage initializer.
# The Pod KServe would make for manifests/kserve-native/inferenceservice.yaml is built by
# kserve_inject.py, which reproduces KServe's injection function by function
# (storage_initializer_injector.go: InjectStorageInitializer, CommonStorageInitialization,
# mergeContainerSpecs; utils.go: CreateInitContainerWithConfig, AddModelMount; see its
# docstring; the kserve Go module itself is refused by the module proxy here). Then, with real
# tools: the Pod validates against the Kubernetes schemas (kubernetes-validate, strict); the
# policy admits it with the Aegis ClusterStorageContainer and refuses it with KServe's default
# one; and the real verify-and-fetch, run with exactly the init container's arguments and
# environment against the real S3 server, places a signed model and refuses a tampered one.
. "$(dirname "$0")/lib.sh"
# The kubernetes-validate venv's python also runs kserve_inject.py (it has PyYAML).
python=$(peer kubernetes-validate "$KUBERNETES_VALIDATE" python)
: "${VAF_BIN:?}"
cd "$AEGIS_SOURCE_DIR"
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
    image: kserve/storage-initializer:v0.15.2
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
trap 'kill $s3_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q READY "$work/s3.out" && break; sleep 0.1; done
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

inject() { "$python" "$AEGIS_SOURCE_DIR/tests/interop/kserve_inject.py" --s3-endpoint "127.0.0.1:$port" "$@"; }
expect_ok "KServe's injection with the Aegis ClusterStorageContainer (KServe's default disabled)" \
  inject "$work/isvc.yaml" "$work/kserve-default-disabled.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod.json"
expect_ok "  … the Pod is valid Kubernetes $KUBE_SCHEMA_OLD and $KUBE_SCHEMA_NEW (kubernetes-validate, strict)" \
  "$python" -c 'import json, sys, kubernetes_validate as k
pod = json.load(open(sys.argv[1]))
for v in sys.argv[2:]: k.validate(pod, v, strict=True)' "$work/pod.json" "$KUBE_SCHEMA_OLD" "$KUBE_SCHEMA_NEW"
expect_ok "  … the KServe-native constraint admits the InferenceService" "$AEGIS_BIN" lint --policy "$policy" "$native/inferenceservice.yaml"
expect_ok "  … and the Pod KServe makes from it" "$AEGIS_BIN" lint --policy "$policy" "$work/pod.json"
expect_exit "  … the default constraint refuses the InferenceService (it keeps storageUri)" 1 "$AEGIS_BIN" lint "$native/inferenceservice.yaml"
expect_output "  … naming the unverified source" "model.storageUri s3://aegis-models/sklearn/iris/model.tar.gz is downloaded by KServe's storage initializer, unverified \[AEGIS005\]"

expect_ok "KServe's injection when only KServe's default ClusterStorageContainer serves s3://" \
  inject "$work/isvc.yaml" "$work/kserve-default.yaml"
cp "$work/out" "$work/pod-default.json"
expect_exit "  … the KServe-native constraint refuses that Pod" 1 "$AEGIS_BIN" lint --policy "$policy" "$work/pod-default.json"
expect_output "  … its storage-initializer is not the verifier image [AEGIS004]" "runs an allowed verifier image .allowed: localhost/aegis/verify-and-fetch. \[AEGIS004\]"
expect_output "  … and downloads unverified [AEGIS005]" "initContainer storage-initializer is not an allowed verifier: it downloads the model unverified \[AEGIS005\]"
expect_ok "An own initContainer named storage-initializer stops KServe's injection" \
  inject <("$python" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1])); d["spec"]["predictor"]["initContainers"] = [{"name": "storage-initializer", "image": "busybox:1.36", "command": ["true"]}]
print(yaml.safe_dump(d))' "$work/isvc.yaml") "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-impostor.json"
expect_exit "  … and the KServe-native constraint refuses that Pod" 1 "$AEGIS_BIN" lint --policy "$policy" "$work/pod-impostor.json"

# run_init POD DEST [CONTAINER]: verify-and-fetch with the Pod's init container arguments and
# environment (CONTAINER: storage-initializer, KServe's name for the one it injects); the
# volumes are mapped to directories: /mnt/models to DEST, /etc/cosign to the key, and the
# secretKeyRef values come from the S3 secret.
run_init() {
  python3 - "$1" "$2" "$work/etc-cosign" "${3:-storage-initializer}" <<'PY' >"$work/init.env"
import json, shlex, sys
pod, dest, keys, name = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
init = next(c for c in pod["spec"]["initContainers"] if c["name"] == name)
secret = {"AWS_ACCESS_KEY_ID": "AKIAAEGISTEST", "AWS_SECRET_ACCESS_KEY": "aegis-test-secret"}
paths = {m["mountPath"]: m["name"] for m in init["volumeMounts"]}
assert "/mnt/models" in paths and "/etc/cosign" in paths, paths
args = [dest if a == "/mnt/models" else a for a in init["args"]]
env = {e["name"]: e["value"] if "value" in e else secret[e["valueFrom"]["secretKeyRef"]["key"]] for e in init["env"]}
env["AEGIS_KEY"] = keys  # the key volume's mount, /etc/cosign
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
expect_ok "aegis render (explicit mode) with the ServiceAccount and its S3 Secret in the input" \
  sh -c '"$0" render --allow-unpinned "$1" >"$2"' "$AEGIS_BIN" "$work/explicit.yaml" "$work/rendered.yaml"
"$python" -c 'import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
print(yaml.safe_dump(next(d for d in docs if d["kind"] == "InferenceService")))' "$work/rendered.yaml" >"$work/explicit-isvc.yaml"
expect_output "  … says it translated them" "the S3 settings of secret kserve-s3 \(service account model-sa\)"
expect_ok "  … KServe injects nothing into it (no storageUri left)" inject "$work/explicit-isvc.yaml" "$native/clusterstoragecontainer.yaml"
cp "$work/out" "$work/pod-explicit.json"
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
