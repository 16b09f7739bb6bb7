#!/usr/bin/env bash
# Installs everything Aegis needs to build and test on a fresh Debian 12 machine.
# Idempotent: apt is only touched when a package is missing. Run as root.
# `ci/setup.sh --peers` also installs the real peers the interop and cluster tests run
# (ci/peers.sh: OPA, gator, cosign, model_signing, OpenBao, kubernetes-validate, Kubernetes,
# Gatekeeper; cached per version).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libyaml-dev libre2-dev libfmt-dev nlohmann-json3-dev libcli11-dev libgtest-dev libarchive-dev libssl-dev openssl libcurl4-openssl-dev libsodium-dev
  clang libclang-rt-14-dev   # libFuzzer and the sanitizer runtimes for the fuzz build
  clang-format               # ci/format.sh: the lines a change touches, in .clang-format's style
  time                       # /usr/bin/time for the benchmark's peak RSS
  curl                       # seeds the test S3 server with its own SigV4 signer
  ca-certificates            # the CA bundle shipped in the verifier image
)
# The verifier image (ci/image) and its pod-like end-to-end test; installed with their
# recommended packages (conmon, netavark, …) as podman needs them.
container_packages=(buildah podman runc skopeo busybox-static)
# The single-node cluster of tests/cluster (etcd, containerd, the CNI bridge; Kubernetes and
# Gatekeeper themselves are built by ci/peers.sh).
cluster_packages=(etcd-server containerd containernetworking-plugins iproute2)

# install_missing [APT_FLAGS…] -- PACKAGES…: apt-get install only what is not installed yet.
install_missing() {
  local flags=() missing=()
  while [ "$1" != -- ]; do flags+=("$1"); shift; done
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "ci/setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${flags[@]}" "${missing[@]}" >/dev/null
}
install_missing --no-install-recommends -- "${packages[@]}"
install_missing -- "${container_packages[@]}"
install_missing --no-install-recommends -- "${cluster_packages[@]}"
# Node.js for the test S3 server (tests/s3: pinned @20minutes/s3rver 5.0.0) and Azurite (tests/azurite).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ci/setup.sh: installing nodejs npm"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$root/tests/s3/node_modules/@20minutes/s3rver/package.json" ]; then
  echo "ci/setup.sh: npm ci in tests/s3"
  (cd "$root/tests/s3" && npm ci --no-audit --no-fund --engine-strict=false >/dev/null 2>&1)
fi
if [ ! -f "$root/tests/azurite/node_modules/azurite/package.json" ]; then
  echo "ci/setup.sh: npm ci in tests/azurite"
  (cd "$root/tests/azurite" && npm ci --no-audit --no-fund >/dev/null 2>&1)
fi
if ! command -v kubectl >/dev/null; then
  echo "ci/setup.sh: note: kubectl is not installed (Debian has no package for it); the real-producer tests will be SKIPPED"
fi
if [ "${1:-}" = --peers ]; then
  started=$SECONDS
  bash "$root/ci/peers.sh" 2>&1 | grep -v '^go: downloading'
  echo "ci/setup.sh: peers ready in $((SECONDS - started)) s"
fi
