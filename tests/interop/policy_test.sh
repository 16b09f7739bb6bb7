#!/usr/bin/env bash
# The shipped Rego and ConstraintTemplate under the real engines: `opa test rego/` with the OPA
# Gatekeeper 3.15 embeds and a current OPA 1.x (v0 syntax via --v0-compatible), `gator verify
# policies/` with Gatekeeper 3.15 and the newest v3. Then the mistake that once shipped (a
# `violation[…] if` object rule): real gator refuses it, and `aegis policy check` names it.
. "$(dirname "$0")/lib.sh"
opa_old=$(peer opa "$OPA_OLD" opa)
opa_new=$(peer opa "$OPA_NEW" opa)
gator_old=$(peer gator "$GATOR_OLD" gator)
gator_new=$(peer gator "$GATOR_NEW" gator)
cd "$AEGIS_SOURCE_DIR"

expect_ok "opa $OPA_OLD test rego/" "$opa_old" test rego/
expect_output "opa $OPA_OLD ran every Rego test" "^PASS: [0-9]+/[0-9]+$"
expect_ok "opa $OPA_NEW test --v0-compatible rego/" "$opa_new" test --v0-compatible rego/
expect_output "opa $OPA_NEW ran every Rego test" "^PASS: [0-9]+/[0-9]+$"
expect_ok "opa $OPA_NEW test rego/ (the same files also parse as Rego v1)" "$opa_new" test rego/
expect_ok "opa $OPA_OLD check --strict rego/aegis_signed.rego" "$opa_old" check --strict rego/aegis_signed.rego
expect_ok "gator $GATOR_OLD verify tests/gator/" "$gator_old" verify tests/gator/
expect_ok "gator $GATOR_NEW verify tests/gator/" "$gator_new" verify tests/gator/
# The gatekeeper-library layout (policies/library): its suite under both gators, and aegis lint
# on the same samples: every example_allowed_* clean, every example_disallowed_* reported.
library=policies/library/aegissignedpod
expect_ok "gator $GATOR_OLD verify $library" "$gator_old" verify "$library"
expect_ok "gator $GATOR_NEW verify $library" "$gator_new" verify "$library"
for sample in "$library"/samples/*; do
  expect_exit "aegis lint: ${sample#"$library"/}/example_allowed_* clean" 0 \
    "$AEGIS_BIN" lint -q --no-config --policy "$sample/constraint.yaml" "$sample"/example_allowed_*.yaml
  for f in "$sample"/example_disallowed_*.yaml; do
    expect_exit "aegis lint: ${f#"$library"/} reported" 1 "$AEGIS_BIN" lint -q --no-config --policy "$sample/constraint.yaml" "$f"
  done
done

# The template Gatekeeper would receive: every shipped constraint against one bad pod, in a
# namespace labelled as serving models (the shipped scope for workloads other than KServe's).
cat >"$work/pod.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: models, labels: {aegis.dev/model-serving: "true"}}
---
apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: models}
spec:
  containers: [{name: server, image: server}]
YAML
# The issue's redis: a namespace without the label keeps its workloads out of the policy, while
# an InferenceService is checked wherever it is.
cat >"$work/unlabelled.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: cache}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis, namespace: cache}
spec:
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers: [{name: redis, image: "redis:7"}]
YAML
cat "$work/unlabelled.yaml" - >"$work/unlabelled-isvc.yaml" <<'YAML'
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris, namespace: cache}
spec:
  predictor:
    model: {modelFormat: {name: sklearn}, storageUri: "s3://models/iris"}
YAML
for g in "$gator_old" "$gator_new"; do
  v=$(basename "$(dirname "$(dirname "$g")")")
  expect_exit "$v: gator test denies a pod without verifier" 1 \
    "$g" test -f policies/constrainttemplate.yaml -f policies/constraint-enforce.yaml -f "$work/pod.yaml"
  expect_output "  … with AEGIS001's message" "no initContainer whose name matches /verify/"
  expect_ok "$v: the shipped scope admits redis in a namespace not labelled for models" \
    "$g" test -f policies/constrainttemplate.yaml -f policies/constraint-enforce.yaml -f "$work/unlabelled.yaml"
  expect_exit "$v: … and denies an InferenceService there" 1 \
    "$g" test -f policies/constrainttemplate.yaml -f policies/constraint-enforce.yaml -f "$work/unlabelled-isvc.yaml"
  expect_output "  … by the KServe constraint" "aegis-kserve-enforce"
done
expect_ok "aegis lint agrees: redis is outside the built-in policy's scope" "$AEGIS_BIN" lint "$work/unlabelled.yaml"
expect_output "  … and says so" "1 outside the policy's scope"
expect_exit "  … and the InferenceService is not" 1 "$AEGIS_BIN" lint "$work/unlabelled-isvc.yaml"

# The known bypasses (name-only verifier, KServe's second download, a shadowed model, …) are
# refused by real Gatekeeper with the shipped constraint, finding for finding.
venv_python=$(peer kubernetes-validate "$KUBERNETES_VALIDATE" python)
for g in "$gator_old" "$gator_new"; do
  expect_ok "$(basename "$(dirname "$(dirname "$g")")"): manifests/known-bad findings under the shipped constraint" \
    "$venv_python" "$AEGIS_SOURCE_DIR/tests/interop/known_bad.py" "$g" "$AEGIS_SOURCE_DIR"
done

# Differential: 5,000 random objects and constraints, aegis lint vs gator test.
for g in "$gator_old" "$gator_new"; do
  expect_ok "differential aegis lint vs $(basename "$(dirname "$(dirname "$g")")") test (5,000 objects)" \
    python3 "$AEGIS_SOURCE_DIR/tests/interop/differential.py" --aegis "$AEGIS_BIN" --gator "$g" \
    --template policies/constrainttemplate.yaml --count 5000 --constraints 8 --seed "${AEGIS_DIFF_SEED:-20261129}"
  expect_output "  … zero disagreements" "^zero disagreements$"
  head -2 "$work/out" | sed "s/^/     /"
done

# The harness itself can fail: a template whose default pattern is anchored (^verify$)
# disagrees with aegis lint, and the smallest disagreeing object is printed.
sed 's/pattern := param("initContainerPattern", "verify")/pattern := param("initContainerPattern", "^verify$")/' \
  policies/constrainttemplate.yaml >"$work/mutated-template.yaml"
expect_exit "the differential catches a mutated template" 1 python3 "$AEGIS_SOURCE_DIR/tests/interop/differential.py" \
  --aegis "$AEGIS_BIN" --gator "$gator_old" --template "$work/mutated-template.yaml" --count 1000 --constraints 6
expect_output "  … and prints the smallest disagreeing object" "^smallest disagreeing object:"

# The shipped mistake: partial set rules written as `violation[X] if`.
mkdir -p "$work/broken"
sed -e 's/^\( *\)violation contains \(.*\) if {$/\1violation[\2] if {/' -e '/import future.keywords.contains/d' \
  policies/constrainttemplate.yaml >"$work/broken/constrainttemplate.yaml"
cp policies/constraint-enforce.yaml "$work/broken/"
grep -q 'violation\[{"msg": msg, "details": d}\] if {' "$work/broken/constrainttemplate.yaml" || fail "could not build the broken template"
line=$(grep -n '^ *violation\[' "$work/broken/constrainttemplate.yaml" | head -1 | cut -d: -f1)
for g in "$gator_old" "$gator_new"; do
  expect_refused "gator refuses the object-rule violation" "$g" test -f "$work/broken/constrainttemplate.yaml" \
    -f "$work/broken/constraint-enforce.yaml" -f "$work/pod.yaml"
  expect_output "  … because violation is missing" "missing required rules: \[violation\]"
done
expect_exit "aegis policy check catches it" 1 "$AEGIS_BIN" policy check "$work/broken"
expect_output "  … with file:line of the rule" "constrainttemplate.yaml:$line: error: .violation\[…\] if. is a single-value object rule"
finish
