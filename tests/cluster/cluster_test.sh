#!/usr/bin/env bash
# The seed's acceptance criteria on the real cluster of up.sh (issue 17): each PROOF runs in a
# namespace and with constraints of its own, so the proofs run side by side.
#   tests/cluster/cluster_test.sh admission|canary|observe|lint-audit|pins|helm
#   env: AEGIS_BIN (aegis), AEGIS_SOURCE_DIR, AEGIS_CLUSTER_DIR (default /tmp/aegis-cluster),
#        AEGIS_CLUSTER_REPORTS (where the canary's JUnit/JSON reports are kept, optional)
# A cluster that is not up is SKIPPED (exit 77) in a developer build and a failure with
# AEGIS_REQUIRE_PEERS=1 (CI).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"
proof=${1:?usage: cluster_test.sh admission|canary|observe|lint-audit|pins|helm}
aegis=${AEGIS_BIN:?AEGIS_BIN: the aegis binary}

pass() { echo "PASS: $*"; }
[ -f "$cluster_dir/cluster.env" ] || skip_or_fail "no cluster at $cluster_dir (bash tests/cluster/up.sh)"
# shellcheck disable=SC1091
. "$cluster_dir/cluster.env"
"$here/status.sh" >/dev/null || die "the cluster at $cluster_dir is not healthy: $("$here/status.sh")"

