#!/usr/bin/env bash
# Exit 0 when the cluster of up.sh is up and healthy: every daemon alive, the API server
# ready, the node Ready, Gatekeeper's webhook ready. Prints what is not.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"
status=0
for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet s3; do
  pid=$(cat "$cluster_dir/run/$name.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null || { echo "$name: not running"; status=1; }
done
curl -fsS --cacert "$cluster_dir/pki/ca.crt" "https://127.0.0.1:$apiserver_port/readyz" >/dev/null 2>&1 ||
  { echo "kube-apiserver: not ready"; status=1; }
[ "$(kubectl get node "$node_name" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] ||
  { echo "node $node_name: not Ready"; status=1; }
for d in gatekeeper-controller-manager gatekeeper-audit; do
  [ "$(kubectl -n gatekeeper-system get deployment "$d" -o 'jsonpath={.status.readyReplicas}' 2>/dev/null)" = 1 ] ||
    { echo "gatekeeper: $d not ready"; status=1; }
done
[ "$status" -ne 0 ] || echo "cluster up ($cluster_dir)"
exit "$status"
