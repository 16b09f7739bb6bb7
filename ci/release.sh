#!/usr/bin/env bash
# The release recipe, driven by a tag: everything a release publishes, built from the tagged
# commit with the version the tag names.
#
#   ci/release.sh vX.Y.Z [--build-dir DIR]   on the tagged commit: dist/ holds the assets
#   ci/release.sh --dry-run [--build-dir DIR] the same for v<project version> as if tagged on HEAD
#                                             (CI runs it); nothing is tagged or published
#
# Assets (dist/): aegis_X.Y.Z_amd64.deb, verify-and-fetch_X.Y.Z.oci.tar (the verifier image as an
# OCI archive; skopeo copy pushes it), verify-and-fetch_X.Y.Z.digest, SHA256SUMS. Refused, with
# the reason: a tag that is not vX.Y.Z, a tag that is not HEAD, a dirty tree, documents that name
# another version (the pre-commit `rev:` in README.md, the CI examples' package version), a build
# or package or image whose version is not the tag's. Publishing is the CI's step after it
# (ci/examples/release.yml: gh release create TAG dist/*).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "release.sh: $*" >&2; exit 1; }

dry_run=0 tag="" build=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --build-dir) build=$(cd "$2" && pwd); shift ;;
    v*) tag=$1 ;;
    *) die "usage: ci/release.sh vX.Y.Z | --dry-run [--build-dir DIR]" ;;
  esac
  shift
done

cd "$root"
if [ $dry_run -eq 1 ]; then
  # The next release: the project version's tag, as if it were made on HEAD now.
  version=$(sed -n 's/^project(aegis VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
  tag="v$version"
  echo "== release dry run: $tag on $(git rev-parse --short HEAD) (the tag is not made; nothing is published)"
else
  [[ "$tag" =~ ^v([0-9]+\.[0-9]+\.[0-9]+)$ ]] || die "the tag must be vX.Y.Z, not '${tag}'"
  version=${BASH_REMATCH[1]}
  git rev-parse -q --verify "refs/tags/$tag" >/dev/null || die "no tag $tag in this repository"
  [ "$(git rev-parse "$tag^{commit}")" = "$(git rev-parse HEAD)" ] || die "$tag is not HEAD: check out the tagged commit"
  [ -z "$(git status --porcelain)" ] || die "the working tree has changes: a release is built from the tagged commit only"
fi

# The documents users copy from must name this release.
problems=""
check() {  # check FILE PATTERN WHAT
  grep -qE "$2" "$1" || problems+="  $1: $3 (expected /$2/)"$'\n'
}
check README.md "^    rev: $tag\$" "the pre-commit rev is not $tag"
check ci/examples/github-actions.yml "^  AEGIS_VERSION: $version\$" "AEGIS_VERSION is not $version"
check ci/examples/gitlab-ci.yml "^  AEGIS_VERSION: \"$version\"\$" "AEGIS_VERSION is not $version"
check ci/examples/gitlab-ci.yml "/v$version/aegis_${version}_amd64.deb" "the package URL is not v$version's"
[ -z "$problems" ] || die "documents name another version than $tag:"$'\n'"$problems"

# Build with the tag's version (a given build directory is reconfigured to it, and reused).
if [ -z "$build" ]; then
  build="$root/build-release-$version"
  bash ci/build.sh "$build" -DCMAKE_BUILD_TYPE=Release -DAEGIS_TESTS=OFF -DAEGIS_RELEASE_VERSION="$version" >/dev/null
else
  cmake -S "$root" -B "$build" -DAEGIS_RELEASE_VERSION="$version" >/dev/null
  cmake --build "$build" --target aegis verify-and-fetch aegis_docs >/dev/null
fi
for prog in tools/aegis verifier/verify-and-fetch; do
  got=$("$build/$prog" --version)
  [ "$got" = "$version" ] || die "$prog --version says $got, the tag says $version"
done

dist="$root/dist"
rm -rf "$dist"
mkdir -p "$dist"
(cd "$build" && cpack -G DEB >/dev/null)
[ $dry_run -eq 0 ] || echo "  built with version $version: aegis and verify-and-fetch say so"
deb="aegis_${version}_amd64.deb"
[ -f "$build/$deb" ] || die "cpack did not write $deb"
[ "$(dpkg-deb --field "$build/$deb" Version)" = "$version" ] || die "$deb's Version is not $version"
cp "$build/$deb" "$dist/"

bash ci/image/build.sh "$build" "$build/image" | sed 's/^/  /'
image="verify-and-fetch_${version}.oci.tar"
cp "$build/image/verify-and-fetch.oci.tar" "$dist/$image"
label=$(skopeo inspect --config "oci-archive:$dist/$image" | python3 -c 'import json, sys; print(json.load(sys.stdin)["config"]["Labels"]["org.opencontainers.image.version"])')
[ "$label" = "$version" ] || die "the image says version $label, the tag says $version"
skopeo inspect --format '{{.Digest}}' "oci-archive:$dist/$image" >"$dist/verify-and-fetch_${version}.digest"

(cd "$dist" && sha256sum -- * >SHA256SUMS)
echo "release.sh: $tag ready in dist/:"
sed 's/^/  /' "$dist/SHA256SUMS"
echo "publish: gh release create $tag dist/* --title \"Aegis $version\" --verify-tag"