work=$(mktemp -d "${TMPDIR:-/tmp}/aegis-cluster-$proof-XXXXXX")
namespaces=()
constraints=()
cleanup() {
  for c in "${constraints[@]}"; do kubectl delete aegissignedpod "$c" --wait=false >/dev/null 2>&1 || true; done
  for ns in "${namespaces[@]}"; do kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# namespace NAME [LABEL=VALUE]: a fresh namespace for this proof, with the model-fetcher
# service account the rendered pods run as.
namespace() {
  local ns="$1-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  kubectl create namespace "$ns" >/dev/null
  kubectl -n "$ns" create serviceaccount model-fetcher >/dev/null
  namespaces+=("$ns")
  [ -z "${2:-}" ] || kubectl label namespace "$ns" "$2" >/dev/null
  echo "$ns"
}

# apply_template FILE: kubectl apply of the (one, shared) template; the proofs apply it side by
# side, and of two first applies one gets AlreadyExists: applied again, it is an update.
apply_template() {
  local attempt
  for attempt in 1 2 3; do
    kubectl apply -f "$1" >"$work/apply.out" 2>&1 && return 0
    grep -q AlreadyExists "$work/apply.out" || break
  done
  die "kubectl apply -f $1: $(cat "$work/apply.out")"
}

# The project's ConstraintTemplate (the one `aegis policy export` prints and policies/ ships),
# admitted by the real Gatekeeper: its CRD appears and the template reports created, no errors.
template() {
  "$aegis" policy export --only template >"$work/template.yaml"
  cmp -s "$work/template.yaml" "$AEGIS_SOURCE_DIR/policies/constrainttemplate.yaml" ||
    die "aegis policy export --only template differs from policies/constrainttemplate.yaml"
  apply_template "$work/template.yaml"
  eventually 60 "the AegisSignedPod CRD" kubectl wait --for=condition=established --timeout=1s crd/aegissignedpod.constraints.gatekeeper.sh
  eventually 60 "the template's status.created" test "$(kubectl get constrainttemplate aegissignedpod -o 'jsonpath={.status.created}')" = true
  local errors
  errors=$(kubectl get constrainttemplate aegissignedpod -o 'jsonpath={.status.byPod[*].errors}')
  [ -z "$errors" ] || die "Gatekeeper reports errors for the template: $errors"
}

# constraint NAME ENFORCEMENT EXPORT_ARGS…: an AegisSignedPod constraint from `aegis policy
# export`, renamed for this proof; returns once Gatekeeper enforces it.
constraint() {
  local name=$1 enforcement=$2
  shift 2
  "$aegis" policy export --only constraint --enforcement "$enforcement" "$@" >"$work/$name.yaml"
  grep -c '^kind: AegisSignedPod' "$work/$name.yaml" | grep -qx 1 || die "aegis policy export $*: not one constraint"
  constraints+=("$name")
  sed "s/^  name: aegis-.*/  name: $name/" "$work/$name.yaml" | kubectl apply -f - >/dev/null
  eventually 60 "Gatekeeper's webhook and audit enforcing constraint $name" enforced "$name"
}

# enforced CONSTRAINT: both Gatekeeper pods (the webhook's and the audit's) report it enforced.
enforced() {
  kubectl get aegissignedpod "$1" -o json | python3 -c '
import json, sys
pods = json.load(sys.stdin).get("status", {}).get("byPod", [])
ops = {op for p in pods if p.get("enforced") for op in p.get("operations", [])}
sys.exit(0 if {"webhook", "audit"} <= ops else 1)'
}

# models NAMESPACE: what an adopter does on the first day (README's quick start), for NAMESPACE:
# `aegis init` (keys, the constraint scoped to the namespace in deny mode and requiring the
# verifier image by digest, the key's Secret), a
# model signed with `aegis sign` and uploaded to the cluster's S3 server next to its bundle, and
# the same bundle next to a tampered copy; the S3 credentials as a Secret for --env-from-secret.
# Sets init_dir, artifact, tampered.
models() {
  local ns=$1 prefix
  prefix="$proof-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  init_dir=$work/aegis
  "$aegis" init --scope namespaces --namespaces "$ns" --secret-manifests --enforcement deny --require-digest "$init_dir" >/dev/null
  kubectl apply -f "$init_dir/secret-$ns.yaml" >/dev/null
  mkdir -p "$work/model/resnet/1"
  head -c 262144 /dev/urandom >"$work/model/resnet/1/model.onnx"
  printf 'name: "resnet"\nplatform: "onnxruntime_onnx"\n' >"$work/model/resnet/config.pbtxt"
  tar -C "$work/model" -czf "$work/model.tar.gz" .
  "$aegis" sign "$work/model.tar.gz" --key "$init_dir/signing-key.pem" >/dev/null 2>&1 || die "aegis sign failed"
  cp "$work/model.tar.gz" "$work/tampered.tar.gz"
  printf 'tampered' | dd of="$work/tampered.tar.gz" bs=1 seek=4000 conv=notrunc 2>/dev/null
  s3_put "$work/model.tar.gz" "$prefix/model.tar.gz"
  s3_put "$work/model.tar.gz.sigstore.json" "$prefix/model.tar.gz.sigstore.json"
  s3_put "$work/tampered.tar.gz" "$prefix/tampered.tar.gz"
  s3_put "$work/model.tar.gz.sigstore.json" "$prefix/tampered.tar.gz.sigstore.json"
  artifact="s3://models/$prefix/model.tar.gz"
  tampered="s3://models/$prefix/tampered.tar.gz"
  kubectl -n "$ns" create secret generic s3-credentials --from-literal=AWS_ACCESS_KEY_ID=AKIAAEGISTEST \
    --from-literal=AWS_SECRET_ACCESS_KEY=aegis-test-secret --from-literal=AWS_REGION=us-east-1 \
    --from-literal=AWS_ENDPOINT_URL_S3="$AEGIS_CLUSTER_S3_POD_ENDPOINT" >/dev/null
}

# s3_put FILE KEY: into bucket "models" of the cluster's S3 server (SigV4, as the AWS CLI signs).
s3_put() {
  curl -sSf --aws-sigv4 aws:amz:us-east-1:s3 --user AKIAAEGISTEST:aegis-test-secret \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$1" "$AEGIS_CLUSTER_S3_HOST_ENDPOINT/models/$2" >/dev/null
}

# The canary options every run shares: the cluster's images, the S3 Secret, the server's
# readiness endpoint through the API server's pod proxy.
canary_options=(--image "$AEGIS_CLUSTER_VERIFIER_IMAGE" --server-image "$AEGIS_CLUSTER_SERVER_IMAGE"
  --env-from-secret s3-credentials --probe-path /v2/health/ready --probe-port 8000 --poll-interval 1s --timeout 3m)

# keep FILE: a report for CI to archive (AEGIS_CLUSTER_REPORTS).
keep() { [ -z "${AEGIS_CLUSTER_REPORTS:-}" ] || { mkdir -p "$AEGIS_CLUSTER_REPORTS" && cp "$1" "$AEGIS_CLUSTER_REPORTS/"; }; }

# violations CONSTRAINT: the audit's status.violations as "kind namespace/name: message" lines.
violations() {
  kubectl get aegissignedpod "$1" -o json | python3 -c '
import json, sys
for v in json.load(sys.stdin).get("status", {}).get("violations", []):
    print("%s %s/%s: %s" % (v["kind"], v["namespace"], v["name"], v["message"]))' | sort
}

# audited_after CONSTRAINT EPOCH: the audit has completed a run that started after EPOCH.
audited_after() {
  local at
  at=$(kubectl get aegissignedpod "$1" -o 'jsonpath={.status.auditTimestamp}')
  [ -n "$at" ] && [ "$(date -d "$at" +%s)" -gt "$2" ]
}

# The violating pod of the shipped examples, into NAMESPACE.
violating_pod() {
  sed "s/namespace: aegis-canary/namespace: $1/" "$AEGIS_SOURCE_DIR/manifests/known-bad/violating-canary.yaml"
}

case "$proof" in
admission)
  # 1. The template is admitted; deny mode refuses a violating pod with the policy's message;
  #    dryrun mode admits it and the audit records it in status.violations.
  template
  pass "ConstraintTemplate aegissignedpod admitted by Gatekeeper $GATEKEEPER (CRD established, created, no errors)"
  deny_ns=$(namespace aegis-deny)
  constraint aegis-proof-deny deny --namespaces "$deny_ns"
  if violating_pod "$deny_ns" | kubectl apply -f - >"$work/deny.out" 2>&1; then
    die "deny mode: the violating pod was admitted: $(cat "$work/deny.out")"
  fi
  grep -q 'admission webhook "validation.gatekeeper.sh" denied the request' "$work/deny.out" ||
    die "deny mode: not refused by Gatekeeper's webhook: $(cat "$work/deny.out")"
  grep -qF "[aegis-proof-deny] Pod $deny_ns/violating-canary: no initContainer whose name matches /verify/" "$work/deny.out" ||
    die "deny mode: the policy's message is missing: $(cat "$work/deny.out")"
  kubectl -n "$deny_ns" get pod violating-canary >/dev/null 2>&1 && die "deny mode: the pod exists"
  pass "deny mode: $(grep -o 'admission webhook.*' "$work/deny.out" | head -1)"
  # The same constraint admits a pod that carries the verifier (the deny is the policy's, not blanket).
  "$aegis" render --template pod --namespace "$deny_ns" --name conforming --artifact s3://models/any/model.tar.gz \
    --allow-unpinned >"$work/conforming.yaml"
  kubectl create --dry-run=server -f "$work/conforming.yaml" >"$work/conforming.out" 2>&1 ||
    die "deny mode: a conforming pod was refused: $(cat "$work/conforming.out")"
  pass "deny mode: the rendered canary pod is admitted (server-side dry run)"

  audit_ns=$(namespace aegis-audit)
  constraint aegis-proof-audit dryrun --namespaces "$audit_ns"
  created=$(date +%s)
  violating_pod "$audit_ns" | kubectl apply -f - >/dev/null || die "dryrun mode: the violating pod was refused"
  eventually 120 "an audit run after the pod was created" audited_after aegis-proof-audit "$created"
  violations aegis-proof-audit >"$work/violations"
  grep -qF "Pod $audit_ns/violating-canary: Pod $audit_ns/violating-canary: no initContainer whose name matches /verify/" "$work/violations" ||
    die "dryrun mode: the audit did not record the pod: $(cat "$work/violations")"
  grep -qF "Pod $audit_ns/violating-canary: Pod $audit_ns/violating-canary: no volume from secret cosign-public-key" "$work/violations" ||
    die "dryrun mode: the audit did not record the missing key: $(cat "$work/violations")"
  pass "dryrun mode: admitted; audit status.violations: $(tr '\n' ';' <"$work/violations")"
  ;;
