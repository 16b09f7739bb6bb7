// The file edge of the policy layer: reads policy files (files, directories, "-") and hands
// their text to the policy code, which itself never touches the filesystem.
#pragma once

#include <string>
#include <vector>

#include "policy/constraint.h"
#include "policy/policy_check.h"
#include "util/expected.h"

namespace aegis {

// --policy FILE|DIR: every AegisSignedPod constraint in every manifest file; at least one.
Expected<LoadedConstraints> LoadConstraints(const std::string& path);

// `aegis policy check PATH…`: reads the files, then CheckPolicyTexts.
PolicyCheckResult CheckPolicyFiles(const std::vector<std::string>& paths);

}  // namespace aegis
