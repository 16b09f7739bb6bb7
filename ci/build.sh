#!/usr/bin/env bash
# Configures and builds one flavour: ci/build.sh DIR [cmake args…]
# `ci/build.sh main` is the main flavour (build/, gcc, warnings as errors) that the demo and
# the tests share, so the demo's build is not compiled twice.
# TARGETS="a b" limits the build to those targets.
set -euo pipefail
dir=$1
shift
if [ "$dir" = main ]; then
  dir=build
  set -- -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DAEGIS_WERROR=ON "$@"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
ninja -C "$dir" ${TARGETS:-}
