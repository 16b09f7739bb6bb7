#!/usr/bin/env bash
# OpenSSF model signing, both directions, with the real `model_signing` CLI (1.1.x and 1.0.x):
# - `model_signing sign key` with each option it offers (default git-path ignoring,
#   --no-ignore-git-paths, --ignore-paths, --allow_symlinks): the archived tree is accepted by
#   verify-and-fetch and `aegis verify DIR`, exactly the signed files are placed, and every
#   tampering is refused (exit 5);
# - `aegis sign --oms` → `model_signing verify key` accepts, and refuses a tampered tree;
# - a model directory signed by model_signing, served by the Cloud Storage emulator
#   (fake-gcs-server) as KServe's samples are (gs://bucket/models/resnet): verify-and-fetch lists
#   it, fetches it and places exactly the signed files; an object added after signing is refused;
# - the same directory put into Azure Blob Storage (Azurite) by Microsoft's SDK
#   (azure-storage-blob): fetched with the SDK's connection string (Shared Key) and with the
#   container SAS the SDK makes, in AZURE_STORAGE_SAS_TOKEN and in the URI; refused when planted;
# - certificate mode: `model_signing sign certificate` with an openssl-made CA chain →
#   `--certificate-chain ROOT` accepts; a foreign CA refuses (5); no CA given refuses (7).
. "$(dirname "$0")/lib.sh"
ms_new=$(peer model-signing "$MODEL_SIGNING_NEW" model_signing)
ms_old_python=$(peer model-signing "$MODEL_SIGNING_OLD" python)
here=$(cd "$(dirname "$0")" && pwd)
# ms VERSION ARGS…: the real model_signing CLI of that version (1.0.x through the wrapper
# that only skips its network-bound Sigstore signer construction, see model_signing_1_0.py).
ms() {
  local v=$1; shift
  if [ "$v" = "$MODEL_SIGNING_NEW" ]; then "$ms_new" "$@"; else "$ms_old_python" "$here/model_signing_1_0.py" "$@"; fi
}
: "${VAF_BIN:?}"
cd "$work"

openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out key.pem
openssl pkey -in key.pem -pubout -out pub.pem 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out other.pem
openssl pkey -in other.pem -pubout -out other.pub 2>/dev/null

# make_model DIR: a small model repository with git metadata and scratch files.
make_model() {
  mkdir -p "$1/1" "$1/tokenizer" "$1/.git/refs" "$1/scratch"
  printf 'name: "resnet"\nplatform: "onnxruntime_onnx"\n' >"$1/config.pbtxt"
  head -c 65536 /dev/urandom >"$1/1/model.onnx"
  printf 'a\nb\n' >"$1/tokenizer/vocab.txt"
  echo "ref: refs/heads/main" >"$1/.git/HEAD"
  echo "*.tmp" >"$1/.gitignore"
  echo "notes" >"$1/extra.txt"
  echo "tmp" >"$1/scratch/cache.bin"
}

# vaf NAME DIR [VAF ARGS…]: archive DIR, run verify-and-fetch into $work/dest/NAME.
vaf() {
  local name=$1 dir=$2; shift 2
  tar -czf "$work/$name.tar.gz" -C "$dir" .
  rm -rf "$work/dest/$name"
  "$VAF_BIN" --termination-log "$work/$name.termination" "$@" "file://$work/$name.tar.gz" "$work/dest/$name"
}
placed() { (cd "$work/dest/$1" && find . -mindepth 1 ! -name .aegis-verified.json | sed 's|^\./||' | sort | tr '\n' ' '); }
expect_placed() {  # NAME WANT: exactly these entries were placed
  local got; got=$(placed "$1")
  if [ "$got" = "$2" ]; then pass "  … placed exactly: $2"; else fail "  … placed '$got', want '$2'"; fi
}
# signed BUNDLE: the statement's resources and their directories, as `placed` lists them.
signed() {
  python3 - "$1" <<'PY'
import base64, json, posixpath, sys
b = json.load(open(sys.argv[1]))
names = [r["name"] for r in json.loads(base64.b64decode(b["dsseEnvelope"]["payload"]))["predicate"]["resources"]]
out = set()
for n in names:
    while n:
        out.add(n)
        n = posixpath.dirname(n)
print(" ".join(sorted(out)) + " ")
PY
}
# expect_signed_placed NAME BUNDLE: exactly the signed files were placed, and no git path
# unless the signature covers it.
expect_signed_placed() { expect_placed "$1" "$(signed "$2")"; }

