#!/usr/bin/env bash
# The README's test command: installs what is needed, then builds and runs every test
# twice (gcc with warnings as errors, incl. the pod-like image test with podman and the
# acceptance criteria on a real single-node Kubernetes cluster with Gatekeeper; then clang
# with AddressSanitizer + UndefinedBehaviorSanitizer), gives the libFuzzer targets a short run,
# and builds, installs and exercises the Debian package. The interop tests run the real peers
# (tests/interop/peers.env): here a missing peer fails them instead of skipping them.
#
#   bash ci/test.sh [STAGE…]   stages, in this order when none is named: format, gcc, asan, tsan,
#                              fuzz, package, release; and cluster (the cluster tier alone, ctest -L
#                              cluster, on the gcc build; gcc runs it too). tests/README.md maps
#                              every test to its stage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(format gcc asan tsan fuzz package release)
for s in "${stages[@]}"; do
  case "$s" in format | gcc | asan | tsan | fuzz | package | release | cluster) ;;
    *) echo "ci/test.sh: unknown stage $s (format, gcc, asan, tsan, fuzz, package, release, cluster)" >&2; exit 2 ;;
  esac
done

started=$SECONDS
bash ci/setup.sh
export AEGIS_REQUIRE_PEERS=1

# The real peers (ci/peers.sh: Go, pip and npm builds, cached per version) are built in the
# background while the C++ builds run: a cold run pays for the longer of the two, not their sum.
# Every stage that runs tests waits for them first (need_peers).
peers_log=$(mktemp)
peers_pid=
peers_started=$SECONDS
case " ${stages[*]} " in
  *" gcc "* | *" asan "* | *" tsan "* | *" cluster "*)
    setsid bash ci/peers.sh >"$peers_log" 2>&1 &
    peers_pid=$!
    trap '[ -z "$peers_pid" ] || kill -- "-$peers_pid" 2>/dev/null || true' EXIT ;;
esac
need_peers() {
  [ -n "$peers_pid" ] || return 0
  local status=0
  wait "$peers_pid" || status=$?
  peers_pid=
  grep -v '^go: downloading' "$peers_log" || true
  [ "$status" = 0 ] || { echo "ci/peers.sh failed (exit $status)"; exit 1; }
  echo "== peers ready ($((SECONDS - peers_started)) s after they started, in the background)"
}

stage_format() {
  echo "== clang-format: the C++ lines the last commit changed (ci/format.sh)"
  bash ci/format.sh
}

gcc_build() { bash ci/build.sh main; }   # build/, shared with ci/demo.sh

stage_gcc() {
  echo "== build (warnings are errors)"
  gcc_build
  need_peers
  echo "== tests (including the real single-node cluster of tests/cluster, label cluster)"
  ctest --test-dir build --output-on-failure -j2
  echo "== the canary's reports from the real cluster (build/cluster-reports)"
  ls -l build/cluster-reports
  cat build/cluster-reports/canary-apply.junit.xml
}

stage_cluster() {
  gcc_build
  need_peers
  ctest --test-dir build --output-on-failure -L cluster
}

asan_build() {
  bash ci/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DAEGIS_SANITIZE=ON -DAEGIS_FUZZ=ON
}

stage_asan() {
  echo "== build with clang, ASan + UBSan and libFuzzer instrumentation (one build: the tests and the fuzzers)"
  asan_build
  need_peers
  echo "== tests under ASan + UBSan"
  ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan --output-on-failure -j2
}

tsan_build() {
  TARGETS="aegis aegis-full verify-and-fetch aegis_unit_tests aegis_thread_tests aegis_gen_corpus" bash ci/build.sh build-tsan \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DAEGIS_TSAN=ON
}

stage_tsan() {
  echo "== ThreadSanitizer: the tests labelled tsan (lint and render's chunk threads; the verifier's threads: ranged"
  echo "   parts, extraction while fetching, tree hashing, model directories), and a 40,000-object lint (112 MB, 4 threads)"
  tsan_build
  need_peers
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --test-dir build-tsan --output-on-failure -j2 -L tsan
  local work status=0
  work=$(mktemp -d)
  ./build-tsan/tests/aegis_gen_corpus 40000 "$work/big.yaml" >/dev/null
  TSAN_OPTIONS="halt_on_error=1" ./build-tsan/tools/aegis lint -j 4 -q --max-input-mb 256 -o json --output-file "$work/report.json" "$work/big.yaml" || status=$?
  rm -rf "$work"
  [ "$status" -le 1 ] || { echo "lint under ThreadSanitizer exited $status"; exit 1; }
}

stage_fuzz() {
  echo "== libFuzzer smoke runs (manifest reader + render 20 s, signature files 10 s, archives 10 s, verify-then-place 15 s)"
  [ -x build-asan/tests/aegis_manifest_fuzzer ] || asan_build
  local work pair name
  work=$(mktemp -d)
  for pair in manifest:20 signature:10 archive:10 place:15; do
    name=${pair%%:*}
    mkdir -p "$work/$name"
    cp tests/fuzz/corpus/"$name"/* "$work/$name/"
    ./build-asan/tests/aegis_"$name"_fuzzer -max_total_time="${pair##*:}" -rss_limit_mb=1024 -timeout=10 \
      "$work/$name" 2>&1 | tail -1
  done
  rm -rf "$work"
}

stage_package() {
  echo "== Debian package: build, install with apt, lint the installed examples from /usr/share/aegis"
  [ -x build/tools/aegis ] || bash ci/build.sh main   # run alone: the gcc build first
  bash ci/package.sh build   # the warnings-as-errors build above, stripped
}

stage_release() {
  echo "== release recipe, dry run (the assets of v<project version>: .deb, image archive, digest, SHA256SUMS)"
  [ -x build/tools/aegis ] || bash ci/build.sh main
  bash ci/release.sh --dry-run --build-dir build
}

# While the peers build: every build the chosen stages need, so their tests start as soon as
# the peers are ready.
if [ -n "$peers_pid" ]; then
  for s in "${stages[@]}"; do
    case "$s" in
      gcc | cluster | package | release) gcc_build ;;
      asan | fuzz) asan_build ;;
      tsan) tsan_build ;;
    esac
  done
  echo "== builds done ($((SECONDS - started)) s)"
fi

for s in "${stages[@]}"; do
  stage_start=$SECONDS
  "stage_$s"
  echo "== stage $s: $((SECONDS - stage_start)) s"
done
echo "== all tests passed ($((SECONDS - started)) s)"