canary)
  # 2. `aegis canary --apply` on the real cluster: three canaries, three PASSes from the
  #    kubelet's statuses (positive: init exit 0, Ready, the server's readiness endpoint answers
  #    through the pod proxy; tampered: init exit 5 with the reason, never Ready; violating:
  #    denied by Gatekeeper in deny mode). Then nothing it created is left.
  ns=$(namespace aegis-canary)
  models "$ns"
  # README's step 3, as `aegis init` printed it: the template, its CRD, the constraint.
  apply_template "$init_dir/constrainttemplate.yaml"
  eventually 60 "the AegisSignedPod CRD" kubectl wait --for=condition=established --timeout=1s crd/aegissignedpod.constraints.gatekeeper.sh
  kubectl apply -f "$init_dir/constraint.yaml" >/dev/null
  constraints+=(aegis-signed-pod-enforce)
  eventually 60 "Gatekeeper's webhook and audit enforcing the init constraint" enforced aegis-signed-pod-enforce
  status=0
  "$aegis" canary --apply -n "$ns" --constraint aegis-signed-pod-enforce --artifact "$artifact" \
    --tampered-artifact "$tampered" "${canary_options[@]}" -o junit --output-file "$work/canary-apply.junit.xml" \
    2>"$work/canary.err" || status=$?
  cat "$work/canary.err"
  keep "$work/canary-apply.junit.xml"
  [ "$status" -eq 0 ] || die "aegis canary --apply exited $status"
  python3 - "$work/canary-apply.junit.xml" <<'PY' || die "the JUnit report does not hold three passed criteria"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase")
bad = [c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None or c.find("skipped") is not None]
print(f"JUnit: {len(cases)} testcases, not passed: {bad}")
sys.exit(0 if len(cases) == 3 and not bad else 1)
PY
  grep -q "verify initContainer exited 5 (Error): $tampered: the bundle's messageDigest does not match" "$work/canary.err" ||
    die "the tampered canary's evidence lacks exit 5 and the reason"
  grep -q "verify initContainer exit 0, Ready, readiness endpoint answered through the pod proxy" "$work/canary.err" ||
    die "the positive canary's evidence lacks the init exit 0, Ready or the server's answer"
  grep -q 'denied at admission: admission webhook "validation.gatekeeper.sh" denied the request' "$work/canary.err" ||
    die "the violating canary was not denied by Gatekeeper"
  grep -q "aegis-test-secret" "$work/canary.err" "$work/canary-apply.junit.xml" && die "a secret reached the report"
  kubectl -n "$ns" wait --for=delete pod -l aegis/canary --timeout=60s >/dev/null ||
    die "canary pods left behind: $(kubectl -n "$ns" get pods -l aegis/canary -o name)"
  pass "aegis canary --apply: 3 criteria PASS on Kubernetes $KUBERNETES with Gatekeeper $GATEKEEPER; nothing left"
  ;;
