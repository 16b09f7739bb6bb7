#!/usr/bin/env bash
# Generates the man pages and the bash/zsh completions from the programs' own --help, so
# they never drift from the CLI: OUT/man/man1/*.1, OUT/completions/{aegis,verify-and-fetch}
# (bash) and OUT/completions/_aegis (zsh).
#   ci/gen_docs.sh AEGIS_BIN VERIFY_AND_FETCH_BIN OUT_DIR VERSION
set -euo pipefail
aegis=$1
vaf=$2
out=$3
version=$4
mkdir -p "$out/man/man1" "$out/completions"

subcommands() { "$aegis" "$@" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}'; }
# A subcommand's help followed by each of its own subcommands' (aegis policy: export, check).
full_help() {
  "$aegis" "$1" --help
  for nested in $(subcommands "$1"); do
    printf '\naegis %s %s\n' "$1" "$nested"
    "$aegis" "$1" "$nested" --help
  done
}
# Every --long and -s flag a help text lists.
flags() { grep -oE '^  +(-[A-Za-z0-9],)?--[a-z0-9-]+' | tr ',' '\n' | tr -d ' ' | sort -u | tr '\n' ' '; }
first_line() { head -1 | sed 's/^[^:]*: *//'; }

# man PAGE NAME SUMMARY: a page whose body is the help text, verbatim.
man_page() {
  local page=$1 name=$2 summary=$3 help=$4
  {
    printf '.TH %s 1 "" "aegis %s" "User Commands"\n' "$(tr '[:lower:]' '[:upper:]' <<<"$page")" "$version"
    printf '.SH NAME\n%s \\- %s\n' "$name" "$(sed 's/\\/\\e/g; s/-/\\-/g' <<<"$summary")"
    printf '.SH DESCRIPTION\n.nf\n'
    sed 's/\\/\\e/g; s/^\([.'"'"']\)/\\\&\1/' <<<"$help"
    printf '.fi\n.SH SEE ALSO\naegis(1), verify\\-and\\-fetch(1)\n'
  } >"$out/man/man1/$page.1"
}

man_page aegis aegis "keeps unsigned or tampered ML models out of Kubernetes model servers" "$("$aegis" --help)"
for sub in $(subcommands); do
  help=$(full_help "$sub")
  man_page "aegis-$sub" "aegis $sub" "$("$aegis" --help | awk -v s="$sub" '$1 == s {$1 = ""; sub(/^ +/, ""); print}')" "$help"
done
man_page verify-and-fetch verify-and-fetch "$("$vaf" --help | first_line)" "$("$vaf" --help)"

# bash
{
  echo "# bash completion for aegis (generated from aegis --help by ci/gen_docs.sh)"
  echo "_aegis() {"
  echo "  local cur=\${COMP_WORDS[COMP_CWORD]} opts"
  echo "  if [ \"\$COMP_CWORD\" -eq 1 ]; then"
  echo "    COMPREPLY=(\$(compgen -W \"$(subcommands | tr '\n' ' ')--help --version\" -- \"\$cur\"))"
  echo "    return"
  echo "  fi"
  echo "  case \${COMP_WORDS[1]} in"
  for sub in $(subcommands); do
    echo "    $sub) opts=\"$(subcommands "$sub" | tr '\n' ' ')$(full_help "$sub" | flags)\" ;;"
  done
  echo "    *) opts=\"\" ;;"
  echo "  esac"
  echo "  if [[ \$cur == -* ]]; then COMPREPLY=(\$(compgen -W \"\$opts\" -- \"\$cur\")); else COMPREPLY=(\$(compgen -f -- \"\$cur\")); fi"
  echo "}"
  echo "complete -o filenames -F _aegis aegis"
} >"$out/completions/aegis"
{
  echo "# bash completion for verify-and-fetch (generated from --help by ci/gen_docs.sh)"
  echo "_verify_and_fetch() {"
  echo "  local cur=\${COMP_WORDS[COMP_CWORD]}"
  echo "  if [[ \$cur == -* ]]; then COMPREPLY=(\$(compgen -W \"$("$vaf" --help | flags)\" -- \"\$cur\")); else COMPREPLY=(\$(compgen -f -- \"\$cur\")); fi"
  echo "}"
  echo "complete -o filenames -F _verify_and_fetch verify-and-fetch"
} >"$out/completions/verify-and-fetch"

# zsh
{
  echo "#compdef aegis verify-and-fetch"
  echo "# zsh completion (generated from --help by ci/gen_docs.sh)"
  echo "_aegis() {"
  echo "  if [[ \$service == verify-and-fetch ]]; then"
  echo "    compadd -- $("$vaf" --help | flags); _files; return"
  echo "  fi"
  echo "  if (( CURRENT == 2 )); then"
  echo "    local -a cmds; cmds=("
  for sub in $(subcommands); do
    echo "      '$sub:$("$aegis" --help | awk -v s="$sub" '$1 == s {$1 = ""; sub(/^ +/, ""); gsub(/'"'"'/, ""); gsub(/:/, " -"); print}')'"
  done
  echo "    ); _describe 'command' cmds; return"
  echo "  fi"
  echo "  case \$words[2] in"
  for sub in $(subcommands); do
    echo "    $sub) compadd -- $(subcommands "$sub" | tr '\n' ' ')$(full_help "$sub" | flags) ;;"
  done
  echo "  esac"
  echo "  _files"
  echo "}"
  echo "_aegis \"\$@\""
} >"$out/completions/_aegis"
