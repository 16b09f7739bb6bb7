#!/usr/bin/env bash
# Keyless (Sigstore) verification agrees with the real peers, offline, on the real vectors in
# tests/testdata/sigstore (cases.tsv): cosign verify-blob (v2 and v3, --trusted-root and the
# identity policy) and `aegis verify` give the same verdict as the case expects, for every
# case with a file artifact; the keyless model-signing bundle verifies with model_signing
# verify sigstore (a client trust config made of the same trusted root) and with aegis, and a
# tampered model or another identity is refused by both.
source "$(dirname "$0")/lib.sh"
cosign_v2=$(peer cosign "$COSIGN_V2" cosign)
cosign_v3=$(peer cosign "$COSIGN_V3" cosign)
ms=$(peer model-signing "$MODEL_SIGNING_NEW" model_signing)
data="$AEGIS_SOURCE_DIR/tests/testdata/sigstore"
cd "$data"

verdict() { if "$@" >"$work/v.out" 2>&1; then echo ok; else echo fail; fi; }
while IFS=$'\t' read -r name bundle artifact root identity issuer expect _; do
  [ "$name" = case ] && continue
  [ -d "$artifact" ] && continue  # the model directory: below
  policy=(--trusted-root "$root" --certificate-identity "$identity" --certificate-oidc-issuer "$issuer")
  for c in "$cosign_v2" "$cosign_v3"; do
    v=$(verdict "$c" verify-blob --bundle "$bundle" "${policy[@]}" "$artifact")
    cv=$(basename "$(dirname "$(dirname "$c")")")
    if [ "$name" = staging-rekor2 ]; then
      # Rekor v2: its time is only in an RFC 3161 timestamp, which aegis does not check yet
      # (nor does cosign v2); cosign v3 does.
      [ "$c" = "$cosign_v2" ] && { pass "$cv on $name: $v (not asserted: Rekor v2 is newer than cosign v2)"; continue; }
      [ "$v" = ok ] && pass "$cv accepts $name (Rekor v2; aegis refuses it until RFC 3161 is supported)" || fail "$cv refuses $name"
      continue
    fi
    [ "$v" = "$expect" ] && pass "$cv: $name $v" || { fail "$cv: $name $v, expected $expect"; sed 's/^/     | /' "$work/v.out" | tail -3; }
  done
  a=$(verdict "$AEGIS_BIN" verify "$artifact" --signature "$bundle" "${policy[@]}")
  want=$expect
  [ "$name" = staging-rekor2 ] && want=fail
  [ "$a" = "$want" ] && pass "aegis verify: $name $a" || { fail "aegis verify: $name $a, expected $want"; sed 's/^/     | /' "$work/v.out" | tail -3; }
done <cases.tsv

# model_signing: its client trust config holds the same trusted root (no signing services).
python3 - roots/prod.json "$work/trust_config.json" <<'PY'
import json, sys
json.dump({"mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
           "trustedRoot": json.load(open(sys.argv[1])),
           "signingConfig": {"mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json", "caUrls": [], "oidcUrls": [],
                             "rekorTlogUrls": [], "tsaUrls": [], "rekorTlogConfig": {"selector": "ANY"},
                             "tsaConfig": {"selector": "ANY"}}}, open(sys.argv[2], "w"))
PY
cp -r prod-model/v1.0.1-sigstore "$work/model"
ms_verify() {  # DIR IDENTITY
  "$ms" verify sigstore --signature "$1/model.sig" --ignore-paths "$1/ignore-me" --trust_config "$work/trust_config.json" \
    --identity "$2" --identity_provider https://sigstore.verify.ibm.com/oauth2 "$1"
}
aegis_verify() {  # DIR IDENTITY
  "$AEGIS_BIN" verify "$1" --ignore-paths ignore-me --trusted-root roots/prod.json --certificate-identity "$2" \
    --certificate-oidc-issuer https://sigstore.verify.ibm.com/oauth2
}
expect_ok "model_signing verify sigstore accepts the keyless model" ms_verify "$work/model" stefanb@us.ibm.com
expect_ok "aegis verify accepts it" aegis_verify "$work/model" stefanb@us.ibm.com
expect_refused "model_signing refuses another identity" ms_verify "$work/model" someone@example.com
expect_exit "aegis refuses another identity" 5 aegis_verify "$work/model" someone@example.com
echo tampered >>"$work/model/signme-1"
expect_refused "model_signing refuses the model with a changed file" ms_verify "$work/model" stefanb@us.ibm.com
expect_exit "aegis refuses it" 5 aegis_verify "$work/model" stefanb@us.ibm.com
finish
