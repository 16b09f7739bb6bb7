#!/usr/bin/env bash
# The C++ lines a change touches, in .clang-format's style: each changed line range is given to
# clang-format (--lines), so lines nobody changed are left as they are and old code is
# reformatted only when it is edited. Files moved or renamed count by their edited lines only
# (git diff -M), not as wholly new. Prints the diff that would fix them and exits 1 if any.
#
#   bash ci/format.sh [--fix] [BASE]   BASE: the commit to compare the working tree with (default
#                                      HEAD~1: the last commit; HEAD checks what is not committed
#                                      yet); --fix formats those lines in place instead
set -euo pipefail
cd "$(dirname "$0")/.."
fix=false
if [ "${1:-}" = --fix ]; then fix=true; shift; fi
base=${1:-HEAD~1}
git rev-parse -q --verify "$base^{commit}" >/dev/null || { echo "ci/format.sh: no commit $base: nothing to compare with"; exit 0; }
# "FILE FIRST LAST" for every added or changed range on the new side.
ranges=$(git diff -M -U0 --no-color --diff-filter=AMR "$base" -- '*.h' '*.cc' | awk '
  /^\+\+\+ b\// { file = substr($0, 7) }
  /^@@/ { split($3, a, ","); first = substr(a[1], 2); n = (a[2] == "" ? 1 : a[2]); if (n > 0) print file, first, first + n - 1 }')
# Untracked sources are new: every line of them.
while IFS= read -r f; do
  [ -n "$f" ] && ranges+=$'\n'"$f 1 $(wc -l <"$f")"
done < <(git ls-files --others --exclude-standard -- '*.h' '*.cc')
status=0
checked=0
for file in $(awk 'NF == 3 { print $1 }' <<<"$ranges" | sort -u); do
  args=()
  while read -r f first last; do [ "$f" = "$file" ] && args+=("--lines=$first:$last"); done <<<"$ranges"
  checked=$((checked + 1))
  if $fix; then
    clang-format -i "${args[@]}" "$file"
  elif ! out=$(clang-format "${args[@]}" "$file" | diff -u --label "a/$file" --label "b/$file" "$file" -); then
    echo "$out"
    status=1
  fi
done
if [ "$status" = 0 ]; then
  echo "ci/format.sh: the changed lines of $checked files since $(git rev-parse --short "$base") follow .clang-format"
else
  echo "ci/format.sh: changed lines above do not follow .clang-format (bash ci/format.sh --fix $base fixes them)"
fi
exit "$status"
