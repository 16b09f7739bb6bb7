#!/usr/bin/env bash
# `aegis` (the pre-commit path) loads no network, archive or crypto library, hands every other
# subcommand to aegis-full beside it, and says clearly when aegis-full is missing.
#   fast_cli_test.sh AEGIS_BIN AEGIS_FULL_BIN STATIC_ARCHIVES(ON|OFF)
set -euo pipefail
aegis=$1 full=$2 static=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=../support/lib.sh
. "$(dirname "$0")/../support/lib.sh"

needed=$(readelf -d "$aegis" | awk '/NEEDED/ {gsub(/[][]/, "", $5); print $5}' | tr '\n' ' ')
echo "aegis needs: $needed"
for lib in libcurl libssl libcrypto libarchive libsodium libz; do
  case " $needed" in *" $lib."*) die "aegis links $lib";; esac
done
if [ "$static" = ON ]; then
  for lib in libyaml libre2; do
    case " $needed" in *" $lib"*) die "aegis links $lib dynamically (the static build links its archive)";; esac
  done
fi
full_needed=$(readelf -d "$full" | awk '/NEEDED/ {gsub(/[][]/, "", $5); print $5}' | tr '\n' ' ')
case " $full_needed" in *" libcurl."*) ;; *) die "aegis-full does not link libcurl: is it the whole CLI? ($full_needed)";; esac

# Handed over: the top-level help lists every subcommand; sign/verify run.
help=$("$aegis" --help)
for sub in init lint render policy sign verify pack canary; do
  grep -qE "^  $sub " <<<"$help" || die "aegis --help does not list $sub"
done
"$aegis" sign --help | grep -q -- '--key' || die "aegis sign --help is not sign's help"
[ "$("$aegis" --version)" = "$("$full" --version)" ] || die "the two executables disagree on the version"
echo "hello" >"$work/a.txt"
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/key.pem"
openssl pkey -in "$work/key.pem" -pubout -out "$work/pub.pem" 2>/dev/null
"$aegis" sign --key "$work/key.pem" "$work/a.txt" >/dev/null 2>&1 || die "aegis sign (through aegis-full) failed"
[ -s "$work/a.txt.sigstore.json" ] || die "aegis sign wrote no bundle"
set +e
"$aegis" verify --key "$work/pub.pem" "$work/a.txt" >/dev/null 2>&1; code=$?
set -e
[ $code -eq 0 ] || die "aegis verify (through aegis-full) exited $code"

# Alone (no aegis-full beside it): lint still works, sign is a clear usage error.
cp "$aegis" "$work/aegis"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' >"$work/cm.yaml"
"$work/aegis" lint -q "$work/cm.yaml" || die "a lone aegis cannot lint"
set +e
err=$("$work/aegis" sign --key "$work/key.pem" "$work/a.txt" 2>&1); code=$?
set -e
[ $code -eq 2 ] || die "a lone aegis sign exited $code, not 2"
grep -q "aegis-full, which is not installed beside aegis (looked for $work/aegis-full" <<<"$err" || die "unclear message: $err"
echo "fast cli: ok ($needed)"