observe)
  # 3. Observe mode on canaries made with `aegis render --template pod` and `kubectl apply`
  #    agrees with what kubectl shows for the same pods; RBAC: a service account that may not
  #    list pods gets exit 4, one with the role README.md documents passes.
  template
  ns=$(namespace aegis-observe)
  models "$ns"
  constraint aegis-proof-observe dryrun --namespaces "$ns"
  violating_pod "$ns" | kubectl apply -f - >/dev/null  # the shipped example: no verifier, no key
  for role in positive tampered; do
    source_artifact=$artifact
    [ "$role" != tampered ] || source_artifact=$tampered
    "$aegis" render --template pod --canary-role "$role" --namespace "$ns" --name "canary-$role" \
      --artifact "$source_artifact" --image "$AEGIS_CLUSTER_VERIFIER_IMAGE" --server-image "$AEGIS_CLUSTER_SERVER_IMAGE" \
      --env-from-secret s3-credentials --gpus 0 >"$work/$role.yaml"
    kubectl apply -f "$work/$role.yaml" >/dev/null
  done
  created=$(date +%s)
  kubectl -n "$ns" wait --for=condition=Ready pod/canary-positive --timeout=120s >/dev/null ||
    die "the positive canary did not become Ready: $(kubectl -n "$ns" describe pod canary-positive | tail -20)"
  tampered_exited() {
    kubectl -n "$ns" get pod canary-tampered -o json | grep -q '"exitCode": 5'
  }
  eventually 120 "the tampered canary's verifier exiting 5" tampered_exited
  eventually 120 "an audit run after the canaries were created" audited_after aegis-proof-observe "$created"
  status=0
  "$aegis" canary -n "$ns" --constraint aegis-proof-observe --probe-path /v2/health/ready --probe-port 8000 \
    --timeout 1m --poll-interval 1s -o json --output-file "$work/observe.json" 2>"$work/observe.err" || status=$?
  cat "$work/observe.err"
  keep "$work/observe.json"
  [ "$status" -eq 0 ] || die "aegis canary (observe) exited $status"
  # The same facts from kubectl: statuses, the audit's violations, describe's termination message.
  kubectl -n "$ns" get pods -o json >"$work/pods.json"
  kubectl get aegissignedpod aegis-proof-observe -o json >"$work/constraint.json"
  kubectl -n "$ns" describe pod canary-tampered >"$work/describe.txt"
  python3 "$here/agree.py" "$work/observe.json" "$work/pods.json" "$work/constraint.json" "$work/describe.txt" ||
    die "aegis canary and kubectl disagree"
  # The server read the verified model: its index lists the signed model's file and digest.
  kubectl get --raw "/api/v1/namespaces/$ns/pods/canary-positive:8000/proxy/v2/models/index" >"$work/index"
  grep -q "$(sha256sum "$work/model/resnet/1/model.onnx" | cut -d' ' -f1)  /models/resnet/1/model.onnx" "$work/index" ||
    die "the server does not serve the signed model: $(cat "$work/index")"
  # The verifier's success record, as the kubelet keeps it in the pod's status: the placed
  # digest and the key that signed it.
  record=$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
pod = next(i for i in p["items"] if i["metadata"]["name"] == "canary-positive")
for s in pod["status"].get("initContainerStatuses", []):
    t = s.get("state", {}).get("terminated") or {}
    if t.get("exitCode") == 0 and t.get("message", "").startswith("{"):
        print(t["message"])' "$work/pods.json")
  grep -qF "\"digest\":\"sha256:$(sha256sum "$work/model.tar.gz" | cut -d' ' -f1)\"" <<<"$record" ||
    die "the positive canary's termination message does not record the placed digest: $record"
  grep -qF "\"keyFingerprint\":\"sha256:$(openssl pkey -in "$init_dir/signing-key.pem" -pubout -outform DER | sha256sum | cut -d' ' -f1)\"" <<<"$record" ||
    die "the success record does not name the signing key's fingerprint: $record"
  pass "observe mode agrees with kubectl (statuses, audit violations, describe's termination message); the server serves the signed model; the pod's status records its digest and signer"

  # aegis status, from the real API server: the constraint's pods, each verifier's digest and
  # signer or its reason; the Prometheus text as the Prometheus client's own parser reads it.
  digest=sha256:$(sha256sum "$work/model.tar.gz" | cut -d' ' -f1)
  fingerprint=sha256:$(openssl pkey -in "$init_dir/signing-key.pem" -pubout -outform DER | sha256sum | cut -d' ' -f1)
  "$aegis" status -n "$ns" --constraint aegis-proof-observe -o json >"$work/status.json" 2>"$work/status.err" ||
    die "aegis status -o json: $(cat "$work/status.err")"
  "$aegis" status -n "$ns" --constraint aegis-proof-observe >"$work/status.txt" 2>&1 || die "aegis status: $(cat "$work/status.txt")"
  cat "$work/status.txt"
  keep "$work/status.json"
  python3 - "$work/status.json" "$digest" "$fingerprint" "$artifact" <<'PY' || die "aegis status: $(cat "$work/status.json")"
import json, sys
items = {i["pod"]: i for i in json.load(open(sys.argv[1]))["items"]}
p, t = items.pop("canary-positive"), items.pop("canary-tampered")
assert (p["state"], p["digest"], p["signer"]["keyFingerprint"], p["model"], p["ready"]) == ("Verified", sys.argv[2], sys.argv[3], sys.argv[4], True), p
assert t["state"] == "Failed" and t["exitCode"] == 5 and t["reason"] and "digest" not in t, t
assert [i["state"] for i in items.values()] == ["NoVerifier"], items  # the violating pod: no verifier at all
PY
  grep -q "Verified .*${digest:0:19} .*key ${fingerprint:0:19}" "$work/status.txt" || die "the table lacks the positive canary's digest and signer"
  prom_python=$peers_cache/prometheus-client-$PROMETHEUS_CLIENT/bin/python
  [ -x "$prom_python" ] || skip_or_fail "peer prometheus-client $PROMETHEUS_CLIENT is not installed (ci/peers.sh)"
  "$aegis" status -n "$ns" --constraint aegis-proof-observe -o prometheus >"$work/status.prom" || die "aegis status -o prometheus"
  "$prom_python" - "$work/status.prom" <<'PY' || die "the Prometheus client cannot read aegis status -o prometheus: $(cat "$work/status.prom")"
