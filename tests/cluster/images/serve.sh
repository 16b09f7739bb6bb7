#!/bin/sh
# The canaries' model server (image localhost/aegis/model-server): reads the model the
# verifier placed and serves what it read over HTTP, Triton-style, with busybox httpd:
#   GET /v2/health/ready   200 once every file of the model was read
#   GET /v2/models/index   "sha256  path" of every file read
# It takes the model directory as tritonserver does (--model-repository=DIR; default
# /models) and ignores its other arguments. No model (an empty or missing directory) is an
# error: the container exits 1 and the pod never becomes Ready.
set -eu
repo=/models
for arg in "$@"; do
  case "$arg" in --model-repository=*) repo=${arg#--model-repository=} ;; esac
done
www=/tmp/www
mkdir -p "$www/v2/health" "$www/v2/models"
find "$repo" -type f | sort | while read -r f; do sha256sum "$f"; done >"$www/v2/models/index"
if [ ! -s "$www/v2/models/index" ]; then
  echo "model-server: no model in $repo" >&2
  exit 1
fi
echo "model-server: serving $(wc -l <"$www/v2/models/index") files of $repo"
echo ready >"$www/v2/health/ready"
# PID 1 of its container: a signal without a handler is ignored there, so the shell stays to
# stop the server on SIGTERM (the pod is deleted at once instead of after its grace period).
httpd -f -p "${PORT:-8000}" -h "$www" &
server=$!
trap 'kill "$server"; exit 0' TERM INT
wait "$server"
