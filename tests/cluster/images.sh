#!/usr/bin/env bash
# Builds the cluster's images with buildah, from scratch, without a registry:
#   localhost/aegis/pause:1             the pod sandbox (images/pause.c, static)
#   localhost/aegis/model-server:1      the canaries' model server (busybox-static + images/serve.sh)
#   localhost/aegis/gatekeeper:VERSION  Gatekeeper's manager (the static binary ci/peers.sh built),
#                                       as /manager like the release image
#   localhost/aegis/kubectl:VERSION     kubectl (the static binary ci/peers.sh built) as the
#                                       entrypoint, like registry.k8s.io/kubectl: the Helm chart's Job
# and writes each as an oci-archive into OUT_DIR (NAME.oci.tar).
#   tests/cluster/images.sh OUT_DIR GATEKEEPER_BIN GATEKEEPER_VERSION KUBECTL_BIN KUBERNETES_VERSION
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: images.sh OUT_DIR GATEKEEPER_BIN GATEKEEPER_VERSION}
gatekeeper=${2:?usage: images.sh OUT_DIR GATEKEEPER_BIN GATEKEEPER_VERSION}
gatekeeper_version=${3:?usage: images.sh OUT_DIR GATEKEEPER_BIN GATEKEEPER_VERSION KUBECTL_BIN KUBERNETES_VERSION}
kubectl_bin=${4:?usage: images.sh OUT_DIR GATEKEEPER_BIN GATEKEEPER_VERSION KUBECTL_BIN KUBERNETES_VERSION}
kubernetes_version=${5:?usage: images.sh OUT_DIR GATEKEEPER_BIN GATEKEEPER_VERSION KUBECTL_BIN KUBERNETES_VERSION}
mkdir -p "$out"
work=$(mktemp -d)
containers=()
cleanup() {
  for c in "${containers[@]}"; do buildah rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# image REF ARCHIVE ROOTFS ENTRYPOINT_JSON USER: one layer from ROOTFS, committed and archived.
image() {
  local ref=$1 archive=$2 rootfs=$3 entrypoint=$4 user=$5 c
  c=$(buildah from scratch)
  containers+=("$c")
  buildah copy --quiet "$c" "$rootfs" / >/dev/null
  buildah config --env PATH=/bin --entrypoint "$entrypoint" --cmd '[]' --user "$user" --workingdir / "$c"
  buildah commit --quiet --timestamp 0 "$c" "$ref" >/dev/null
  rm -f "$out/$archive"
  buildah push --quiet "$ref" "oci-archive:$out/$archive:$ref" >/dev/null
  echo "images.sh: $ref -> $out/$archive"
}

mkdir -p "$work/pause"
gcc -static -Os -s -o "$work/pause/pause" "$here/images/pause.c"
image localhost/aegis/pause:1 pause.oci.tar "$work/pause" '["/pause"]' 65535:65535

busybox=$(command -v busybox || echo /bin/busybox)
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || ldd "$busybox" 2>&1 | grep -q 'not a dynamic' ||
  { echo "images.sh: $busybox is not static (apt-get install busybox-static)" >&2; exit 2; }
rootfs="$work/model-server"
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/models"
chmod 1777 "$rootfs/tmp"
cp "$busybox" "$rootfs/bin/busybox"
for applet in sh find sort sha256sum wc mkdir httpd cat ls; do ln -s busybox "$rootfs/bin/$applet"; done
install -m 0755 "$here/images/serve.sh" "$rootfs/bin/serve"
image localhost/aegis/model-server:1 model-server.oci.tar "$rootfs" '["/bin/sh", "/bin/serve"]' 65534:65534

mkdir -p "$work/gatekeeper"
cp "$gatekeeper" "$work/gatekeeper/manager"
image "localhost/aegis/gatekeeper:$gatekeeper_version" gatekeeper.oci.tar "$work/gatekeeper" '["/manager"]' 65532:65532

mkdir -p "$work/kubectl/tmp"
chmod 1777 "$work/kubectl/tmp"
cp "$kubectl_bin" "$work/kubectl/kubectl"
image "localhost/aegis/kubectl:$kubernetes_version" kubectl.oci.tar "$work/kubectl" '["/kubectl"]' 65532:65532