import sys
from prometheus_client.parser import text_string_to_metric_families
samples = {(s.name, s.labels["pod"]): s for f in text_string_to_metric_families(open(sys.argv[1]).read()) for s in f.samples}
assert samples[("aegis_model_verified", "canary-positive")].value == 1, samples
assert samples[("aegis_model_verified", "canary-tampered")].value == 0, samples
assert samples[("aegis_model_verifier_exit_code", "canary-tampered")].value == 5, samples
assert samples[("aegis_model_verified_timestamp_seconds", "canary-positive")].value > 1.7e9, samples
PY
  pass "aegis status agrees with the pods' statuses: the verified digest $digest and signer key ${fingerprint:0:19}..., the tampered pod's exit 5, the pod without a verifier; the Prometheus client reads its metrics"

  # RBAC: a kubeconfig for a service account, as a CI job would hold one.
  sa_kubeconfig() {
    local file="$work/$1.kubeconfig"
    cp "$kubeconfig" "$file"
    "$kube_bin/kubectl" --kubeconfig "$file" config set-credentials "$1" \
      --token="$(kubectl -n "$ns" create token "$1" --duration=10m)" >/dev/null
    "$kube_bin/kubectl" --kubeconfig "$file" config set-context aegis --user="$1" >/dev/null
    echo "$file"
  }
  kubectl -n "$ns" create serviceaccount no-list >/dev/null
  status=0
  "$aegis" canary --kubeconfig "$(sa_kubeconfig no-list)" -n "$ns" --timeout 10s >"$work/rbac.out" 2>&1 || status=$?
  [ "$status" -eq 4 ] || die "a service account without list permission: exit $status, expected 4: $(cat "$work/rbac.out")"
  grep -qi "forbidden" "$work/rbac.out" || die "exit 4 without saying forbidden: $(cat "$work/rbac.out")"
  grep -q "eyJ" "$work/rbac.out" && die "the token reached the output"
  # The shipped least-privilege role (manifests/rbac), for this namespace, as README.md says.
  kubectl -n "$ns" create serviceaccount "$ns-observer" >/dev/null
  sed "s/aegis-canary/$ns/g" "$AEGIS_SOURCE_DIR/manifests/rbac/canary-observer.yaml" | kubectl apply -f - >/dev/null
  status=0
  "$aegis" canary --kubeconfig "$(sa_kubeconfig "$ns-observer")" -n "$ns" --constraint aegis-proof-observe \
    --probe-path /v2/health/ready --probe-port 8000 --timeout 1m >"$work/rbac-ok.out" 2>&1 || status=$?
  sed "s/aegis-canary/$ns/g" "$AEGIS_SOURCE_DIR/manifests/rbac/canary-observer.yaml" | kubectl delete -f - >/dev/null 2>&1
  [ "$status" -eq 0 ] || die "the observer role: exit $status: $(cat "$work/rbac-ok.out")"
  pass "RBAC: no list permission -> exit 4 ($(grep -m1 -io 'forbidden.*' "$work/rbac.out" | head -c 160)); the observer role -> exit 0"

  # aegis status --watch: the table, then a line for each change (the tampered pod deleted).
  "$aegis" status -n "$ns" --constraint aegis-proof-observe --watch -o json --poll-interval 500ms >"$work/watch.out" 2>"$work/watch.err" &
  watch_pid=$!
  first_round() { [ "$(wc -l <"$work/watch.out")" -ge 3 ]; }
  eventually 30 "aegis status --watch printing the first round" first_round
  kubectl -n "$ns" delete pod canary-tampered --wait=false >/dev/null
  deleted_seen() { grep -q "$ns/canary-tampered: pod deleted" "$work/watch.err"; }
  eventually 60 "aegis status --watch reporting the deleted pod" deleted_seen
  kill -INT "$watch_pid"
  status=0
  wait "$watch_pid" || status=$?
  [ "$status" -eq 0 ] || die "aegis status --watch interrupted: exit $status: $(cat "$work/watch.err")"
  pass "aegis status --watch: the first round, then the deletion; exit 0 on interrupt"
  ;;
