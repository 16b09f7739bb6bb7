#include "canary/coverage.h"

#include <fmt/format.h>

#include "manifest/object.h"
#include "util/json_access.h"
#include "yaml/reader.h"

namespace aegis::canary {

std::optional<std::string> CoverageProblem(const std::vector<Constraint>& constraints, const nlohmann::json& pod,
                                           const Labels& namespace_labels) {
  std::string ns = JsonStringOr(pod, {"metadata", "namespace"});
  auto docs = yaml::ReadAll("<canary>", JsonDump(pod));
  if (!docs || docs->empty()) return std::nullopt;  // the pod was rendered by us: cannot happen
  auto objects = ObjectsOf(docs->front().root(), ns).objects;
  if (objects.empty()) return std::nullopt;
  const ObjectRef& obj = objects.front();
  std::string scopes;
  for (const Constraint& c : constraints) {
    MatchResult m = MatchObject(c.match, obj);
    if (m == MatchResult::kMatch && ParameterNamespacesAllow(c.parameters, obj)) return std::nullopt;
    if (m == MatchResult::kNeedsNamespace && SelectorMatches(*c.match.namespace_selector, namespace_labels) &&
        ParameterNamespacesAllow(c.parameters, obj)) {
      return std::nullopt;
    }
    scopes += fmt::format("{}{}: {}", scopes.empty() ? " " : "; ", c.name, DescribeScope(c.match));
  }
  std::string hint;
  for (const Constraint& c : constraints) {
    if (c.match.namespace_selector && !c.match.namespace_selector->match_labels.empty()) {
      const auto& [k, v] = c.match.namespace_selector->match_labels.front();
      hint = fmt::format(" (kubectl label namespace {} {}={})", ns, k, v);
      break;
    }
  }
  return fmt::format(
      "no AegisSignedPod constraint selects a Pod in namespace {}, so Gatekeeper would never report the violating "
      "canary: label the namespace or run the canaries where a constraint applies{}; the constraints select:{}",
      ns, hint, scopes);
}

}  // namespace aegis::canary
