#!/usr/bin/env bash
# Long fuzzing, offline (not part of CI, which keeps its short smoke runs):
#   ci/fuzz_long.sh BUILD_DIR WORK_DIR CPU_SECONDS [target…]
# Runs each libFuzzer target (default: all four) at low priority, in parallel, until it has
# used CPU_SECONDS of CPU time (user + system, read from /proc, so a busy machine does not
# shorten the run), then stops it with SIGINT so libFuzzer prints its final statistics.
# Corpora grow in WORK_DIR/<target>/ (seeded from tests/fuzz/corpus/); crashes are written
# to WORK_DIR/<target>-artifacts/. A summary line per target goes to WORK_DIR/summary.txt.
set -euo pipefail
build=$1 work=$2 budget=$3
shift 3
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest signature archive place)
root=$(cd "$(dirname "$0")/.." && pwd)
ticks=$(getconf CLK_TCK)

cpu_seconds() {  # utime + stime of a process, in whole seconds
  awk -v t="$ticks" '{ sub(/^.*\) /, ""); print int(($12 + $13) / t) }' "/proc/$1/stat" 2>/dev/null || echo 0
}

mkdir -p "$work"
declare -A pids
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "$work/$t-artifacts"
  cp -n "$root/tests/fuzz/corpus/$t"/* "$work/$t/" 2>/dev/null || true
  nice -n 19 "$build/tests/aegis_${t}_fuzzer" -max_total_time=86400 -rss_limit_mb=2048 -timeout=20 \
    -print_final_stats=1 -artifact_prefix="$work/$t-artifacts/" "$work/$t" >"$work/$t.log" 2>&1 &
  pids[$t]=$!
done

while :; do
  running=0
  for t in "${!pids[@]}"; do
    pid=${pids[$t]}
    kill -0 "$pid" 2>/dev/null || continue
    running=1
    if [ "$(cpu_seconds "$pid")" -ge "$budget" ]; then kill -INT "$pid"; fi
  done
  [ $running = 1 ] || break
  sleep 20
done

for t in "${targets[@]}"; do
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/$t.log" | awk '{print $2}')
  crashes=$(find "$work/$t-artifacts" -type f | wc -l)
  echo "$t: ${runs:-?} executions, corpus $(ls "$work/$t" | wc -l), findings $crashes" | tee -a "$work/summary.txt"
done
