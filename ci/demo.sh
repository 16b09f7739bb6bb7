#!/usr/bin/env bash
# The README's first command: installs what is needed, builds aegis, and runs the main
# job on the shipped examples with the built-in policy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash ci/setup.sh
bash ci/build.sh build-release -DCMAKE_BUILD_TYPE=Release -DAEGIS_TESTS=OFF >/dev/null
aegis=build-release/tools/aegis

# The built-in policy checks KServe's objects everywhere and other workloads in namespaces
# labelled aegis.dev/model-serving=true: manifests/namespace.yaml is that namespace.
echo "== aegis lint: the conforming examples (manifests/, built-in policy)"
"$aegis" lint manifests/namespace.yaml manifests/kserve manifests/triton manifests/pod

echo
echo "== aegis lint: the known-bad examples (each has its documented findings; exit 1 expected)"
set +e
"$aegis" lint manifests/namespace.yaml manifests/known-bad
code=$?
set -e
echo "(exit code $code)"
[ "$code" -eq 1 ]

echo
echo "== aegis render: make the known-bad examples conform, then lint the result"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$aegis" render --artifact s3://aegis-models/resnet50/model.tar.gz manifests/known-bad >"$work/rendered.yaml"
"$aegis" render --diff --artifact s3://aegis-models/resnet50/model.tar.gz manifests/known-bad/unmounted-key.yaml || true
"$aegis" lint manifests/namespace.yaml "$work/rendered.yaml"

echo
echo "== aegis render --template kserve (the canary InferenceService; manifests/ holds these)"
"$aegis" render --template kserve --artifact s3://aegis-models/resnet50/model.tar.gz --name triton-canary | head -12
