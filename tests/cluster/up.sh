#!/usr/bin/env bash
# Brings up a real single-node Kubernetes cluster on this machine, with Gatekeeper, for the
# cluster tests and `aegis canary` (issue 17). Idempotent: a cluster that is up and healthy is
# left as it is; a broken or partial one is taken down first. Run as root.
#   tests/cluster/up.sh [BUILD_DIR]     (BUILD_DIR holds verifier/verify-and-fetch; default build)
#
# What runs (binaries from ci/peers.sh, pinned in tests/interop/peers.env):
#   etcd (Debian etcd-server)           127.0.0.1:23790
#   kube-apiserver                      https://<host>:16443 (RBAC + Node authorization)
#   kube-controller-manager, kube-scheduler
#   containerd (Debian, its own root/state/socket under the cluster dir) + runc + CNI bridge
#   kubelet (cgroupfs driver, node aegis-node)
#   Gatekeeper: the release's two Deployments (webhook; audit + status) in the cluster, from a
#     locally built image, on the host network; the webhook registered by URL
#     (https://127.0.0.1:18443): see gatekeeper_objects.py for every change and why
#   the test S3 server (tests/s3), reachable from pods at the pod network's gateway
# Images (no registry): the verifier (ci/image/build.sh), pause, model-server and gatekeeper
# (images.sh), imported into containerd's k8s.io namespace.
# Writes AEGIS_CLUSTER_DIR/cluster.env (KUBECONFIG, the S3 endpoint and keys, image names).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
. "$here/env.sh"
build=$(cd "${1:-$root/build}" && pwd)
started=$SECONDS
log() { echo "cluster up: $* ($((SECONDS - started)) s)"; }

if [ -f "$cluster_dir/cluster.env" ] && "$here/status.sh" >/dev/null 2>&1; then
  log "already up ($cluster_dir)"
  exit 0
fi
[ -d "$cluster_dir" ] && "$here/down.sh"

for tool in kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl; do
  [ -x "$kube_bin/$tool" ] || die "$kube_bin/$tool missing (bash ci/peers.sh builds Kubernetes $KUBERNETES)"
done
[ -x "$gatekeeper_bin" ] && [ -f "$gatekeeper_manifest" ] ||
  die "$gatekeeper_bin or $gatekeeper_manifest missing (bash ci/peers.sh builds Gatekeeper $GATEKEEPER)"
for tool in etcd containerd ctr runc buildah openssl node curl; do
  command -v "$tool" >/dev/null || die "$tool missing (bash ci/setup.sh installs it)"
done
[ -x /usr/lib/cni/bridge ] || die "/usr/lib/cni/bridge missing (apt-get install containernetworking-plugins)"
[ -x "$build/verifier/verify-and-fetch" ] || die "$build/verifier/verify-and-fetch missing (build it first)"