signed_files="1 1/model.onnx config.pbtxt tokenizer tokenizer/vocab.txt "  # a model without git paths or ignored files
for v in "$MODEL_SIGNING_NEW" "$MODEL_SIGNING_OLD"; do
  echo "== model_signing $v ($(ms "$v" --version))"

  # a) defaults: git paths ignored by the signer (1.1 records them in the statement).
  make_model "m-$v-a"
  rm -rf "m-$v-a/extra.txt" "m-$v-a/scratch"
  expect_ok "$v sign key (defaults)" ms "$v" sign key --private_key key.pem --signature "m-$v-a/model.sig" "m-$v-a"
  expect_ok "$v verify key accepts its own bundle" ms "$v" verify key --signature "m-$v-a/model.sig" --public_key pub.pem "m-$v-a"
  expect_ok "verify-and-fetch accepts ($v, defaults)" vaf "a-$v" "m-$v-a" --key pub.pem
  expect_signed_placed "a-$v" "m-$v-a/model.sig"
  expect_ok "aegis verify DIR accepts ($v, defaults)" "$AEGIS_BIN" verify "m-$v-a" --key pub.pem

  # b) --ignore-paths: a file and a directory. 1.1 signs the list; 1.0 does not, so the
  #    verifier is told what model_signing verify is told.
  make_model "m-$v-b"
  expect_ok "$v sign key --ignore-paths" ms "$v" sign key --private_key key.pem --signature "m-$v-b/model.sig" \
    --ignore-paths "m-$v-b/extra.txt" --ignore-paths "m-$v-b/scratch" "m-$v-b"
  if [ "$v" = "$MODEL_SIGNING_NEW" ]; then ignore=(); else ignore=(--ignore-paths extra.txt,scratch); fi
  expect_ok "verify-and-fetch accepts ($v, ignore paths)" vaf "b-$v" "m-$v-b" --key pub.pem "${ignore[@]}"
  expect_signed_placed "b-$v" "m-$v-b/model.sig"
  case " $(placed "b-$v") " in *" extra.txt "*|*" scratch"*) fail "  … an ignored path was placed";; esac
  expect_ok "aegis verify DIR accepts ($v, ignore paths)" "$AEGIS_BIN" verify "m-$v-b" --key pub.pem "${ignore[@]}"

  # c) --no-ignore-git-paths: git files are signed, hence verified and placed.
  make_model "m-$v-c"
  rm -rf "m-$v-c/extra.txt" "m-$v-c/scratch"
  expect_ok "$v sign key --no-ignore-git-paths" ms "$v" sign key --no-ignore-git-paths --private_key key.pem \
    --signature "m-$v-c/model.sig" "m-$v-c"
  expect_ok "verify-and-fetch accepts ($v, git paths signed)" vaf "c-$v" "m-$v-c" --key pub.pem
  expect_placed "c-$v" ".git .git/HEAD .gitignore $signed_files"  # .git/refs: an empty directory is never placed
  echo "changed" >"m-$v-c/.gitignore"
  expect_exit "verify-and-fetch refuses a changed signed git file ($v)" 5 vaf "c2-$v" "m-$v-c" --key pub.pem

  # d) --allow_symlinks (1.1 only; 1.0 has no such option): a link inside the model is
  #    verified as its target's content. Without the signed option a link is refused.
  make_model "m-$v-d"
  rm -rf "m-$v-d/extra.txt" "m-$v-d/scratch"
  ln -s config.pbtxt "m-$v-d/alias.pbtxt"
  if [ "$v" = "$MODEL_SIGNING_NEW" ]; then
    expect_ok "$v sign key --allow_symlinks" ms "$v" sign key --allow_symlinks --private_key key.pem \
      --signature "m-$v-d/model.sig" "m-$v-d"
    expect_ok "verify-and-fetch accepts ($v, symlinks allowed)" vaf "d-$v" "m-$v-d" --key pub.pem
    expect_placed "d-$v" "1 1/model.onnx alias.pbtxt config.pbtxt tokenizer tokenizer/vocab.txt "
    ln -sf ../../../etc/passwd "m-$v-d/alias.pbtxt"
    expect_exit "verify-and-fetch refuses a link leaving the model (archive rejected) ($v)" 6 vaf "d2-$v" "m-$v-d" --key pub.pem
  else
    mv "m-$v-d/alias.pbtxt" "$work/alias-$v"
    expect_ok "$v sign key (tree without links)" ms "$v" sign key --private_key key.pem --signature "m-$v-d/model.sig" "m-$v-d"
    mv "$work/alias-$v" "m-$v-d/alias.pbtxt"
    expect_exit "verify-and-fetch refuses a symlink the statement does not allow ($v)" 5 vaf "d-$v" "m-$v-d" --key pub.pem
  fi

  # Tampering with the defaults case: each must be refused by both.
  t="m-$v-a"
  tamper() {  # NAME SETUP…: copy the model, apply SETUP in it, expect refusal from both
    local name=$1; shift
    rm -rf "$work/t" && cp -a "$t" "$work/t"
    (cd "$work/t" && eval "$*") || fail "  … could not tamper: $*"
    expect_exit "verify-and-fetch refuses: $name ($v)" 5 vaf "t-$v" "$work/t" --key pub.pem
    if [ -d "$work/dest/t-$v" ] && [ -n "$(placed "t-$v")" ]; then fail "  … something was placed"; fi
    expect_exit "aegis verify refuses: $name ($v)" 5 "$AEGIS_BIN" verify "$work/t" --key pub.pem
  }
  tamper "a changed file" "echo x >> config.pbtxt"
  tamper "an added file" "echo evil > backdoor.py"
  tamper "a removed file" "rm tokenizer/vocab.txt"
  tamper "a renamed file" "mv 1/model.onnx 1/model2.onnx"
  tamper "a statement edited without re-signing" \
    "python3 -c \"import json,base64;b=json.load(open('model.sig'));p=json.loads(base64.b64decode(b['dsseEnvelope']['payload']));p['predicate']['resources'][0]['digest']='0'*64;b['dsseEnvelope']['payload']=base64.b64encode(json.dumps(p).encode()).decode();json.dump(b,open('model.sig','w'))\""
  expect_exit "verify-and-fetch refuses a bundle from another key ($v)" 5 vaf "k-$v" "$t" --key other.pub
