#!/usr/bin/env bash
# verify-and-fetch benchmark (issue 5): a ~1 GiB tar.gz (a few large incompressible files,
# like weights, and thousands of small ones) served by the local signature-checking S3
# server. Prints wall time and peak RSS of
#   verify-and-fetch                 (fetch + hash, verify, then extract: never parses unverified bytes)
#   (a) curl … | tar xz             (one pass, no verification)
#   (b) curl -o; sha256sum; tar xzf (the seed's sequential way)
# and the ratios. Numbers, not a test.
#   ci/bench_verifier.sh [BUILD_DIR] [SIZE_MB]   (default: builds build-bench, Release; 1024)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${1:-}
size_mb=${2:-1024}
if [ -z "$build" ]; then
  bash ci/setup.sh
  build=build-bench
  TARGETS="verify-and-fetch" bash ci/build.sh "$build" -DCMAKE_BUILD_TYPE=Release -DAEGIS_TESTS=OFF >/dev/null
fi
vaf="$build/verifier/verify-and-fetch"
work=$(mktemp -d "${TMPDIR:-/tmp}/aegis-bench-XXXXXX")
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The model: 4 large files share 90 % of the size, 4,000 small files the rest.
mkdir -p "$work/src/model/1" "$work/src/model/tokenizer"
large=$((size_mb * 9 / 10 / 4))
for i in 1 2 3 4; do head -c "${large}M" /dev/urandom >"$work/src/model/1/shard-$i.bin"; done
small_total=$((size_mb * 1024 / 10))  # KiB
for i in $(seq 4000); do head -c "$((small_total / 4000))K" /dev/urandom >"$work/src/model/tokenizer/part-$i.json"; done
tar -C "$work/src" -cf - model | gzip -1 >"$work/model.tar.gz"
rm -rf "$work/src"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem" 2>/dev/null
openssl ec -in "$work/key.pem" -pubout -out "$work/pub.pem" 2>/dev/null
openssl dgst -sha256 -sign "$work/key.pem" "$work/model.tar.gz" | base64 -w0 >"$work/model.tar.gz.sig"

mkdir -p "$work/s3"
exec 3< <(node tests/s3/serve.js "$work/s3")
server=$!
read -r ready port <&3
[ "$ready" = READY ] || { echo "s3rver did not start" >&2; exit 1; }
endpoint="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIAAEGISTEST AWS_SECRET_ACCESS_KEY=aegis-test-secret AWS_ENDPOINT_URL_S3="$endpoint"
for f in model.tar.gz model.tar.gz.sig; do
  curl -sSf --aws-sigv4 aws:amz:us-east-1:s3 --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$work/$f" "$endpoint/models/$f"
done
rm -f "$work/model.tar.gz"
get="curl -sSf --aws-sigv4 aws:amz:us-east-1:s3 --user $AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY -H x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 $endpoint/models/model.tar.gz"

# measure NAME COMMAND: median wall seconds and peak RSS (MB) over 3 runs, fresh output each time.
declare -A wall rss
measure() {
  local name=$1 cmd=$2 walls=() peak=0
  for _ in 1 2 3; do
    rm -rf "$work/out" "$work/dl.tar.gz"
    mkdir -p "$work/out"
    sync
    /usr/bin/time -f "%e %M" -o "$work/t" bash -c "$cmd" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r w m < <(tail -1 "$work/t")
    walls+=("$w")
    ((m > peak)) && peak=$m
  done
  wall[$name]=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p)
  rss[$name]=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')
  printf '%-44s %7s s %8s MB\n' "$name" "${wall[$name]}" "${rss[$name]}"
}

echo "verify-and-fetch benchmark ($(nproc) cores; artifact $(du -m "$work/s3" | tail -1 | cut -f1) MB in s3rver; median of 3, peak RSS)"
measure vaf "$vaf --key $work/pub.pem --termination-log $work/tl s3://models/model.tar.gz $work/out"
measure pipe "$get | tar -xzf - -C $work/out"
measure sequential "$get -o $work/dl.tar.gz && sha256sum $work/dl.tar.gz && tar -xzf $work/dl.tar.gz -C $work/out"
awk -v v="${wall[vaf]}" -v a="${wall[pipe]}" -v b="${wall[sequential]}" \
  'BEGIN {printf "ratio verify-and-fetch / (a) curl|tar: %.2fx   / (b) sequential: %.2fx\n", v / a, v / b}'
