#!/usr/bin/env bash
# The Helm chart (manifests/helm/aegis) under the real Helm: `helm lint --strict`, and `helm
# template` for every scope, enforcement and a trust pin gives exactly the constraints `aegis
# policy export` writes (the Job applies them once Gatekeeper has made the kind), the template
# byte for byte, objects `aegis policy check` accepts; bad values fail with the reason. `helm
# install` on a real cluster: tests/cluster (proof helm).
. "$(dirname "$0")/lib.sh"
helm=$(peer helm "$HELM" helm)
# PyYAML, from a peer's venv (kubernetes-validate depends on it): both sides parsed, not diffed as text.
python=$(peer kubernetes-validate "$KUBERNETES_VALIDATE" python)
chart=$AEGIS_SOURCE_DIR/manifests/helm/aegis
export HELM_CACHE_HOME=$work/helm/cache HELM_CONFIG_HOME=$work/helm/config HELM_DATA_HOME=$work/helm/data

expect_ok "helm $HELM lint --strict" "$helm" lint --strict "$chart"

# same NAME HELM_ARGS -- EXPORT_ARGS: the chart's constraints (the Job's ConfigMap) equal export's.
same() {
  local name=$1 helm_args=() export_args=()
  shift
  while [ "$1" != -- ]; do helm_args+=("$1"); shift; done
  shift
  export_args=("$@")
  if ! "$helm" template aegis "$chart" "${helm_args[@]}" >"$work/chart.yaml" 2>"$work/out"; then
    fail "$name: helm template failed"; sed 's/^/     | /' "$work/out"; return
  fi
  "$AEGIS_BIN" policy export --only constraint "${export_args[@]}" >"$work/export.yaml"
  if "$python" - "$work/chart.yaml" "$work/export.yaml" >"$work/out" 2>&1 <<'PY'; then pass "$name"; else fail "$name"; sed 's/^/     | /' "$work/out"; fi
import sys, yaml
chart = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
cm = [d for d in chart if d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-constraints")]
assert len(cm) == 1, "one constraints ConfigMap"
got = [d for d in yaml.safe_load_all(cm[0]["data"]["constraints.yaml"]) if d]
for d in got:
    labels = d["metadata"].pop("labels")
    assert labels["app.kubernetes.io/instance"] == "aegis", labels  # what the Job's --prune selects
want = [d for d in yaml.safe_load_all(open(sys.argv[2])) if d]
if got != want:
    print("chart:", yaml.safe_dump(got)); print("aegis policy export:", yaml.safe_dump(want)); sys.exit(1)
PY
}

same "default values = aegis policy export --enforcement deny" -- --enforcement deny
same "namespaceLabel team=ml, dryrun" --set namespaceLabel=team=ml --set enforcementAction=dryrun -- --namespace-label team=ml --enforcement dryrun
same "workloadLabel, warn" --set scope=workloadLabel --set workloadLabel=serving=model --set enforcementAction=warn -- --workload-label serving=model --enforcement warn
same "namespaces a, b" --set scope=namespaces --set 'namespaces={a,b}' -- --namespaces a,b --enforcement deny
same "allNamespaces" --set scope=allNamespaces -- --all-namespaces --enforcement deny
fp=sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b
same "a pinned key and the verifier image by digest" --set-json "parameters.trust={\"keys\":[\"$fp\"]}" \
  --set parameters.requireDigest=true -- --key-fingerprint "$fp" --require-digest --enforcement deny
# Mutation: a different pin is a different constraint (the comparison can fail).
other=sha256:0000000000000000000000000000000000000000000000000000000000000000
"$helm" template aegis "$chart" --set-json "parameters.trust={\"keys\":[\"$other\"]}" >"$work/c.yaml" 2>&1
"$AEGIS_BIN" policy export --only constraint --key-fingerprint "$fp" --enforcement deny >"$work/e.yaml"
expect_exit "mutation: another pin differs" 1 "$python" -c '
import sys, yaml
cm = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "ConfigMap"][0]
got = [d for d in yaml.safe_load_all(cm["data"]["constraints.yaml"]) if d]
for d in got: d["metadata"].pop("labels")
sys.exit(0 if got == [d for d in yaml.safe_load_all(open(sys.argv[2])) if d] else 1)' "$work/c.yaml" "$work/e.yaml"

# The template, byte for byte, and what aegis policy check makes of everything the chart renders.
"$helm" template aegis "$chart" --show-only templates/constrainttemplate.yaml >"$work/template.yaml"
"$AEGIS_BIN" policy export --only template >"$work/export-template.yaml"
expect_ok "the chart's ConstraintTemplate is aegis policy export's" \
  "$python" -c 'import sys, yaml; sys.exit(0 if yaml.safe_load(open(sys.argv[1])) == yaml.safe_load(open(sys.argv[2])) else 1)' \
  "$work/template.yaml" "$work/export-template.yaml"
expect_ok "the chart's files/constrainttemplate.yaml is policies/constrainttemplate.yaml" \
  cmp "$chart/files/constrainttemplate.yaml" "$AEGIS_SOURCE_DIR/policies/constrainttemplate.yaml"
"$helm" template aegis "$chart" >"$work/all.yaml"
"$python" -c '
import sys, yaml
cm = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "ConfigMap"][0]
open(sys.argv[2], "w").write(cm["data"]["constraints.yaml"])' "$work/all.yaml" "$work/constraints.yaml"
expect_ok "aegis policy check: the chart's template and constraints" "$AEGIS_BIN" policy check "$work/template.yaml" "$work/constraints.yaml"

# Values that cannot work fail the render, naming what is wrong.
expect_refused "scope nonsense is refused" "$helm" template aegis "$chart" --set scope=everywhere
expect_output "… naming the scopes" "scope: namespaceLabel, workloadLabel, namespaces or allNamespaces"
expect_refused "scope namespaces without namespaces is refused" "$helm" template aegis "$chart" --set scope=namespaces
expect_refused "enforcementAction nonsense is refused" "$helm" template aegis "$chart" --set enforcementAction=block
expect_refused "a public key without namespaces is refused" "$helm" template aegis "$chart" --set publicKey=x
# The key Secret and the ClusterStorageContainer when asked for.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | openssl pkey -pubout >"$work/cosign.pub"
"$helm" template aegis "$chart" --set-file publicKey="$work/cosign.pub" \
  --set 'publicKeyNamespaces={models}' --set kserve.clusterStorageContainer.enabled=true >"$work/extra.yaml"
expect_ok "the key Secret in models and the ClusterStorageContainer" "$python" -c '
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
s = [d for d in docs if d["kind"] == "Secret"]
assert len(s) == 1 and s[0]["metadata"] == s[0]["metadata"] | {"name": "cosign-public-key", "namespace": "models"}, s
assert s[0]["stringData"]["cosign.pub"].strip() == open(sys.argv[2]).read().strip(), s
c = [d for d in docs if d["kind"] == "ClusterStorageContainer"]
assert len(c) == 1 and c[0]["metadata"]["name"] == "aegis-verify-and-fetch", c' "$work/extra.yaml" "$work/cosign.pub"
finish
