#!/usr/bin/env bash
# Builds the Debian package from a Release build, installs it with apt (as a user would),
# and runs the installed aegis on the installed examples from the installed location.
#   ci/package.sh [BUILD_DIR]   (default: configures build-release, Release; an existing
#                                build directory is reused as configured, e.g. CI's `build`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${1:-build-release}
if [ -f "$build/CMakeCache.txt" ]; then
  cmake --build "$build" --target aegis verify-and-fetch aegis_docs >/dev/null
else
  bash ci/build.sh "$build" -DCMAKE_BUILD_TYPE=Release -DAEGIS_TESTS=OFF >/dev/null
fi
(cd "$build" && cpack -G DEB >/dev/null)
version=$("$build/tools/aegis" --version)  # the build's own (a release's comes from its tag)
deb="$build/aegis_${version}_amd64.deb"
[ -f "$deb" ] || { echo "package.sh: $deb was not produced" >&2; exit 1; }
echo "== $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends
apt-get install -y "./$deb" >/dev/null 2>&1 || apt-get install -y "$(pwd)/$deb"
fail() { echo "package.sh: FAIL: $*" >&2; exit 1; }
[ "$(command -v aegis)" = /usr/bin/aegis ] || fail "aegis is not /usr/bin/aegis"
[ "$(command -v verify-and-fetch)" = /usr/bin/verify-and-fetch ] || fail "verify-and-fetch is not installed"
cd /  # nothing from the source tree
lint_out=$(aegis lint /usr/share/aegis/manifests/namespace.yaml /usr/share/aegis/manifests/kserve \
  /usr/share/aegis/manifests/triton /usr/share/aegis/manifests/pod) ||
  fail "the installed canary manifests do not pass the installed policy"
echo "$lint_out" | grep -q "no findings in 3 checked objects" || fail "the installed canaries were not all checked: $lint_out"
set +e
aegis lint -q /usr/share/aegis/manifests/namespace.yaml /usr/share/aegis/manifests/known-bad
code=$?
set -e
[ $code -eq 1 ] || fail "known-bad examples: expected exit 1, got $code"
aegis policy check /usr/share/aegis/policies/constrainttemplate.yaml /usr/share/aegis/policies/constraint-enforce.yaml ||
  fail "installed policies do not check"
verify-and-fetch --version >/dev/null
# The shipped public-good root verifies a real keyless bundle (the vectors' prod-v03).
v="$root/tests/testdata/sigstore/prod-v03"
aegis verify "$v/artifact" --signature "$v/bundle.sigstore.json" --trusted-root /usr/share/aegis/sigstore/prod.json \
  --certificate-identity-regexp '^https://github.com/sigstore-conformance/' \
  --certificate-oidc-issuer https://token.actions.githubusercontent.com >/dev/null ||
  fail "the installed /usr/share/aegis/sigstore/prod.json does not verify a production keyless bundle"
[ -f /usr/share/aegis/sigstore/README.md ] || fail "the shipped roots' provenance is missing"
for page in aegis aegis-lint aegis-sign verify-and-fetch; do
  [ -f "/usr/share/man/man1/$page.1" ] || [ -f "/usr/share/man/man1/$page.1.gz" ] || fail "man page $page missing"
done
bash -c 'source /usr/share/bash-completion/completions/aegis && complete -p aegis' >/dev/null || fail "bash completion"
# Nested subcommands are documented and completed too (aegis policy export/check).
page=/usr/share/man/man1/aegis-policy.1
{ [ -f "$page" ] && cat "$page" || zcat "$page.gz"; } | grep -q '^aegis policy export' || fail "man aegis-policy lacks export"
grep -q 'policy) opts="export check ' /usr/share/bash-completion/completions/aegis || fail "bash completion lacks policy export/check"
[ -f /usr/share/zsh/vendor-completions/_aegis ] || fail "zsh completion missing"
echo "package.sh: installed $deb; aegis lint works from /usr/share/aegis"
apt-get remove -y aegis >/dev/null 2>&1