mkdir -p "$cluster_dir"/{pki,logs,run,images,cni,etcd,kubelet,containerd,gatekeeper,s3}
cd "$cluster_dir"
host_ip=$(ip -4 route get 192.0.2.255 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
# The node's address: the kubelet registers with it and host-network pods (Gatekeeper) have it.
[ -n "$host_ip" ] || die "no non-loopback IPv4 address with a route (the node and Gatekeeper's pods need one)"

# start NAME COMMAND…: a daemon in its own session, its output in logs/NAME.log.
start() {
  local name=$1
  shift
  setsid "$@" >"logs/$name.log" 2>&1 </dev/null &
  echo $! >"run/$name.pid"
}
# eventually's timeout (tests/support/lib.sh) shows the daemons' logs.
on_timeout() {
  for f in logs/*.log; do
    echo "--- $f (last 15 lines)" >&2
    tail -n 15 "$f" >&2
  done
}

# --- certificates: one CA for the API server, its clients, the kubelet and the webhook
log "certificates"
openssl_quiet() { openssl "$@" 2>/dev/null; }
openssl_quiet req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj "/CN=aegis-cluster-ca" -keyout pki/ca.key -out pki/ca.crt
# cert NAME SUBJECT [SANS]: a key and a certificate for clients and servers, signed by the CA.
cert() {
  local name=$1 subject=$2 sans=${3:-}
  openssl_quiet req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$subject" \
    -keyout "pki/$name.key" -out "pki/$name.csr"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [ -z "$sans" ] || echo "subjectAltName=$sans"
  } >"pki/$name.ext"
  openssl_quiet x509 -req -in "pki/$name.csr" -CA pki/ca.crt -CAkey pki/ca.key -set_serial "0x$(openssl rand -hex 12)" \
    -days 30 -extfile "pki/$name.ext" -out "pki/$name.crt"
  rm -f "pki/$name.csr" "pki/$name.ext"
}
# Pods on the bridge reach the API server at the gateway (no kube-proxy for the service IP).
cert apiserver "/CN=kube-apiserver" \
  "IP:127.0.0.1,IP:$host_ip,IP:$pod_gateway,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
cert admin "/O=system:masters/CN=aegis-admin"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
cert controller-manager "/CN=system:kube-controller-manager"
cert scheduler "/CN=system:kube-scheduler"
cert node "/O=system:nodes/CN=system:node:$node_name"
cert kubelet-serving "/CN=$node_name" "IP:127.0.0.1,IP:$host_ip,DNS:$node_name"
cert gatekeeper-webhook "/CN=gatekeeper-webhook" "IP:127.0.0.1,DNS:localhost"
openssl_quiet genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out pki/service-account.key
openssl_quiet pkey -in pki/service-account.key -pubout -out pki/service-account.pub
chmod 600 pki/*.key

# make_kubeconfig FILE USER CERT: a kubeconfig for the API server, with CERT's client certificate.
make_kubeconfig() {
  local file=$1 user=$2 credential=$3
  local k=("$kube_bin/kubectl" --kubeconfig "$file")
  "${k[@]}" config set-cluster aegis --server="https://127.0.0.1:$apiserver_port" \
    --certificate-authority=pki/ca.crt --embed-certs >/dev/null
  "${k[@]}" config set-credentials "$user" --client-certificate="pki/$credential.crt" \
    --client-key="pki/$credential.key" --embed-certs >/dev/null
  "${k[@]}" config set-context aegis --cluster=aegis --user="$user" >/dev/null
  "${k[@]}" config use-context aegis >/dev/null
  chmod 600 "$file"
}
make_kubeconfig admin.kubeconfig aegis-admin admin
make_kubeconfig controller-manager.kubeconfig system:kube-controller-manager controller-manager
make_kubeconfig scheduler.kubeconfig system:kube-scheduler scheduler
make_kubeconfig kubelet.kubeconfig "system:node:$node_name" node

# --- images: built while the control plane starts
log "images (verifier, pause, model-server, gatekeeper, kubectl)"
(
  bash "$root/ci/image/build.sh" "$build" "$cluster_dir/images" >logs/images.log 2>&1 &&
    bash "$here/images.sh" "$cluster_dir/images" "$gatekeeper_bin" "$GATEKEEPER" "$kube_bin/kubectl" "$KUBERNETES" >>logs/images.log 2>&1
) &
images_pid=$!

# --- etcd, the control plane
log "etcd $(etcd --version | sed -n 's/etcd Version: //p')"
start etcd etcd --name aegis --data-dir "$cluster_dir/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "aegis=http://127.0.0.1:$etcd_peer_port"
eventually 30 etcd curl -fsS "http://127.0.0.1:$etcd_port/health"

log "kube-apiserver $KUBERNETES"
start kube-apiserver "$kube_bin/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$etcd_port" \
  --bind-address=0.0.0.0 --secure-port="$apiserver_port" --advertise-address="$host_ip" \
  --tls-cert-file=pki/apiserver.crt --tls-private-key-file=pki/apiserver.key \
  --client-ca-file=pki/ca.crt \
  --kubelet-client-certificate=pki/apiserver-kubelet-client.crt --kubelet-client-key=pki/apiserver-kubelet-client.key \
  --kubelet-certificate-authority=pki/ca.crt --kubelet-preferred-address-types=InternalIP \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file=pki/service-account.pub --service-account-signing-key-file=pki/service-account.key \
  --service-cluster-ip-range="$service_cidr" \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --allow-privileged=true --profiling=false
eventually 90 kube-apiserver curl -fsS --cacert pki/ca.crt "https://127.0.0.1:$apiserver_port/readyz"

log "kube-controller-manager, kube-scheduler"
start kube-controller-manager "$kube_bin/kube-controller-manager" \
  --kubeconfig=controller-manager.kubeconfig --authentication-kubeconfig=controller-manager.kubeconfig \
  --authorization-kubeconfig=controller-manager.kubeconfig \
  --bind-address=127.0.0.1 --secure-port=10257 --leader-elect=false \
  --service-account-private-key-file=pki/service-account.key --root-ca-file=pki/ca.crt \
  --use-service-account-credentials=true --controllers='*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle'
start kube-scheduler "$kube_bin/kube-scheduler" \
  --kubeconfig=scheduler.kubeconfig --authentication-kubeconfig=scheduler.kubeconfig \
  --authorization-kubeconfig=scheduler.kubeconfig --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false

# --- the node: containerd + runc + CNI bridge, kubelet
log "containerd $(containerd --version | awk '{print $3}')"
cat >containerd/config.toml <<EOF
version = 2
root = "$cluster_dir/containerd/root"
state = "$cluster_dir/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$containerd_sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/aegis/pause:1"
  # The machines withhold CAP_SYS_RESOURCE even from root: no process may lower its
  # oom_score_adj below 0, so the sandbox's -998 (and a Guaranteed pod's -997) fail in runc
  # ("failed to update /proc/self/oom_score_adj: Permission denied"). containerd's own
  # setting for this case clamps them to its own score (0).
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$cluster_dir/cni"
EOF
cat >cni/10-aegis.conflist <<EOF
{
  "cniVersion": "1.0.0",
  "name": "aegis",
  "plugins": [
    {"type": "bridge", "bridge": "aegis0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$pod_cidr", "gateway": "$pod_gateway"}]],
              "dataDir": "$cluster_dir/cni/ipam"}},
    {"type": "loopback"}
  ]
}
EOF
start containerd containerd --config containerd/config.toml
eventually 30 containerd ctr --address "$containerd_sock" version

wait "$images_pid" || { cat logs/images.log >&2; die "building the images failed"; }
for archive in images/*.oci.tar; do
  ctr_k8s images import "$archive" >>logs/images.log 2>&1 || die "importing $archive failed (logs/images.log)"
done
# The verifier by digest, as a pull by digest from a registry records it: the canaries and the
# constraint's requireDigest use it pinned, as README.md asks of every cluster.
verifier_ref=$(sed -n 's/^image: *//p' logs/images.log | head -1)
verifier_image="${verifier_ref%:*}@$(sed -n 's/^digest: *//p' logs/images.log | head -1)"
ctr_k8s images tag "$verifier_ref" "$verifier_image" >/dev/null || die "cannot tag $verifier_ref as $verifier_image"
log "images imported: $(ctr_k8s images ls -q | grep -c localhost/aegis/) ($verifier_image)"

log "kubelet $KUBERNETES"
cat >kubelet/config.yaml <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $host_ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $cluster_dir/pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $cluster_dir/pki/kubelet-serving.crt
tlsPrivateKeyFile: $cluster_dir/pki/kubelet-serving.key
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$containerd_sock
failSwapOn: false
resolvConf: /etc/resolv.conf
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
registerNode: true
serializeImagePulls: false
EOF
start kubelet "$kube_bin/kubelet" --config=kubelet/config.yaml --kubeconfig=kubelet.kubeconfig \
  --root-dir="$cluster_dir/kubelet/root" --hostname-override="$node_name" --node-ip="$host_ip" \
  --pod-infra-container-image=localhost/aegis/pause:1
eventually 90 "node $node_name" kubectl get node "$node_name"
kubectl wait --for=condition=Ready "node/$node_name" --timeout=90s >/dev/null ||
  { tail -n 30 logs/kubelet.log >&2; die "node $node_name not Ready"; }

# --- Gatekeeper: the release manifest of the module, run in the cluster from the local image
# (gatekeeper_objects.py says what is changed and why: host network, URL webhook, no registry).
log "gatekeeper $GATEKEEPER"
kubectl create --dry-run=client -o json -f "$gatekeeper_manifest" >gatekeeper/release.json
python3 "$here/gatekeeper_objects.py" gatekeeper/release.json gatekeeper/objects.json gatekeeper/webhooks.json \
  --image "localhost/aegis/gatekeeper:$GATEKEEPER" --api "$host_ip:$apiserver_port" \
  --ca pki/ca.crt --cert pki/gatekeeper-webhook.crt --key pki/gatekeeper-webhook.key \
  --webhook-port "$gatekeeper_port" --health-port "$gatekeeper_health_port" --metrics-port "$gatekeeper_metrics_port"
kubectl apply --server-side -f gatekeeper/objects.json >/dev/null
kubectl -n gatekeeper-system rollout status deployment/gatekeeper-controller-manager deployment/gatekeeper-audit --timeout=120s >/dev/null ||
  { kubectl -n gatekeeper-system get pods -o wide >&2; die "Gatekeeper's pods did not become ready"; }
kubectl apply --server-side -f gatekeeper/webhooks.json >/dev/null

# --- the S3 server the pods fetch from (bucket "models"), on the pod network's gateway
log "s3 server"
: >logs/s3.log
AEGIS_S3_ADDRESS=0.0.0.0 start s3 node "$root/tests/s3/serve.js" "$cluster_dir/s3"
eventually 30 "s3 server" grep -q '^READY ' logs/s3.log
s3_port=$(sed -n 's/^READY //p' logs/s3.log)

cat >cluster.env <<EOF
# Written by tests/cluster/up.sh: source it to use the cluster.
export KUBECONFIG=$cluster_dir/admin.kubeconfig
export AEGIS_CLUSTER_KUBECTL=$kube_bin/kubectl
export AEGIS_CLUSTER_VERIFIER_IMAGE=$verifier_image
export AEGIS_CLUSTER_SERVER_IMAGE=localhost/aegis/model-server:1
export AEGIS_CLUSTER_KUBECTL_IMAGE=localhost/aegis/kubectl:$KUBERNETES
export AEGIS_CLUSTER_API_POD_HOST=$pod_gateway
export AEGIS_CLUSTER_API_POD_PORT=$apiserver_port
export AEGIS_CLUSTER_S3_HOST_ENDPOINT=http://127.0.0.1:$s3_port
export AEGIS_CLUSTER_S3_POD_ENDPOINT=http://$pod_gateway:$s3_port
EOF
log "up: kubectl --kubeconfig $kubeconfig get nodes; source $cluster_dir/cluster.env"
