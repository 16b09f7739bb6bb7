#!/usr/bin/env bash
# ctest's fixture around the cluster tests (label `cluster`):
#   fixture.sh up BUILD_DIR     up.sh; remembers in BUILD_DIR that it brought the cluster up
#   fixture.sh down BUILD_DIR   down.sh, only for a cluster the fixture brought up (one that
#                               was already running, e.g. a developer's, is left running)
# Without the cluster's peers (not root, Kubernetes or Gatekeeper not built, containerd missing)
# `up` is SKIPPED (exit 77) in a developer build and a failure with AEGIS_REQUIRE_PEERS=1 (CI).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"
action=${1:?usage: fixture.sh up|down BUILD_DIR}
build=${2:?usage: fixture.sh up|down BUILD_DIR}
marker="$build/cluster-started-by-ctest"
case "$action" in
up)
  [ "$(id -u)" = 0 ] || skip_or_fail "the cluster needs root (containerd, kubelet)"
  for tool in kube-apiserver kubelet kubectl; do [ -x "$kube_bin/$tool" ] || skip_or_fail "$kube_bin/$tool missing (bash ci/peers.sh)"; done
  [ -x "$gatekeeper_bin" ] && [ -f "$gatekeeper_manifest" ] || skip_or_fail "$gatekeeper_bin or its manifest missing (bash ci/peers.sh)"
  for tool in etcd containerd runc buildah; do command -v "$tool" >/dev/null || skip_or_fail "$tool missing (bash ci/setup.sh)"; done
  if [ -f "$cluster_dir/cluster.env" ] && "$here/status.sh" >/dev/null 2>&1; then
    echo "a cluster is already up at $cluster_dir: used as it is, left running"
    rm -f "$marker"
    exit 0
  fi
  touch "$marker"
  exec bash "$here/up.sh" "$build"
  ;;
down)
  [ -f "$marker" ] || { echo "the cluster was not brought up by ctest: left running"; exit 0; }
  rm -f "$marker"
  exec bash "$here/down.sh"
  ;;
*) echo "usage: fixture.sh up|down BUILD_DIR" >&2; exit 2 ;;
esac
