#!/usr/bin/env bash
# Configures and builds one flavour: ci/build.sh DIR [cmake args…]
# TARGETS="a b" limits the build to those targets.
set -euo pipefail
dir=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
ninja -C "$dir" ${TARGETS:-}
