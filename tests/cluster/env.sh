# The single-node cluster's layout, shared by up.sh, down.sh and the tests (sourced).
# Everything lives under AEGIS_CLUSTER_DIR; every daemon listens on a fixed port of its own
# (none of Kubernetes' defaults, so a cluster already on the machine is left alone).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../interop/peers.env
. "$root/tests/interop/peers.env"
cluster_dir=${AEGIS_CLUSTER_DIR:-/tmp/aegis-cluster}
peers_cache=${AEGIS_PEERS_CACHE:-$HOME/.cache/aegis-peers}
kube_bin=${AEGIS_KUBE_BIN:-$peers_cache/kubernetes-$KUBERNETES/bin}
gatekeeper_bin=${AEGIS_GATEKEEPER_BIN:-$peers_cache/gatekeeper-$GATEKEEPER/bin/gatekeeper}
gatekeeper_manifest=$peers_cache/gatekeeper-$GATEKEEPER/deploy/gatekeeper.yaml  # the release's, from its module
node_name=aegis-node
etcd_port=23790
etcd_peer_port=23800
apiserver_port=16443
kubelet_port=10250
gatekeeper_port=18443
gatekeeper_health_port=19090  # the audit pod: +1
gatekeeper_metrics_port=18888  # the audit pod: +1
pod_cidr=10.88.0.0/16
pod_gateway=10.88.0.1
service_cidr=10.96.0.0/24
kubeconfig=$cluster_dir/admin.kubeconfig
containerd_sock=$cluster_dir/containerd/containerd.sock
kubectl() { "$kube_bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }
ctr_k8s() { ctr --address "$containerd_sock" --namespace k8s.io "$@"; }
# skip_or_fail, die, eventually (a missing part of the cluster is SKIPPED in a developer build).
# shellcheck source=../support/lib.sh
. "$root/tests/support/lib.sh"