done

echo "== the serializations model_signing's library exposes (hashing.Config), $MODEL_SIGNING_NEW"
# Its CLI always signs files + sha256; the Python API also offers shards (byte ranges) and the
# blake2 and blake3 hashes. Aegis verifies files/shards with sha256/blake2b and refuses blake3
# (no BLAKE3 in OpenSSL or Debian 12) with the reason.
make_model api
rm -rf api/.git api/.gitignore api/extra.txt api/scratch
head -c 25000 /dev/urandom >api/1/weights.bin
: >api/empty.txt
# ms_api sign|verify NAME: model_signing's library with the hashing config NAME. (Its CLI's
# `verify key` re-hashes with files + sha256 whatever the bundle says, so it refuses these.)
ms_api() {
  "$(dirname "$ms_new")/python" - "$work" "$@" <<'PY'
import pathlib, sys
import model_signing
work, action, name = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
H = model_signing.hashing.Config
config = {"shards-sha256": lambda: H().use_shard_serialization(hashing_algorithm="sha256", shard_size=1000),
          "shards-blake2": lambda: H().use_shard_serialization(hashing_algorithm="blake2", shard_size=4096),
          "files-blake2": lambda: H().use_file_serialization(hashing_algorithm="blake2"),
          "files-blake3": lambda: H().use_file_serialization(hashing_algorithm="blake3")}[name]()
if action == "sign":
    (model_signing.signing.Config().use_elliptic_key_signer(private_key=work / "key.pem")
     .set_hashing_config(config).sign(work / "api", work / f"{name}.sig"))
else:
    (model_signing.verifying.Config().use_elliptic_key_verifier(public_key=work / "pub.pem")
     .set_hashing_config(config).verify(work / "api", work / f"{name}.sig"))
PY
}
for s in shards-sha256 shards-blake2 files-blake2 files-blake3; do ms_api sign "$s" || fail "model_signing could not sign $s"; done
for s in shards-sha256 shards-blake2 files-blake2; do
  expect_ok "model_signing's library verifies its $s bundle" ms_api verify "$s"
  expect_ok "aegis verify accepts $s" "$AEGIS_BIN" verify api --signature "$s.sig" --key pub.pem
  expect_ok "verify-and-fetch accepts $s (detached bundle)" vaf "api-$s" api --key pub.pem --signature "$work/$s.sig"
  want="1 1/model.onnx 1/weights.bin config.pbtxt tokenizer tokenizer/vocab.txt "
  [ "$s" = files-blake2 ] && want="1 1/model.onnx 1/weights.bin config.pbtxt empty.txt tokenizer tokenizer/vocab.txt "
  expect_placed "api-$s" "$want"  # shards give an empty file no resource: it is not placed