lint-audit)
  # 4. `aegis lint` on what the API server stored (kubectl get -o yaml, including the pods and
  #    ReplicaSets the controllers made from Deployments) finds exactly what Gatekeeper's audit
  #    records, with the shipped audit constraints (policies/constraint-audit.yaml).
  template
  ns=$(namespace aegis-agree aegis.dev/model-serving=true)
  kubectl apply -f "$AEGIS_SOURCE_DIR/policies/constraint-audit.yaml" >/dev/null
  constraints+=(aegis-kserve-audit aegis-signed-pod-audit)
  eventually 60 "Gatekeeper enforcing the shipped audit constraints" enforced aegis-signed-pod-audit
  # The shipped examples the API server knows the kinds of (no KServe here): known-bad pods and
  # Deployments, the conforming canaries.
  for f in "$AEGIS_SOURCE_DIR"/manifests/known-bad/*.yaml "$AEGIS_SOURCE_DIR/manifests/triton/deployment-canary.yaml" \
    "$AEGIS_SOURCE_DIR/manifests/pod/pod-canary.yaml"; do
    grep -q '^kind: InferenceService' "$f" && continue
    sed "s/namespace: aegis-canary/namespace: $ns/" "$f" | kubectl apply -f - >/dev/null || die "kubectl apply $f"
  done
  # Every Deployment has its ReplicaSet and pod before the audit that is compared.
  deployments_expanded() {
    local d r
    d=$(kubectl -n "$ns" get deployments -o name | wc -l)
    r=$(kubectl -n "$ns" get replicasets -o 'jsonpath={range .items[*]}{.status.replicas}{"\n"}{end}' | grep -c '^1$')
    [ "$d" -gt 0 ] && [ "$d" = "$r" ] && [ "$(kubectl -n "$ns" get pods -o name | wc -l)" -ge $((d + 2)) ]
  }
  eventually 60 "the Deployments' ReplicaSets and pods" deployments_expanded
  created=$(date +%s)
  eventually 120 "an audit run after every object existed" audited_after aegis-signed-pod-audit "$created"
  { kubectl get namespace "$ns" -o yaml
    echo ---
    kubectl -n "$ns" get pods,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,replicationcontrollers,podtemplates -o yaml
  } >"$work/stored.yaml"
  kubectl get aegissignedpod aegis-kserve-audit aegis-signed-pod-audit -o json >"$work/audit.json"
  status=0
  "$aegis" lint --policy "$AEGIS_SOURCE_DIR/policies/constraint-audit.yaml" -o json --output-file "$work/lint.json" "$work/stored.yaml" || status=$?
  [ "$status" -le 1 ] || die "aegis lint exited $status on the stored objects"
  python3 - "$work/lint.json" "$work/audit.json" "$ns" <<'PY' || die "aegis lint and Gatekeeper's audit disagree"
import json, sys
lint, audit, ns = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
found = {(f["kind"], f["namespace"], f["name"], f["message"]) for f in lint["findings"]}
recorded = set()
for c in audit["items"]:
    st = c.get("status", {})
    if len(st.get("violations", [])) != st.get("totalViolations", 0):
        sys.exit(f"{c['metadata']['name']}: {st.get('totalViolations')} violations, {len(st.get('violations', []))} listed")
    recorded |= {(v["kind"], v["namespace"], v["name"], v["message"]) for v in st.get("violations", []) if v["namespace"] == ns}
kinds = sorted({k for k, *_ in recorded})
print(f"lint: {len(found)} findings; audit: {len(recorded)} violations in {ns} ({', '.join(kinds)})")
for x in sorted(found & recorded): print("  both:      ", x)
for x in sorted(found - recorded): print("  only lint: ", x)
for x in sorted(recorded - found): print("  only audit:", x)
sys.exit(0 if found == recorded and len(recorded) >= 6 and {"Pod", "Deployment", "ReplicaSet"} <= set(kinds) else 1)
PY
  pass "aegis lint on the stored objects agrees with Gatekeeper's audit, finding for finding"
  ;;
pins)
  # 5. Policy v3 (issue 33) as the attacker it exists to stop: someone who writes workloads and
  #    Secrets in a model namespace, not the constraint. The quick start's constraint (aegis init:
  #    the key pinned by fingerprint, the verifier locked, the model volume sealed), in deny mode.
  ns=$(namespace aegis-pins)
  models "$ns"
  apply_template "$init_dir/constrainttemplate.yaml"
  eventually 60 "the AegisSignedPod CRD" kubectl wait --for=condition=established --timeout=1s crd/aegissignedpod.constraints.gatekeeper.sh
  grep -q '    trust: {"keys":\["sha256:' "$init_dir/constraint.yaml" || die "aegis init wrote no pinned key: $(grep trust "$init_dir/constraint.yaml")"
  constraints+=(aegis-proof-pins)
  sed "s/^  name: aegis-.*/  name: aegis-proof-pins/" "$init_dir/constraint.yaml" | kubectl apply -f - >/dev/null
  eventually 60 "Gatekeeper's webhook and audit enforcing aegis-proof-pins" enforced aegis-proof-pins
  # pod NAME ARTIFACT: the pod `aegis render --template pod` writes under the init policy.
  pod() {
    "$aegis" render --template pod --policy "$init_dir/constraint.yaml" --namespace "$ns" --name "$1" --artifact "$2" \
      --image "$AEGIS_CLUSTER_VERIFIER_IMAGE" --server-image "$AEGIS_CLUSTER_SERVER_IMAGE" --env-from-secret s3-credentials \
      --gpus 0 >"$work/$1.yaml" || die "aegis render --template pod $1"
    grep -q 'AEGIS_TRUST_POLICY' "$work/$1.yaml" || die "render wrote no pins into $1"
  }
  # (a) The legitimate signed model still serves.
  pod legit "$artifact"
  kubectl apply -f "$work/legit.yaml" >/dev/null || die "the legitimate pod was refused"
  kubectl -n "$ns" wait --for=condition=Ready pod/legit --timeout=120s >/dev/null ||
    die "the legitimate pod did not become Ready: $(kubectl -n "$ns" describe pod legit | tail -20)"
  kubectl get --raw "/api/v1/namespaces/$ns/pods/legit:8000/proxy/v2/models/index" >"$work/index"
  grep -q "$(sha256sum "$work/model/resnet/1/model.onnx" | cut -d' ' -f1)  /models/resnet/1/model.onnx" "$work/index" ||
    die "the legitimate pod does not serve the signed model: $(cat "$work/index")"
  pass "pins: the signed model serves under the pinned, locked, sealed policy"
  # (b) The namespace editor replaces the key Secret with their own key and signs a model with it.
  openssl ecparam -name prime256v1 -genkey -noout -out "$work/evil.pem" 2>/dev/null
  openssl ec -in "$work/evil.pem" -pubout -out "$work/evil.pub" 2>/dev/null
  evil_fp=sha256:$(openssl pkey -pubin -in "$work/evil.pub" -outform DER | sha256sum | cut -d' ' -f1)
  cp "$work/model.tar.gz" "$work/evil.tar.gz"
  printf 'evil' | dd of="$work/evil.tar.gz" bs=1 seek=5000 conv=notrunc 2>/dev/null
  "$aegis" sign "$work/evil.tar.gz" --key "$work/evil.pem" >/dev/null 2>&1 || die "aegis sign with the attacker's key"
  evil_prefix="pins-evil-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  s3_put "$work/evil.tar.gz" "$evil_prefix/model.tar.gz"
  s3_put "$work/evil.tar.gz.sigstore.json" "$evil_prefix/model.tar.gz.sigstore.json"
  kubectl -n "$ns" create secret generic cosign-public-key --from-file=cosign.pub="$work/evil.pub" --dry-run=client -o yaml |
    kubectl apply -f - >/dev/null 2>&1 || die "the namespace editor could not replace the key Secret"
  pod swapped "s3://models/$evil_prefix/model.tar.gz"
  kubectl apply -f "$work/swapped.yaml" >/dev/null || die "the swapped-key pod was refused at admission (it declares the pins)"
  swapped_exited() {
    kubectl -n "$ns" get pod swapped -o json | python3 -c '
import json, sys
p = json.load(sys.stdin)
for s in p.get("status", {}).get("initContainerStatuses", []):
    t = (s.get("lastState", {}).get("terminated") or s.get("state", {}).get("terminated") or {})
    if t.get("exitCode") == 7:
        print(t.get("message", ""))
        sys.exit(0)
sys.exit(1)'
  }
  eventually 120 "the swapped-key pod's verifier exiting 7" swapped_exited
  reason=$(swapped_exited)
  grep -qF "no key here is pinned by the trust policy: found" <<<"$reason" || die "exit 7 without the pinning reason: $reason"
  grep -qF "$evil_fp" <<<"$reason" || die "the reason does not name the fingerprint it saw ($evil_fp): $reason"
  [ "$(kubectl -n "$ns" get pod swapped -o 'jsonpath={.status.containerStatuses[0].ready}')" != true ] ||
    die "the swapped-key pod became Ready"
  [ -z "$(kubectl -n "$ns" get pod swapped -o 'jsonpath={.status.containerStatuses[0].state.running}')" ] ||
    die "the server of the swapped-key pod started"
  pass "pins: a swapped key Secret never serves; the pod status says: $(head -c 200 <<<"$reason")"
  # (c) A pod declaring identity .* (any Sigstore signer) is denied at admission.
  python3 - "$work/legit.yaml" "$work/anyone.yaml" <<'PY'
import sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))
pod["metadata"]["name"] = "anyone"
v = pod["spec"]["initContainers"][0]
v.setdefault("env", []).extend([
    {"name": "AEGIS_TRUSTED_ROOT", "value": "/usr/share/aegis/sigstore/prod.json"},
    {"name": "AEGIS_CERTIFICATE_IDENTITY_REGEXP", "value": ".*"},
    {"name": "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP", "value": ".*"}])
yaml.safe_dump(pod, open(sys.argv[2], "w"))
PY
  if kubectl apply -f "$work/anyone.yaml" >"$work/anyone.out" 2>&1; then die "the .* identity pod was admitted"; fi
  grep -qF "env AEGIS_CERTIFICATE_IDENTITY_REGEXP is not a keyless identity the constraint pins" "$work/anyone.out" ||
    die "the .* identity pod was not refused for its identity: $(cat "$work/anyone.out")"
  pass "pins: identity .* denied by Gatekeeper: $(grep -o 'admission webhook.*' "$work/anyone.out" | head -c 240)"
  # (d) A second initContainer writing the model volume after the verifier is denied.
  python3 - "$work/legit.yaml" "$work/tamper.yaml" <<'PY'
import sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))
pod["metadata"]["name"] = "tamper"
spec = pod["spec"]
model = [m for m in spec["initContainers"][0]["volumeMounts"] if not m.get("readOnly")][0]
spec["initContainers"].append({"name": "tamper", "image": spec["containers"][0]["image"],
                               "command": ["/bin/sh", "-c", "echo evil > " + model["mountPath"] + "/resnet/1/model.onnx"],
                               "volumeMounts": [{"name": model["name"], "mountPath": model["mountPath"]}]})
yaml.safe_dump(pod, open(sys.argv[2], "w"))
PY
  if kubectl apply -f "$work/tamper.yaml" >"$work/tamper.out" 2>&1; then die "the tampering initContainer was admitted"; fi
  grep -qF "initContainer tamper mounts the model volume" "$work/tamper.out" ||
    die "the tampering pod was not refused for writing the model volume: $(cat "$work/tamper.out")"
  pass "pins: a second initContainer writing the model volume denied: $(grep -o 'admission webhook.*' "$work/tamper.out" | head -c 240)"
  ;;
