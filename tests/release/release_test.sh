#!/usr/bin/env bash
# The release recipe's refusals, each in a throwaway clone (they all stop before building):
# a tag that is not vX.Y.Z, a missing tag, a tag that is not HEAD, a dirty tree, documents
# naming another version; and the tag's version reaching the build (CMake configure only:
# the package version and the programs' compile definition). The recipe's whole run is
# `ci/release.sh --dry-run`, which ci/test.sh runs.
source "$(dirname "$0")/../interop/lib.sh"  # $work, pass/fail/expect_*, finish
git clone -q "$AEGIS_SOURCE_DIR" "$work/repo" || { echo "FAIL cannot clone $AEGIS_SOURCE_DIR"; exit 1; }
cd "$work/repo"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@invalid
version=$(sed -n 's/^project(aegis VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

expect_exit "a tag that is not vX.Y.Z is refused" 1 bash ci/release.sh "v$version-beta"
expect_output "  … saying so" "the tag must be vX.Y.Z"
expect_exit "a tag that does not exist is refused" 1 bash ci/release.sh "v$version"
expect_output "  … saying so" "no tag v$version in this repository"
git commit -q --allow-empty -m "after the tag"
git tag "v$version" HEAD~1
expect_exit "a tag that is not HEAD is refused" 1 bash ci/release.sh "v$version"
expect_output "  … saying so" "v$version is not HEAD"
git tag -d "v$version" >/dev/null && git tag "v$version"
echo x >>README.md
expect_exit "a dirty tree is refused" 1 bash ci/release.sh "v$version"
expect_output "  … saying so" "the working tree has changes"
git checkout -q README.md
next="9.8.7"
git tag "v$next"
expect_exit "documents naming another version are refused" 1 bash ci/release.sh "v$next"
expect_output "  … naming the pre-commit rev" "README.md: the pre-commit rev is not v$next"
expect_output "  … and the CI examples" "ci/examples/gitlab-ci.yml: the package URL is not v$next's"

expect_ok "the tag's version reaches the build (cmake -DAEGIS_RELEASE_VERSION=$next)" \
  cmake -S . -B "$work/b" -G Ninja -DAEGIS_TESTS=OFF -DAEGIS_RELEASE_VERSION="$next"
grep -q "CPACK_PACKAGE_VERSION \"$next\"" "$work/b/CPackConfig.cmake" && pass "  … the package version is $next" ||
  fail "  … the package version is not $next"
grep -qE "AEGIS_VERSION=[^ ]*$next" "$work/b/compile_commands.json" && pass "  … the programs are compiled with $next" ||
  fail "  … the programs are not compiled with $next"
expect_exit "a version that is not X.Y.Z is refused by cmake" 1 cmake -S . -B "$work/b2" -G Ninja -DAEGIS_TESTS=OFF -DAEGIS_RELEASE_VERSION=1.2
expect_output "  … saying so" "expected X.Y.Z"
finish