done
cp -a api api-t && printf 'x' | dd of=api-t/1/weights.bin bs=1 seek=20000 conv=notrunc 2>/dev/null
for s in shards-sha256 shards-blake2 files-blake2; do
  expect_exit "verify-and-fetch refuses a changed shard ($s)" 5 vaf "api-t-$s" api-t --key pub.pem --signature "$work/$s.sig"
done
head -c 1000 /dev/urandom >>api-t/1/model.onnx
expect_exit "aegis verify refuses a file grown by a shard" 5 "$AEGIS_BIN" verify api-t --signature shards-sha256.sig --key pub.pem
expect_exit "verify-and-fetch refuses blake3 (unsupported) with the reason" 5 vaf api-b3 api --key pub.pem --signature "$work/files-blake3.sig"
expect_output "  … naming the serialization" "unsupported model_signing serialization.*blake3"

echo "== aegis sign --oms → model_signing verify key"
# 1.0.x signs and hashes git paths whatever --ignore-git-paths says (seen above: its bundles
# list .git/HEAD), so a tree with git metadata matches no 1.1-style signer there; it is given
# a tree without git paths. 1.1 gets the full tree.
make_model ours
rm -rf ours/scratch
expect_ok "aegis sign --oms --ignore-paths extra.txt" "$AEGIS_BIN" sign --oms ours --key key.pem --ignore-paths extra.txt
expect_ok "verify-and-fetch accepts aegis' bundle" vaf ours ours --key pub.pem
expect_placed ours "$signed_files"
expect_ok "model_signing $MODEL_SIGNING_NEW verify key accepts aegis' bundle" \
  ms "$MODEL_SIGNING_NEW" verify key --signature ours/model.sig --public_key pub.pem --ignore-paths ours/extra.txt ours
make_model plain
rm -rf plain/scratch plain/.git plain/.gitignore
expect_ok "aegis sign --oms (no git paths)" "$AEGIS_BIN" sign --oms plain --key key.pem --ignore-paths extra.txt
for v in "$MODEL_SIGNING_NEW" "$MODEL_SIGNING_OLD"; do
  expect_ok "model_signing $v verify key accepts aegis' bundle (no git paths)" \
    ms "$v" verify key --signature plain/model.sig --public_key pub.pem --ignore-paths plain/extra.txt plain
done
cp -a ours ours-tampered && echo x >>ours-tampered/config.pbtxt
expect_refused "model_signing verify key refuses the tampered tree" \
  ms "$MODEL_SIGNING_NEW" verify key --signature ours-tampered/model.sig --public_key pub.pem --ignore-paths ours-tampered/extra.txt ours-tampered
expect_refused "model_signing verify key refuses aegis' bundle with another key" \
  ms "$MODEL_SIGNING_NEW" verify key --signature ours/model.sig --public_key other.pub --ignore-paths ours/extra.txt ours

# A signed model directory in Cloud Storage, named as a KServe storageUri (no trailing slash).
echo "== a model directory in Cloud Storage"
gcs=$(peer fake-gcs-server "$FAKE_GCS_SERVER" fake-gcs-server)
mkdir -p "$work/gcs/models/resnet" "$work/gcs/models/planted"
make_model gm
rm -rf gm/extra.txt gm/scratch
expect_ok "$MODEL_SIGNING_NEW sign key (a model directory for the bucket)" ms "$MODEL_SIGNING_NEW" sign key --private_key key.pem \
  --signature gm/model.sig gm
