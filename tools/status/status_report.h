// `aegis status` output: a table as kubectl prints one, JSON (a list, or one object per line
// with --watch), and the Prometheus text exposition format (version 0.0.4).
#pragma once

#include <string>
#include <vector>

#include "status/served_model.h"

namespace aegis::status {

// Columns NAMESPACE (when `all_namespaces`), POD, WORKLOAD, COMPONENT, STATE, MODEL, DIGEST,
// SIGNER, VERIFIED AT, REASON; digests and fingerprints shortened to 12 hex digits, a reason
// to 100 characters. `header`: the first line names the columns.
std::string TableText(const std::vector<ServedModel>& models, bool all_namespaces, bool header = true);

// {"apiVersion": "aegis.dev/v1", "kind": "ModelStatusList", "items": [...]}, indented.
std::string JsonList(const std::vector<ServedModel>& models, const std::vector<std::string>& warnings);
// One item in one line (keys sorted): what --watch -o json prints per change.
std::string JsonItem(const ServedModel& model);

// aegis_model_verified{namespace, pod, workload, component, model, digest, signer, state} 1 or 0;
// aegis_model_verified_timestamp_seconds for the verified; aegis_model_verifier_exit_code for
// the failed.
std::string PrometheusText(const std::vector<ServedModel>& models);

}  // namespace aegis::status
