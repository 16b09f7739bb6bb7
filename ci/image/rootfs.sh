#!/usr/bin/env bash
# Assembles the verifier image's root filesystem: the verify-and-fetch binary, exactly its
# shared-library closure (ldd) and dynamic loader, the CA bundle, the public-good Sigstore
# trusted roots (/usr/share/aegis/sigstore, verifier/sigstore-roots/README.md) and passwd/group
# entries for the non-root user 65532 — nothing else (no shell). Used by build.sh (buildah) and by
# the Containerfile (docker), so both images hold the same files.
#   ci/image/rootfs.sh BINARY OUT_DIR
set -euo pipefail
bin=$1
out=$2
rm -rf "$out"
mkdir -p "$out/etc/ssl/certs" "$out/usr/local/bin"
install -m 0755 "$bin" "$out/usr/local/bin/verify-and-fetch"
strip --strip-unneeded "$out/usr/local/bin/verify-and-fetch" 2>/dev/null || true
# Every library the binary loads, at the path the loader looks for it (symlinks resolved).
ldd "$bin" | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' | sort -u | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/ca-certificates.crt"
mkdir -p "$out/usr/share/aegis/sigstore"
cp "$(dirname "$0")/../../verifier/sigstore-roots/"* "$out/usr/share/aegis/sigstore/"
printf 'nonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' >"$out/etc/passwd"
printf 'nonroot:x:65532:\n' >"$out/etc/group"
