#!/usr/bin/env bash
# Model-directory benchmark (issue 18): a model directory of 8 large incompressible shards and
# 50 small files, signed with `aegis sign --oms` (model.sig among the objects), uploaded as
# objects to the local signature-checking S3 server. Prints wall time and peak RSS of
#   verify-and-fetch s3://models/dir/ --parallel 1 and --parallel 4
#                                   (list, fetch, hash, verify as a model-signing tree, place)
#   curl, one object after another (the same objects, no verification: a plain download)
# on this machine's loopback (no link shaping: the per-connection limits of a real object
# store, which parallelism addresses, are not modelled here). Numbers, not a test.
#   ci/bench_tree.sh [BUILD_DIR] [SIZE_MB]   (default: build, 1024)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/ci/bench_lib.sh"
bench_args bench_tree.sh "$@"
make_model "$work/dir" "$size_mb" "$aegis"

mkdir -p "$work/s3"
exec 3< <(node tests/s3/serve.js "$work/s3")
servers+=($!)
read -r ready port <&3
[ "$ready" = READY ] || { echo "s3rver did not start" >&2; exit 1; }
endpoint="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIAAEGISTEST AWS_SECRET_ACCESS_KEY=aegis-test-secret AWS_ENDPOINT_URL_S3="$endpoint"
sig=(--aws-sigv4 aws:amz:us-east-1:s3 --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY")
(cd "$work/dir" && find . -type f | sed 's|^\./||') >"$work/keys"
while read -r k; do
  curl -sSf "${sig[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$work/dir/$k" "$endpoint/models/dir/$k"
done <"$work/keys"
rm -rf "$work/dir"
plain="while read -r k; do mkdir -p \"\$(dirname \"$work/out/\$k\")\"; curl -sSf ${sig[*]} -H x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 -o \"$work/out/\$k\" \"$endpoint/models/dir/\$k\"; done <$work/keys"

echo "model directory: 8 shards + 50 small files + model.sig, ${size_mb} MB, s3rver on loopback, $(nproc) cores"
measure "verify-and-fetch --parallel 1" "$vaf --termination-log /dev/null --key $work/pub.pem --parallel 1 s3://models/dir/ $work/out"
measure "verify-and-fetch --parallel 4" "$vaf --termination-log /dev/null --key $work/pub.pem --parallel 4 s3://models/dir/ $work/out"
measure "curl per object (unverified)" "$plain"
