#!/usr/bin/env bash
# ci/bench_link.sh, small (16 MB, one run): verify-and-fetch and every peer fetch the
# model_signing-signed directory and tar over the shaped link (any failing command fails
# the script), and every row is printed. Needs root (ip netns, tc): SKIPPED (77) without it
# in a developer build, a failure with AEGIS_REQUIRE_PEERS=1 (CI).
#   link_smoke_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
if [ "$(id -u)" != 0 ] || ! command -v tc >/dev/null || ! ip netns list >/dev/null 2>&1; then
  [ "${AEGIS_REQUIRE_PEERS:-0}" = 1 ] && { echo "FAIL: root with ip netns and tc is required here"; exit 1; }
  echo "SKIPPED: needs root with ip netns and tc"; exit 77
fi
out=$(RUNS=1 bash "$src/ci/bench_link.sh" "$build" 16 2>&1) || { echo "$out"; echo "FAIL: bench_link.sh failed"; exit 1; }
echo "$out"
rows=$(grep -cE '^(verify-and-fetch|kserve-storage|aws s3 cp|s5cmd cp) .* s +[0-9]+ MB$' <<<"$out")
[ "$rows" -eq 10 ] || { echo "FAIL: $rows result rows, not 10 (5 tools x 2 models)"; exit 1; }
echo "bench_link smoke: ok"
