#!/usr/bin/env bash
# The README's test command: installs what is needed, then builds and runs every test
# twice (warnings as errors, incl. the pod-like image test with podman; then under
# AddressSanitizer + UndefinedBehaviorSanitizer), gives the libFuzzer targets a short run,
# and builds, installs and exercises the Debian package.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash ci/setup.sh

echo "== build (warnings are errors)"
bash ci/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAEGIS_WERROR=ON
echo "== tests"
ctest --test-dir build --output-on-failure -j2

echo "== build with ASan + UBSan"
bash ci/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DAEGIS_WERROR=ON -DAEGIS_SANITIZE=ON
echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan --output-on-failure -j2

echo "== libFuzzer smoke runs (manifest reader + render 20 s, signature files 10 s, archives 10 s)"
TARGETS="aegis_manifest_fuzzer aegis_signature_fuzzer aegis_archive_fuzzer" bash ci/build.sh build-fuzz \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DAEGIS_FUZZ=ON
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pair in manifest:20 signature:10 archive:10; do
  name=${pair%%:*}
  mkdir -p "$work/$name"
  cp tests/fuzz/corpus/"$name"/* "$work/$name/"
  ./build-fuzz/tests/aegis_"$name"_fuzzer -max_total_time="${pair##*:}" -rss_limit_mb=1024 -timeout=10 \
    "$work/$name" 2>&1 | tail -1
done
echo "== Debian package: build, install with apt, lint the installed examples from /usr/share/aegis"
bash ci/package.sh build   # the warnings-as-errors build above, stripped
echo "== all tests passed"
