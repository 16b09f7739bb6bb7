#!/usr/bin/env bash
# The README's first command: installs what is needed, builds aegis, and runs the main
# job on the shipped examples with the built-in policy. Every step states the exit code and
# the output it expects and fails the demo when they differ: CI runs it on every change
# (.ci/run), so it cannot rot unnoticed again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash ci/setup.sh
# Only the two programs the demo runs, in the main flavour (build/): ci/test.sh reuses them.
TARGETS="aegis aegis-full" bash ci/build.sh main >/dev/null
aegis=$root/build/tools/aegis
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

steps=0
# step EXIT 'TEXT…' -- COMMAND…: runs COMMAND (its output shown), then requires exit code EXIT
# and each TEXT (a fixed string) in its output.
step() {
  local want=$1 texts=() code=0
  shift
  while [ "$1" != -- ]; do texts+=("$1"); shift; done
  shift
  steps=$((steps + 1))
  echo "\$ ${*/#$root\//}"
  "$@" >"$work/out" 2>&1 || code=$?
  sed 's/^/  /' "$work/out"
  if [ "$code" -ne "$want" ]; then
    echo "demo: step $steps: expected exit $want, got $code" >&2
    exit 1
  fi
  for t in "${texts[@]}"; do
    grep -qF -- "$t" "$work/out" || { echo "demo: step $steps: the output lacks: $t" >&2; exit 1; }
  done
  echo
}

# The built-in policy checks KServe's objects everywhere and other workloads in namespaces
# labelled aegis.dev/model-serving=true: manifests/namespace.yaml is that namespace.
echo "== aegis lint: the conforming examples (manifests/, built-in policy): clean, exit 0"
step 0 "no findings" -- "$aegis" lint manifests/namespace.yaml manifests/kserve manifests/triton manifests/pod

# Each known-bad example documents its findings (annotation aegis.dev/expect).
expected=$(grep -ho 'aegis.dev/expect: "[^"]*"' manifests/known-bad/*.yaml | sed 's/.*: "//; s/"$//' | wc -w)
echo "== aegis lint: the known-bad examples: their $expected documented findings, exit 1"
step 1 "$expected errors" "AEGIS001" "AEGIS003" "AEGIS004" "AEGIS005" "AEGIS006" -- \
  "$aegis" lint manifests/namespace.yaml manifests/known-bad

echo "== aegis render: make the known-bad examples conform, then lint the result: exit 0"
fixable=()
for f in manifests/known-bad/*.yaml; do
  grep -q 'aegis.dev/render-error' "$f" || fixable+=("$f")
done
"$aegis" render --artifact s3://aegis-models/resnet50/model.tar.gz "${fixable[@]}" >"$work/rendered.yaml"
step 0 "no findings" -- "$aegis" lint manifests/namespace.yaml "$work/rendered.yaml"

echo "== aegis render --diff: what render changes in one of them (exit 1: something would change)"
step 1 "+          volumeMounts: [{name: cosign-public-key, mountPath: /etc/cosign, readOnly: true}" -- \
  "$aegis" render --diff --artifact s3://aegis-models/resnet50/model.tar.gz manifests/known-bad/unmounted-key.yaml

echo "== aegis render refuses what it cannot fix (a second download, a shadowed model): exit 2, nothing written"
step 2 "STORAGE_URI" "under the verified model directory" "nothing written" -- \
  "$aegis" render --artifact s3://aegis-models/resnet50/model.tar.gz \
  manifests/known-bad/kserve-second-download.yaml manifests/known-bad/shadowed-model.yaml

echo "== aegis render --template kserve (the canary InferenceService; manifests/ holds these)"
step 0 "kind: InferenceService" "name: verify-and-fetch" -- \
  "$aegis" render --template kserve --artifact s3://aegis-models/resnet50/model.tar.gz --name triton-canary

echo "demo: all $steps steps gave the expected exit code and output"
