#!/usr/bin/env bash
# Model download over a shaped link (issue 18, benchmark 1). The tests' S3 server (s3rver) runs
# in its own network namespace, reached over a veth pair whose server side is shaped with tc:
#   - the link: an HTB class at LINK_RATE (default 1gbit);
#   - per-connection limits of an object store: 64 HTB leaves, each capped at FLOW_RATE
#     (default 200mbit), a connection's leaf chosen by bits 1-6 of the client's port (u32).
# This kernel has neither netem nor fq: RTT is not added (the loopback's), and two connections
# that land in one leaf share its cap. Two models, each a model_signing-signed directory
# (`model_signing sign key`, model.sig inside; 8 shards + 50 small files): SIZE_MB as a prefix
# of objects, and the same directory as one uncompressed tar. Each tool fetches both into an
# empty directory; wall time and peak RSS are printed side by side (median of RUNS):
#   verify-and-fetch                      list, fetch, hash, verify (format D), place
#   kserve-storage                        KServe's storage initializer (Storage.download), plain
#   kserve-storage + model_signing verify the same, then the real verifier: what an adopter would
#                                         run (kserve-storage 0.21 has no verification switch)
#   aws s3 cp [--recursive]               the AWS CLI, plain download (the tar not unpacked)
#   s5cmd cp                              plain download (the tar not unpacked)
# Needs root (ip netns, tc). MODELS="dir" or "tar" runs one. Numbers, not a test.
#   ci/bench_link.sh [BUILD_DIR] [SIZE_MB]   (default: build, 4096)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${1:-build}
size_mb=${2:-4096}
link_rate=${LINK_RATE:-1gbit}
flow_rate=${FLOW_RATE:-200mbit}
runs=${RUNS:-1}
vaf="$build/verifier/verify-and-fetch"
[ -x "$vaf" ] || { echo "bench_link.sh: build $build first" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench_link.sh: needs root (ip netns, tc)" >&2; exit 2; }
cache=$(bash ci/peers.sh bench | tail -1)
. tests/interop/peers.env
ms="$cache/model-signing-$MODEL_SIGNING_NEW/bin/model_signing"
kserve_py="$cache/kserve-storage-$KSERVE_STORAGE/bin/python"
aws="$cache/awscli-$AWSCLI/bin/aws"
s5cmd="$cache/s5cmd-$S5CMD/bin/s5cmd"
. ci/bench_lib.sh
RUNS=$runs

# The model: a directory signed by the real model_signing, and the same as a tar.
mkdir -p "$work/dir/tokenizer"
shard=$((size_mb * 95 / 100 / 8))
for i in $(seq 8); do head -c "${shard}M" /dev/urandom >"$work/dir/model-0000$i-of-00008.safetensors"; done
for i in $(seq 50); do head -c "$((size_mb * 1024 * 5 / 100 / 50))K" /dev/urandom >"$work/dir/tokenizer/part-$i.json"; done
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
openssl pkey -in "$work/key.pem" -pubout -out "$work/pub.pem" 2>/dev/null
"$ms" sign key --private_key "$work/key.pem" --signature "$work/dir/model.sig" "$work/dir" >/dev/null 2>&1
tar -cf "$work/model.tar" -C "$work/dir" .

# The link.
ns=aegis-link-$$ cli=aegc$$ srv=aegs$$
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; done; ip link del "$cli" 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -rf "$work"' EXIT
ip netns add "$ns"
ip link add "$cli" type veth peer name "$srv"
ip link set "$srv" netns "$ns"
ip addr add 10.203.0.1/24 dev "$cli" && ip link set "$cli" up
ip -n "$ns" addr add 10.203.0.2/24 dev "$srv" && ip -n "$ns" link set "$srv" up
shape() {
  local t=(ip netns exec "$ns" tc)
  "${t[@]}" qdisc replace dev "$srv" root handle 1: htb default 2
  "${t[@]}" class add dev "$srv" parent 1: classid 1:1 htb rate "$link_rate" ceil "$link_rate" burst 256k cburst 256k quantum 60000
  "${t[@]}" class add dev "$srv" parent 1:1 classid 1:2 htb rate 1mbit ceil "$link_rate" burst 256k cburst 256k quantum 60000
  for i in $(seq 0 63); do
    local id; id=$(printf '%x' $((0x100 + i)))
    "${t[@]}" class add dev "$srv" parent 1:1 classid "1:$id" htb rate 1mbit ceil "$flow_rate" burst 256k cburst 256k quantum 60000
    "${t[@]}" filter add dev "$srv" parent 1: protocol ip prio 1 u32 match ip protocol 6 0xff \
      match ip dport $((i << 1)) 0x7e flowid "1:$id"
  done
}

mkdir -p "$work/s3"
exec 3< <(ip netns exec "$ns" env AEGIS_S3_ADDRESS=10.203.0.2 node tests/s3/serve.js "$work/s3")
servers+=($!)
read -r ready port <&3
[ "$ready" = READY ] || { echo "s3rver did not start" >&2; exit 1; }
endpoint="http://10.203.0.2:$port"
export AWS_ACCESS_KEY_ID=AKIAAEGISTEST AWS_SECRET_ACCESS_KEY=aegis-test-secret AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="$endpoint" AWS_ENDPOINT_URL_S3="$endpoint" S3_VERIFY_SSL=0
"$aws" s3 cp --quiet --recursive "$work/dir" s3://models/dir/
"$aws" s3 cp --quiet "$work/model.tar" s3://models/model.tar
rm -rf "$work/dir" "$work/model.tar"
shape

kserve="$kserve_py -c 'import sys; from kserve_storage import Storage; Storage.download(sys.argv[1], sys.argv[2])'"
verify="$ms verify key --signature $work/out/model.sig --public_key $work/pub.pem $work/out"
echo "link: $link_rate, $flow_rate per connection (tc htb); s3rver in a network namespace; $(nproc) cores"
echo "model: 8 shards + 50 small files + model.sig, ${size_mb} MB, signed by model_signing $MODEL_SIGNING_NEW"
for m in ${MODELS:-dir tar}; do
  if [ $m = dir ]; then uri=s3://models/dir/; echo "== a model directory (prefix of objects)"; else uri=s3://models/model.tar; echo "== one uncompressed tar"; fi
  recursive=(); [ $m = dir ] && recursive=(--recursive)
  measure "verify-and-fetch" "$vaf --termination-log /dev/null --key $work/pub.pem $uri $work/out"
  measure "kserve-storage $KSERVE_STORAGE" "$kserve $uri $work/out"
  if [ $m = dir ]; then
    measure "kserve-storage + model_signing verify" "$kserve $uri $work/out && $verify"
  else
    measure "kserve-storage + model_signing verify" "$kserve $uri $work/out && rm $work/out/model.tar 2>/dev/null; $verify"
  fi
  measure "aws s3 cp ${recursive[*]} (awscli $AWSCLI)" "$aws s3 cp --quiet ${recursive[*]} $uri $work/out/"
  src=$uri; [ $m = dir ] && src="s3://models/dir/*"
  measure "s5cmd cp ($S5CMD)" "$s5cmd --endpoint-url $endpoint cp '$src' $work/out/"
done
