#!/usr/bin/env bash
# Rendered manifests are valid Kubernetes: every core-kind object `aegis render` and
# `--template` produce validates against the real OpenAPI schemas (kubernetes-validate,
# strict) of the newest and the oldest Kubernetes minor it ships.
. "$(dirname "$0")/lib.sh"
python=$(peer kubernetes-validate "$KUBERNETES_VALIDATE" python)
expect_ok "render output validates against Kubernetes $KUBE_SCHEMA_OLD and $KUBE_SCHEMA_NEW" \
  "$python" "$AEGIS_SOURCE_DIR/tests/interop/kube_schema.py" "$AEGIS_BIN" "$AEGIS_SOURCE_DIR" "$KUBE_SCHEMA_OLD" "$KUBE_SCHEMA_NEW"
tail -1 "$work/out" | sed 's/^/     /'
finish
