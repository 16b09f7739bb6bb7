#!/usr/bin/env bash
# The layer check passes on the repository and fails, naming the file, when a lower layer
# includes a higher one (a planted back-edge in a copy of the sources).
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -DSOURCE_DIR="$src" -P "$src/cmake/CheckLayers.cmake"
mkdir -p "$work/cmake" "$work/tools" "$work/verifier"
cp "$src/cmake/CheckLayers.cmake" "$work/cmake/"
cp -r "$src/tools/." "$work/tools/"
cp "$src/verifier/"*.h "$src/verifier/"*.cc "$work/verifier/"
printf '#include "lint/lint_result.h"\n' >> "$work/tools/policy/match.cc"
printf '#include "verifier/crypto.h"\n' >> "$work/tools/kube/api.cc"
if out=$(cmake -DSOURCE_DIR="$work" -P "$work/cmake/CheckLayers.cmake" 2>&1); then
  echo "FAIL: planted back-edges were accepted"; exit 1
fi
grep -q 'tools/policy/match.cc: #include "lint/lint_result.h"' <<<"$out" || { echo "FAIL: policy→lint not named: $out"; exit 1; }
grep -q 'tools/kube/api.cc: #include "verifier/crypto.h"' <<<"$out" || { echo "FAIL: kube→verifier not named: $out"; exit 1; }
echo "layer check: ok, and both planted back-edges refused"