helm)
  # 6. The one-command install: `helm install` of manifests/helm/aegis (real Helm) owns the template
  #    and, through its Job, the constraints; deny works; an upgrade changes the scope (the Job
  #    prunes what it no longer has); `helm uninstall` takes it all away. Runs after the other
  #    proofs (ctest DEPENDS): the chart owns the template they share.
  helm_bin=$peers_cache/helm-$HELM/bin/helm
  [ -x "$helm_bin" ] || skip_or_fail "peer helm $HELM is not installed (ci/peers.sh)"
  export HELM_CACHE_HOME=$work/helm/cache HELM_CONFIG_HOME=$work/helm/config HELM_DATA_HOME=$work/helm/data
  helm() { "$helm_bin" --kubeconfig "$kubeconfig" "$@"; }
  kubectl delete constrainttemplate aegissignedpod --ignore-not-found --wait >/dev/null  # applied by the proofs before
  crd_gone() { ! kubectl get crd aegissignedpod.constraints.gatekeeper.sh >/dev/null 2>&1; }
  eventually 60 "the previous template's kind removed" crd_gone
  ns=$(namespace aegis-helm aegis.dev/model-serving=true)
  other=$(namespace aegis-helm-other)
  release_ns=$(namespace aegis-helm-system)
  # The Job's pod reaches the API server at the pod network's gateway (no kube-proxy for the
  # service IP here: tests/cluster/README.md).
  job_env="[{\"name\":\"KUBERNETES_SERVICE_HOST\",\"value\":\"$AEGIS_CLUSTER_API_POD_HOST\"},{\"name\":\"KUBERNETES_SERVICE_PORT\",\"value\":\"$AEGIS_CLUSTER_API_POD_PORT\"}]"
  install_args=(--set constraintsJob.image="$AEGIS_CLUSTER_KUBECTL_IMAGE" --set-json "constraintsJob.extraEnv=$job_env" --wait --timeout 5m)
  helm install aegis-proof "$AEGIS_SOURCE_DIR/manifests/helm/aegis" -n "$release_ns" "${install_args[@]}" \
    >"$work/install.out" 2>&1 ||
    die "helm install: $(cat "$work/install.out"); the Job: $(kubectl -n "$release_ns" logs -l job-name=aegis-proof-constraints --all-containers --tail=10 2>&1)"
  kubectl get aegissignedpod -l app.kubernetes.io/instance=aegis-proof -o name | sort >"$work/constraints"
  [ "$(tr '\n' ' ' <"$work/constraints")" = "aegissignedpod.constraints.gatekeeper.sh/aegis-kserve-enforce aegissignedpod.constraints.gatekeeper.sh/aegis-signed-pod-enforce " ] ||
    die "helm install: the constraints are not the shipped pair: $(cat "$work/constraints")"
  eventually 60 "Gatekeeper enforcing the chart's constraints" enforced aegis-signed-pod-enforce
  if violating_pod "$ns" | kubectl apply -f - >"$work/deny.out" 2>&1; then die "after helm install a violating pod was admitted"; fi
  grep -qF "[aegis-signed-pod-enforce] Pod $ns/violating-canary: no initContainer whose name matches /verify/" "$work/deny.out" ||
    die "after helm install: not the policy's denial: $(cat "$work/deny.out")"
  violating_pod "$other" | kubectl apply --dry-run=server -f - >/dev/null 2>&1 ||
    die "after helm install: a namespace without aegis.dev/model-serving=true is out of scope, yet the pod was refused"
  pass "helm install (one command): template + constraints via the Job; a violating pod in a labelled namespace denied, elsewhere admitted"

  helm upgrade aegis-proof "$AEGIS_SOURCE_DIR/manifests/helm/aegis" -n "$release_ns" --set scope=namespaces \
    --set "namespaces={$other}" "${install_args[@]}" >"$work/upgrade.out" 2>&1 || die "helm upgrade: $(cat "$work/upgrade.out")"
  kubectl get aegissignedpod -l app.kubernetes.io/instance=aegis-proof -o name >"$work/constraints"
  [ "$(cat "$work/constraints")" = "aegissignedpod.constraints.gatekeeper.sh/aegis-signed-pod-enforce" ] ||
    die "helm upgrade to scope namespaces: the kserve constraint was not pruned: $(cat "$work/constraints")"
  scoped_to_other() { [ "$(kubectl get aegissignedpod aegis-signed-pod-enforce -o 'jsonpath={.spec.match.namespaces[0]}')" = "$other" ]; }
  eventually 30 "the upgraded constraint's scope" scoped_to_other
  eventually 60 "Gatekeeper enforcing the upgraded constraint" enforced aegis-signed-pod-enforce
  refused_in_other() { ! violating_pod "$other" | kubectl apply --dry-run=server -f - >/dev/null 2>&1; }
  eventually 60 "the violating pod refused in $other after the upgrade" refused_in_other
  pass "helm upgrade --set scope=namespaces: the Job pruned aegis-kserve-enforce; the constraint now selects $other"

  helm uninstall aegis-proof -n "$release_ns" --wait >"$work/uninstall.out" 2>&1 || die "helm uninstall: $(cat "$work/uninstall.out")"
  eventually 60 "the kind removed with the template" crd_gone
  violating_pod "$other" | kubectl apply --dry-run=server -f - >/dev/null 2>&1 || die "after helm uninstall a pod is still refused"
  pass "helm uninstall: template, kind and constraints gone; nothing refused"
  ;;
*)
  die "unknown proof $proof"
  ;;
esac
