#!/usr/bin/env bash
# The test PKI of every TLS server in the tests, one recipe for C++ (MakeTestServerCertificate,
# tests/support/test_support.h) and shell (interop/lib.sh's test_server_certificate): in DIR a
# CA (ca.pem, ca.key, CN CA_NAME) and a certificate it issued for 127.0.0.1 (server.pem,
# server.key, subject CN SERVER_CN); with CLIENT_CN also a client certificate (client.pem,
# client.key). P-256 keys, valid two days, made by the openssl CLI.
#
#   test_ca.sh DIR CA_NAME [SERVER_CN [CLIENT_CN]]
set -euo pipefail
dir=$1 ca=$2 server_cn=${3:-127.0.0.1} client_cn=${4:-}
cd "$dir"
key() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "$@" 2>/dev/null; }
key -x509 -keyout ca.key -out ca.pem -days 2 -subj "/CN=$ca"
key -keyout server.key -out server.csr -subj "/CN=$server_cn"
printf 'subjectAltName=IP:127.0.0.1\n' >san
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san 2>/dev/null
if [ -n "$client_cn" ]; then
  key -keyout client.key -out client.csr -subj "/CN=$client_cn"
  openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 2>/dev/null
fi