cp -a gm/. "$work/gcs/models/resnet/"
cp -a gm/. "$work/gcs/models/planted/" && echo "import os" >"$work/gcs/models/planted/extra.py"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
exec 3< <(exec "$gcs" -backend memory -scheme http -host 127.0.0.1 -port "$port" -data "$work/gcs" 2>&1)
gcs_pid=$!
while IFS= read -r line <&3; do case $line in *"server started"*) break ;; esac; done
cat <&3 >/dev/null &
gs_vaf() {  # NAME URI
  rm -rf "$work/dest/$1"
  STORAGE_EMULATOR_HOST="127.0.0.1:$port" NO_GCE_CHECK=true "$VAF_BIN" --termination-log "$work/$1.termination" --key pub.pem "$2" "$work/dest/$1"
}
expect_ok "verify-and-fetch gs://models/resnet (a directory of the bucket)" gs_vaf gs-resnet gs://models/resnet
expect_signed_placed gs-resnet gm/model.sig
expect_exit "verify-and-fetch refuses the directory with an object added after signing" 5 gs_vaf gs-planted gs://models/planted/
expect_output "  … naming it" "extra.py"
kill "$gcs_pid" 2>/dev/null || true

# The same signed directory in Azure Blob Storage (Azurite), put there by Microsoft's SDK,
# named as KServe names it (https://ACCOUNT.blob.core.windows.net/CONTAINER/PATH).
echo "== a model directory in Azure Blob Storage"
az_python=$(peer azure-storage-blob "$AZURE_STORAGE_BLOB" python)
azurite="$AEGIS_SOURCE_DIR/tests/azurite/node_modules/.bin/azurite-blob"
[ -x "$azurite" ] || { echo "FAIL: Azurite is not installed (npm ci --prefix tests/azurite)" >&2; exit 1; }
exec 4< <(cd "$work" && exec "$azurite" --blobHost 127.0.0.1 --blobPort 0 --inMemoryPersistence --disableTelemetry --silent 2>&1)
kill_on_exit $!
az_endpoint=""
while IFS= read -r line <&4; do case $line in *"successfully listens on "*) az_endpoint="${line##* }/devstoreaccount1"; break ;; esac; done
cat <&4 >/dev/null &
[ -n "$az_endpoint" ] || { echo "FAIL: Azurite did not start" >&2; exit 1; }
azure_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$azure_key;BlobEndpoint=$az_endpoint;"
cp -a gm planted-az && echo "import os" >planted-az/extra.py
sas=$("$az_python" "$here/azure_put.py" models resnet/v1 gm) || { echo "FAIL: the Azure SDK could not put the model" >&2; exit 1; }
"$az_python" "$here/azure_put.py" models planted/v1 planted-az >/dev/null || { echo "FAIL: the Azure SDK could not put the model" >&2; exit 1; }
az_uri=https://devstoreaccount1.blob.core.windows.net/models
az_vaf() {  # NAME URI [ENV…]: no IMDS (a closed port)
  local name=$1 uri=$2; shift 2
  rm -rf "$work/dest/$name"
  env AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:1 "$@" "$VAF_BIN" --allow-insecure-http --termination-log "$work/$name.termination" \
    --key pub.pem "$uri" "$work/dest/$name"
}
expect_ok "verify-and-fetch $az_uri/resnet/v1 (Shared Key from the SDK's connection string)" az_vaf az-key "$az_uri/resnet/v1"
expect_signed_placed az-key gm/model.sig
endpoint_only="AccountName=devstoreaccount1;BlobEndpoint=$az_endpoint"
expect_ok "verify-and-fetch with the SDK's container SAS (AZURE_STORAGE_SAS_TOKEN)" \
  az_vaf az-sas "$az_uri/resnet/v1/" AZURE_STORAGE_CONNECTION_STRING="$endpoint_only" AZURE_STORAGE_SAS_TOKEN="$sas"
expect_signed_placed az-sas gm/model.sig
expect_ok "verify-and-fetch with the SDK's container SAS in the URI" \
  az_vaf az-sas-uri "$az_uri/resnet/v1?$sas" AZURE_STORAGE_CONNECTION_STRING="$endpoint_only"
