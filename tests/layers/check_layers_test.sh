#!/usr/bin/env bash
# The layer check passes on the repository and fails, naming the file, when a lower layer
# includes a higher one (planted back-edges in a copy of the sources: between tools layers,
# from tools into the verifier, and between the verifier's own layers).
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -DSOURCE_DIR="$src" -P "$src/cmake/CheckLayers.cmake"
mkdir -p "$work/cmake" "$work/tools" "$work/verifier"
cp "$src/cmake/CheckLayers.cmake" "$work/cmake/"
cp -r "$src/tools/." "$work/tools/"
cp -r "$src/verifier/." "$work/verifier/"
printf '#include "lint/lint_result.h"\n' >> "$work/tools/policy/match.cc"
printf '#include "verifier/common/crypto.h"\n' >> "$work/tools/kube/api.cc"
printf '#include "verifier/sources/s3.h"\n' >> "$work/verifier/trust/keys.cc"
printf '#include "verifier/run.h"\n' >> "$work/verifier/common/log.cc"
printf '#include "verifier/sources/source.h"\n' >> "$work/tools/init/init.cc"
if out=$(cmake -DSOURCE_DIR="$work" -P "$work/cmake/CheckLayers.cmake" 2>&1); then
  echo "FAIL: planted back-edges were accepted"; exit 1
fi
grep -q 'tools/policy/match.cc: #include "lint/lint_result.h"' <<<"$out" || { echo "FAIL: policy→lint not named: $out"; exit 1; }
grep -q 'tools/kube/api.cc: #include "verifier/common/crypto.h"' <<<"$out" || { echo "FAIL: kube→verifier not named: $out"; exit 1; }
grep -q 'verifier/trust/keys.cc: #include "verifier/sources/s3.h"' <<<"$out" || { echo "FAIL: trust→sources not named: $out"; exit 1; }
grep -q 'verifier/common/log.cc: #include "verifier/run.h"' <<<"$out" || { echo "FAIL: common→verifier not named: $out"; exit 1; }
grep -q 'tools/init/init.cc: #include "verifier/sources/source.h"' <<<"$out" || { echo "FAIL: init→sources not named: $out"; exit 1; }
[ "$(grep -c ' — layer ' <<<"$out")" -eq 5 ] || { echo "FAIL: expected exactly the 5 planted back-edges: $out"; exit 1; }
echo "layer check: ok, and all five planted back-edges refused"
