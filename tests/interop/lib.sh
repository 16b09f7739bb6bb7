# Shared by the interop tests: where the real peers are, skip-or-fail when one is missing,
# a scratch directory, and assertions that say what was expected.
# Environment: AEGIS_BIN, VAF_BIN (the binaries under test), AEGIS_SOURCE_DIR,
# AEGIS_PEERS_CACHE (default ~/.cache/aegis-peers), AEGIS_REQUIRE_PEERS=1 (CI: a missing
# peer is a failure, not a skip).
set -euo pipefail
: "${AEGIS_SOURCE_DIR:?}" "${AEGIS_BIN:?}"
# shellcheck source=peers.env
. "$AEGIS_SOURCE_DIR/tests/interop/peers.env"
# shellcheck source=../support/lib.sh
. "$AEGIS_SOURCE_DIR/tests/support/lib.sh"
PEERS=${AEGIS_PEERS_CACHE:-$HOME/.cache/aegis-peers}
failures=0

# peer TOOL VERSION BINARY: the path of a peer's binary; skips (exit 77) or fails when absent.
peer() {
  [ -x "$PEERS/$1-$2/bin/$3" ] || skip_or_fail "peer $1 $2 is not installed in $PEERS (run ci/peers.sh)"
  echo "$PEERS/$1-$2/bin/$3"
}

work=$(mktemp -d)
# Servers a script starts (kill_on_exit PID) are stopped however it ends.
servers=()
kill_on_exit() { servers+=("$1"); }
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

# pass/fail MESSAGE: one line per check; the script exits 1 at the end when any failed.
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# expect_ok NAME CMD…: CMD must exit 0 (its output is shown when it does not).
expect_ok() {
  local name=$1; shift
  if "$@" >"$work/out" 2>&1; then pass "$name"; else fail "$name (exit $?)"; sed 's/^/     | /' "$work/out" | tail -20; fi
}
# expect_exit NAME CODE CMD…: CMD must exit with CODE.
expect_exit() {
  local name=$1 want=$2 rc=0; shift 2
  "$@" >"$work/out" 2>&1 || rc=$?
  if [ "$rc" = "$want" ]; then pass "$name (exit $rc)"; else fail "$name: exit $rc, want $want"; sed 's/^/     | /' "$work/out" | tail -20; fi
}
# expect_refused NAME CMD…: CMD must exit non-zero.
expect_refused() {
  local name=$1 rc=0; shift
  "$@" >"$work/out" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then pass "$name (refused, exit $rc)"; else fail "$name: accepted, must be refused"; sed 's/^/     | /' "$work/out" | tail -20; fi
}
# expect_output NAME REGEX: the last command's output must match REGEX (grep -E).
expect_output() {
  if grep -Eq -- "$2" "$work/out"; then pass "$1"; else fail "$1: output does not match /$2/"; sed 's/^/     | /' "$work/out" | tail -20; fi
}
# expect_output_lacks NAME TEXT: the last command's output must not contain TEXT (a secret).
expect_output_lacks() {
  if grep -Fq -- "$2" "$work/out"; then fail "$1: the output shows it"; else pass "$1"; fi
}

# test_server_certificate DIR CA_NAME: in DIR a test CA (ca.pem, ca.key) and a certificate it
# issued for 127.0.0.1 (server.pem, server.key): tests/support/test_ca.sh, the C++ tests' recipe too.
test_server_certificate() { bash "$AEGIS_SOURCE_DIR/tests/support/test_ca.sh" "$1" "$2"; }

finish() {
  if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
  echo "all checks passed"
}
