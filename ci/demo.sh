#!/usr/bin/env bash
# The README's first command: installs what is needed, builds aegis, and runs the main
# job on the shipped examples with the built-in policy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash ci/setup.sh
bash ci/build.sh build-release -DCMAKE_BUILD_TYPE=Release -DAEGIS_TESTS=OFF >/dev/null
aegis=build-release/tools/aegis

echo "== aegis lint: the conforming examples (manifests/, built-in policy)"
"$aegis" lint manifests/kserve manifests/triton manifests/pod

echo
echo "== aegis lint: the known-bad examples (each has its documented findings; exit 1 expected)"
set +e
"$aegis" lint manifests/known-bad
code=$?
set -e
echo "(exit code $code)"
[ "$code" -eq 1 ]
