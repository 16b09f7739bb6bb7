# Shared by the benchmark scripts (sourced): their arguments, a work directory removed on exit,
# a signed model directory, and the measurement. Numbers, not tests.

# bench_args NAME [BUILD_DIR] [SIZE_MB]: $build (default build), $size_mb (default 1024), and the
# built $vaf and $aegis (a missing one ends the script, naming NAME).
bench_args() {
  local name=$1
  build=${2:-build}
  size_mb=${3:-1024}
  vaf="$build/verifier/verify-and-fetch"
  aegis="$build/tools/aegis"
  [ -x "$vaf" ] && [ -x "$aegis" ] || { echo "$name: build $build first" >&2; exit 2; }
}

work=$(mktemp -d "${TMPDIR:-/tmp}/aegis-bench-XXXXXX")
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

# make_model DIR SIZE_MB AEGIS: 8 incompressible shards (95 %) and 50 small files (5 %), signed
# with `aegis sign --oms` (model.sig inside); the key pair in $work/key.pem, $work/pub.pem.
make_model() {
  local dir=$1 size_mb=$2 aegis=$3 shard=$(($2 * 95 / 100 / 8))
  mkdir -p "$dir/tokenizer"
  for i in $(seq 8); do head -c "${shard}M" /dev/urandom >"$dir/model-0000$i-of-00008.safetensors"; done
  for i in $(seq 50); do head -c "$((size_mb * 1024 * 5 / 100 / 50))K" /dev/urandom >"$dir/tokenizer/part-$i.json"; done
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
  openssl pkey -in "$work/key.pem" -pubout -out "$work/pub.pem" 2>/dev/null
  "$aegis" sign --oms --key "$work/key.pem" "$dir" >/dev/null 2>&1
}

# measure NAME COMMAND: median wall seconds and peak RSS (MB) over $RUNS runs (default 3), into $work/out.
measure() {
  local name=$1 cmd=$2 walls=() peak=0 w m
  for _ in $(seq "${RUNS:-3}"); do
    rm -rf "$work/out" && mkdir -p "$work/out" && sync
    /usr/bin/time -f "%e %M" -o "$work/t" bash -c "$cmd" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r w m < <(tail -1 "$work/t")
    walls+=("$w")
    ((m > peak)) && peak=$m
  done
  local median; median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  printf '%-44s %7.2f s %7d MB\n' "$name" "$median" $((peak / 1024))
}
