#!/usr/bin/env bash
# OCI benchmark (issues 16, 18): a model directory of 8 large incompressible shards and 50
# small files, signed with `aegis sign --oms`, pushed file by file with ORAS to a local CNCF
# Distribution registry (https, anonymous pulls; the versions peers.env pins). Prints wall time
# and peak RSS of
#   verify-and-fetch oci://…/models/dir:v1 --parallel 1 and --parallel 4
#                   (manifest, blobs checked against their digests, model-signing verification, placement)
#   oras pull (the peer: the same artifact, digests checked, no model signature)
# on loopback (no link shaping). Numbers, not a test.
#   ci/bench_oci.sh [BUILD_DIR] [SIZE_MB]   (default: build, 1024)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/ci/bench_lib.sh"
bench_args bench_oci.sh "$@"
. "$root/tests/interop/peers.env"
cache=${AEGIS_PEERS_CACHE:-$HOME/.cache/aegis-peers}
registry="$cache/registry-$DISTRIBUTION/bin/registry" oras="$cache/oras-$ORAS/bin/oras"
[ -x "$registry" ] && [ -x "$oras" ] || { echo "bench_oci.sh: run ci/peers.sh first (registry, oras)" >&2; exit 2; }
make_model "$work/dir" "$size_mb" "$aegis"

(cd "$work" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout k.pem -out c.pem -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/config.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/storage}}
http: {addr: 127.0.0.1:$port, tls: {certificate: $work/c.pem, key: $work/k.pem}}
YML
OTEL_TRACES_EXPORTER=none "$registry" serve "$work/config.yml" >"$work/registry.log" 2>&1 &
servers+=($!)
for _ in $(seq 100); do curl -sf --cacert "$work/c.pem" "https://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
ref="127.0.0.1:$port/models/dir:v1"
(cd "$work/dir" && "$oras" push --no-tty --ca-file "$work/c.pem" "$ref" $(find . -type f | sed 's|^\./||' | sort) >/dev/null)
rm -rf "$work/dir"

echo "OCI artifact: 8 shards + 50 small files + model.sig, ${size_mb} MB, Distribution $DISTRIBUTION on loopback (https), $(nproc) cores"
measure "verify-and-fetch --parallel 1" "$vaf --termination-log /dev/null --ca-bundle $work/c.pem --key $work/pub.pem --parallel 1 oci://$ref $work/out"
measure "verify-and-fetch --parallel 4" "$vaf --termination-log /dev/null --ca-bundle $work/c.pem --key $work/pub.pem --parallel 4 oci://$ref $work/out"
measure "oras pull (digests only, no signature)" "cd $work/out && $oras pull --no-tty --ca-file $work/c.pem $ref"