sas_sig=${sas##*sig=}
expect_output_lacks "  … never showing the SAS signature" "${sas_sig:0:12}"
expect_exit "verify-and-fetch refuses the Azure directory with an object added after signing" 5 az_vaf az-planted "$az_uri/planted/v1/"
expect_output "  … naming it" "extra.py"
expect_exit "without credentials the private container refuses (exit 4)" 4 \
  az_vaf az-anon "$az_uri/resnet/v1/" AZURE_STORAGE_CONNECTION_STRING="$endpoint_only"
unset AZURE_STORAGE_CONNECTION_STRING

echo "== certificate mode"
cat >ca.cnf <<'EOF'
[ca] 
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = serverAuth
EOF
mkca() {  # NAME: a self-signed root
  openssl ecparam -name prime256v1 -genkey -noout -out "$1.key" 2>/dev/null
  openssl req -new -x509 -key "$1.key" -subj "/CN=$1" -days 30 -out "$1.pem" -extensions ca -config ca.cnf 2>/dev/null
}
issue() {  # NAME ISSUER EXT: a certificate for NAME signed by ISSUER
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$1" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 10 -out "$1.pem" \
    -extfile ca.cnf -extensions "$3" 2>/dev/null
}
mkca root && issue intermediate root ca && issue signer intermediate leaf && issue webserver intermediate server
mkca foreign
for v in "$MODEL_SIGNING_NEW" "$MODEL_SIGNING_OLD"; do
  make_model "c-$v"
  rm -rf "c-$v/extra.txt" "c-$v/scratch"
  expect_ok "$v sign certificate (leaf + intermediate)" ms "$v" sign certificate --private_key signer.key \
    --signing_certificate signer.pem --certificate_chain intermediate.pem --signature "c-$v/model.sig" "c-$v"
  expect_ok "$v verify certificate accepts" ms "$v" verify certificate --signature "c-$v/model.sig" \
    --certificate_chain root.pem "c-$v"
  expect_ok "verify-and-fetch --certificate-chain root accepts ($v)" vaf "cert-$v" "c-$v" --key "" --certificate-chain root.pem
  expect_signed_placed "cert-$v" "c-$v/model.sig"
  expect_ok "aegis verify DIR --certificate-chain accepts ($v)" "$AEGIS_BIN" verify "c-$v" --certificate-chain root.pem
  # Pinned trust (docs/VERIFIER.md): the platform pins the root CA by the SHA-256 of its DER.
  root_fp=sha256:$(openssl x509 -in root.pem -outform DER | sha256sum | cut -d' ' -f1)
  expect_ok "verify-and-fetch with the root CA pinned accepts ($v)" env AEGIS_TRUST_POLICY="{\"certificateAuthorities\":[\"$root_fp\"]}" \
    bash -c "$(declare -f vaf); work=$work VAF_BIN=$VAF_BIN vaf cert-pin-$v c-$v --key '' --certificate-chain root.pem"
  expect_exit "verify-and-fetch with another CA pinned refuses the chain file ($v)" 7 env \
    AEGIS_TRUST_POLICY="{\"certificateAuthorities\":[\"sha256:$(printf '0%.0s' $(seq 64))\"]}" \
    bash -c "$(declare -f vaf); work=$work VAF_BIN=$VAF_BIN vaf cert-nopin-$v c-$v --key '' --certificate-chain root.pem"
  expect_output "  … naming the CA it found" "no CA certificate here is pinned by the trust policy: found $root_fp"
  expect_exit "verify-and-fetch refuses a foreign CA ($v)" 5 vaf "certf-$v" "c-$v" --key "" --certificate-chain foreign.pem
  expect_output "  … saying the chain does not verify" "does not chain to a CA"
  expect_exit "verify-and-fetch without CA certificates: no trust (7) ($v)" 7 vaf "certn-$v" "c-$v" --key pub.pem
  echo x >>"c-$v/config.pbtxt"
  expect_exit "verify-and-fetch refuses a tampered certificate-signed tree ($v)" 5 vaf "certt-$v" "c-$v" --key "" --certificate-chain root.pem
done
make_model c-server
rm -rf c-server/extra.txt c-server/scratch
expect_ok "sign certificate with a TLS server certificate" ms "$MODEL_SIGNING_NEW" sign certificate --private_key webserver.key \
  --signing_certificate webserver.pem --certificate_chain intermediate.pem --signature c-server/model.sig c-server
expect_exit "verify-and-fetch refuses a leaf that is not for signing" 5 vaf cert-server c-server --key "" --certificate-chain root.pem
expect_output "  … saying why" "not for signing"
finish
