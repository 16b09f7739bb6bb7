#!/usr/bin/env bash
# The verifier image run like a pod (issue 7): podman (runc) runs the image as the init
# step — non-root uid 65532, read-only root filesystem, the public key mounted read-only at
# /etc/cosign like the cosign-public-key secret, a host directory as the model volume, the
# real signature-checking S3 server on 127.0.0.1 — then a "server" container (busybox from
# scratch) reads the model from the volume. A valid artifact is placed and served; a
# tampered one exits non-zero, leaves the volume empty and explains itself in the
# termination log. Exit 77 (reported SKIPPED by ctest) with the reason when podman,
# buildah, node or busybox-static cannot run here; never a silent pass.
#   tests/image/e2e_test.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
# A missing container tool skips (77) in a developer build, fails in CI (AEGIS_REQUIRE_PEERS=1).
# shellcheck source=../support/lib.sh
. "$root/tests/support/lib.sh"
for tool in podman buildah skopeo node curl openssl; do command -v "$tool" >/dev/null || skip_or_fail "$tool is not installed"; done
[ -x /bin/busybox ] || skip_or_fail "busybox-static is not installed (the test's model server)"
[ -d "$root/tests/s3/node_modules/@20minutes/s3rver" ] || skip_or_fail "tests/s3/node_modules missing (npm ci --prefix tests/s3)"
podman info >/dev/null 2>&1 || skip_or_fail "podman cannot run here: $(podman info 2>&1 | tail -1)"

work=$(mktemp -d "${TMPDIR:-/tmp}/aegis-e2e-XXXXXX")
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
run=(podman run --rm --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network host)

# The images: the verifier (ci/image/build.sh) and a scratch busybox as the model server.
image_out=$(bash "$root/ci/image/build.sh" "$build" "$work/image")
echo "$image_out"
ref=$(sed -n 's/^image: *//p' <<<"$image_out")
ctr=$(buildah from scratch)
buildah copy --quiet "$ctr" /bin/busybox /bin/busybox >/dev/null
buildah config --entrypoint '["/bin/busybox"]' "$ctr"
buildah commit --quiet "$ctr" localhost/aegis/e2e-model-server:latest >/dev/null
buildah rm "$ctr" >/dev/null

# The S3 server and the artifacts: a signed model, and the same signature over a tampered one.
mkdir -p "$work/s3" "$work/src" "$work/keys"
exec 3< <(node "$root/tests/s3/serve.js" "$work/s3")
server=$!
read -r ready port <&3
[ "$ready" = READY ] || die "s3rver did not start"
export AWS_ACCESS_KEY_ID=AKIAAEGISTEST AWS_SECRET_ACCESS_KEY=aegis-test-secret
endpoint="http://127.0.0.1:$port"
head -c 1048576 /dev/urandom >"$work/src/model.bin"
echo 'name: "e2e"' >"$work/src/config.pbtxt"
tar -C "$work/src" -czf "$work/good.tar.gz" .
cp "$work/good.tar.gz" "$work/bad.tar.gz"
printf 'tampered' | dd of="$work/bad.tar.gz" bs=1 seek=2000 conv=notrunc 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem" 2>/dev/null
openssl ec -in "$work/key.pem" -pubout -out "$work/keys/pubkey.pem" 2>/dev/null
openssl dgst -sha256 -sign "$work/key.pem" "$work/good.tar.gz" | base64 -w0 >"$work/model.sig"
put() {
  curl -sSf --aws-sigv4 aws:amz:us-east-1:s3 --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$1" "$endpoint/models/$2"
}
put "$work/good.tar.gz" good/model.tar.gz
put "$work/model.sig" good/model.tar.gz.sig
put "$work/bad.tar.gz" bad/model.tar.gz
put "$work/model.sig" bad/model.tar.gz.sig

# init: the pod's verify-and-fetch initContainer.
init() {  # NAME → exit code
  mkdir -p "$work/vol-$1"
  chown 65532:65532 "$work/vol-$1"
  : >"$work/termination-log-$1"
  chmod 0666 "$work/termination-log-$1"
  set +e
  "${run[@]}" --user 65532:65532 --read-only \
    -v "$work/keys:/etc/cosign:ro" -v "$work/vol-$1:/models" -v "$work/termination-log-$1:/dev/termination-log" \
    -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_ENDPOINT_URL_S3="$endpoint" \
    "$ref" "s3://models/$1/model.tar.gz" /models >"$work/init-$1.log" 2>&1
  local rc=$?
  set -e
  cat "$work/init-$1.log"
  return $rc
}

rc=0; init good || rc=$?
[ $rc -eq 0 ] || die "valid artifact: init exited $rc"
served=$("${run[@]}" --read-only -v "$work/vol-good:/models:ro" localhost/aegis/e2e-model-server:latest sha256sum /models/model.bin | cut -d' ' -f1)
[ "$served" = "$(sha256sum "$work/src/model.bin" | cut -d' ' -f1)" ] || die "the server step read another model: $served"
"${run[@]}" -v "$work/vol-good:/models:ro" localhost/aegis/e2e-model-server:latest cat /models/config.pbtxt | grep -q e2e ||
  die "config.pbtxt not served"
record=$(cat "$work/termination-log-good")
grep -qF "\"digest\":\"sha256:$(sha256sum "$work/good.tar.gz" | cut -d' ' -f1)\"" <<<"$record" ||
  die "the termination message does not record the placed digest: $record"
grep -qF '"verified":true' <<<"$record" || die "the termination message is not the success record: $record"
echo "PASS: valid artifact placed by uid 65532 on a read-only root filesystem and served; termination message: $record"

rc=0; init bad || rc=$?
[ $rc -eq 5 ] || die "tampered artifact: expected exit 5, got $rc"
[ -z "$(ls -A "$work/vol-bad")" ] || die "tampered artifact: the model volume is not empty: $(ls -A "$work/vol-bad")"
grep -q "does not verify" "$work/termination-log-bad" || die "termination log: $(cat "$work/termination-log-bad")"
grep -q "aegis-test-secret" "$work/termination-log-bad" "$work/init-bad.log" && die "a secret reached the output"
echo "PASS: tampered artifact refused (exit $rc), empty volume, reason: $(cat "$work/termination-log-bad")"

# Keyless with the root shipped in the image (/usr/share/aegis/sigstore): a real production
# bundle from the vectors, mounted like a volume, is verified and placed; another identity is not.
keyless() {  # IDENTITY NAME → exit code
  mkdir -p "$work/vol-$2"
  chown 65532:65532 "$work/vol-$2"
  "${run[@]}" --user 65532:65532 --read-only -v "$root/tests/testdata/sigstore/prod-v03:/data:ro" -v "$work/vol-$2:/models" \
    "$ref" --trusted-root /usr/share/aegis/sigstore/prod.json --certificate-identity "$1" \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com \
    --signature file:///data/bundle.sigstore.json file:///data/artifact /models >"$work/keyless-$2.log" 2>&1
}
beacon=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
keyless "$beacon" keyless-ok || { cat "$work/keyless-keyless-ok.log"; die "keyless bundle with the image's root: refused"; }
[ -n "$(ls -A "$work/vol-keyless-ok")" ] || die "keyless: nothing placed"
rc=0; keyless https://example.com/someone-else keyless-other || rc=$?
[ $rc -eq 5 ] || die "keyless, another identity: expected exit 5, got $rc"
[ -z "$(ls -A "$work/vol-keyless-other")" ] || die "keyless, another identity: the volume is not empty"
echo "PASS: keyless bundle verified with the image's shipped trusted root; another identity refused (exit $rc)"
