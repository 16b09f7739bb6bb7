# Shared by the shell tests (sourced): what a missing peer does, a hard failure, and bounded
# polling instead of sleeps. interop/lib.sh adds the soft checks (pass/fail/expect_*, finish).

# skip_or_fail REASON: a missing peer or tool is SKIPPED (exit 77, ctest's skip code) in a
# developer build and a failure with AEGIS_REQUIRE_PEERS=1 (CI).
skip_or_fail() {
  if [ "${AEGIS_REQUIRE_PEERS:-0}" = 1 ]; then echo "FAIL: $*" >&2; exit 1; fi
  echo "SKIPPED: $*" >&2
  exit 77
}

# die MESSAGE: the test fails here.
die() { echo "FAIL: $*" >&2; exit 1; }

# eventually SECONDS WHAT COMMAND…: polls COMMAND (every 0.2 s, its output hidden) until it
# succeeds; after SECONDS the test fails naming WHAT, first calling on_timeout when the script
# defines it (to show its daemons' logs).
eventually() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      if declare -F on_timeout >/dev/null; then on_timeout; fi
      die "$what: not within ${limit} s"
    fi
    sleep 0.2
  done
}
