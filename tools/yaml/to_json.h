// Converts a YAML node to JSON the way Kubernetes' YAML decoder does: scalars resolved
// (null, bool, int, float, string), merge keys applied, the last duplicate key winning.
#pragma once

#include <nlohmann/json.hpp>

#include "yaml/node.h"

namespace aegis::yaml {

nlohmann::json ToJson(const Node* node);

}  // namespace aegis::yaml
