#include "inputs/policy_files.h"

#include "util/file_io.h"
#include "policy/policy_error.h"

namespace aegis {

Expected<LoadedConstraints> LoadConstraints(const std::string& path) {
  auto inputs = ExpandInputs({path});
  if (!inputs.errors.empty()) return inputs.errors.front();
  LoadedConstraints all;
  for (const auto& file : inputs.files) {
    auto text = ReadInput(file);
    if (!text) return text.error();
    auto loaded = ParseConstraints(file, *text);
    if (!loaded) return loaded.error();
    for (auto& c : loaded->constraints) all.constraints.push_back(std::move(c));
    for (auto& w : loaded->warnings) all.warnings.push_back(std::move(w));
  }
  if (all.constraints.empty()) {
    return Error{PolicyError::kInvalid, path, {}, "no AegisSignedPod constraint (constraints.gatekeeper.sh) found in the policy"};
  }
  return all;
}

PolicyCheckResult CheckPolicyFiles(const std::vector<std::string>& paths) {
  auto inputs = ExpandInputs(paths);
  std::vector<PolicyText> texts;
  std::vector<Error> errors = inputs.errors;
  for (const auto& file : inputs.files) {
    auto text = ReadInput(file);
    if (!text) {
      errors.push_back(text.error());
      continue;
    }
    texts.push_back({file, std::move(*text)});
  }
  PolicyCheckResult r = CheckPolicyTexts(texts, errors);
  r.files = inputs.files.size();
  return r;
}

}  // namespace aegis
