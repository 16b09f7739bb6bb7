#!/usr/bin/env bash
# Takes down the cluster of up.sh and removes everything it made: the daemons (kubelet first,
# so no pod is restarted), every container and shim of its containerd, the mounts under the
# cluster directory, the pod network's bridge, the directory itself. Idempotent.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"
[ -d "$cluster_dir" ] || exit 0

# stop NAME…: TERM to each daemon's session, KILL to those still running after 10 s.
stop() {
  local name pid pids=()
  for name in "$@"; do
    pid=$(cat "$cluster_dir/run/$name.pid" 2>/dev/null) || continue
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || continue
    pids+=("$pid")
  done
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 1 ] || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
}
stop kubelet
# Every pod's containers and sandboxes, then the shims (they outlive containerd by design);
# the pods' network namespaces are read from the sandboxes' specs first.
netns=()
if [ -S "$containerd_sock" ]; then
  for c in $(ctr_k8s containers ls -q 2>/dev/null); do
    netns+=($(ctr_k8s containers info "$c" 2>/dev/null | grep -o '/var/run/netns/cni-[0-9a-f-]*' | sort -u))
  done
  for task in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -s KILL "$task" >/dev/null 2>&1; done
fi
stop containerd kube-scheduler kube-controller-manager kube-apiserver s3
stop etcd
pkill -KILL -f "containerd-shim-runc-v2 .*-address $containerd_sock" 2>/dev/null || true
# Mounts under the directory (secrets' tmpfs, overlay roots, network namespaces), deepest first.
grep -F " $cluster_dir/" /proc/self/mounts | awk '{print $2}' | sort -r | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
done
for ns in "${netns[@]}"; do
  umount "$ns" 2>/dev/null
  rm -f "$ns"
done
ip link delete aegis0 2>/dev/null || true
rm -rf "$cluster_dir"
echo "cluster down"
