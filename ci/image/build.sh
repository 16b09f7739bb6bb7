#!/usr/bin/env bash
# Builds the verifier's OCI image with buildah, from scratch, without a Docker engine or a
# registry: rootfs.sh's files, entrypoint verify-and-fetch, user 65532. Prints the image
# reference, its digest and size; writes OUT_DIR/verify-and-fetch.oci.tar (oci-archive) and
# keeps the image in local containers-storage for podman.
#   ci/image/build.sh [BUILD_DIR] [OUT_DIR]   (default: build-release, build-release/image)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-release}
out=${2:-$build/image}
bin="$build/verifier/verify-and-fetch"
[ -x "$bin" ] || { echo "build.sh: $bin missing (build the verify-and-fetch target first)" >&2; exit 2; }
version=$("$bin" --version)  # the build's own (a release's comes from its tag)
ref="localhost/aegis/verify-and-fetch:$version"
command -v buildah >/dev/null || { echo "build.sh: buildah missing (apt-get install buildah)" >&2; exit 2; }
mkdir -p "$out"
rootfs="$out/rootfs"
bash "$root/ci/image/rootfs.sh" "$bin" "$rootfs"

ctr=$(buildah from scratch)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
buildah copy --quiet "$ctr" "$rootfs" / >/dev/null
buildah config \
  --entrypoint '["/usr/local/bin/verify-and-fetch"]' --cmd '[]' \
  --user 65532:65532 --workingdir / \
  --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --label org.opencontainers.image.title=verify-and-fetch \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.description="Aegis: fetch, verify and place a signed ML model (initContainer)" \
  "$ctr"
buildah commit --quiet --timestamp 0 "$ctr" "$ref" >/dev/null
rm -f "$out/verify-and-fetch.oci.tar"
buildah push --quiet "$ref" "oci-archive:$out/verify-and-fetch.oci.tar:$ref" >/dev/null
digest=$(skopeo inspect --format '{{.Digest}}' "oci-archive:$out/verify-and-fetch.oci.tar" 2>/dev/null || buildah inspect --format '{{.FromImageDigest}}' "$ref")
size=$(du -m "$out/verify-and-fetch.oci.tar" | cut -f1)
rm -rf "$rootfs"
echo "image:   $ref"
echo "digest:  $digest"
echo "archive: $out/verify-and-fetch.oci.tar ($size MB)"
echo "push:    skopeo copy oci-archive:$out/verify-and-fetch.oci.tar docker://REGISTRY/aegis/verify-and-fetch:$version"
