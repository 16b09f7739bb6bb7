// Gatekeeper's `spec.match` semantics (pkg/mutation/match in Gatekeeper), for one object.
#pragma once

#include <map>
#include <string>

#include "manifest/object.h"
#include "policy/constraint.h"

namespace aegis {

using Labels = std::map<std::string, std::string>;

// The object's labels as a map (non-scalar values are ignored).
Labels LabelsOf(const yaml::Node* labels);

bool SelectorMatches(const LabelSelector& sel, const Labels& labels);

enum class MatchResult {
  kMatch,
  kNoMatch,
  kNeedsNamespace,  // everything matched except namespaceSelector, which needs the Namespace
};

// Every criterion except namespaceSelector; then kNeedsNamespace when a selector is set.
MatchResult MatchObject(const Match& m, const ObjectRef& obj);

// One line a user reads to know what a constraint selects: "InferenceService, … in every
// namespace but kube-*; labelled app=x; in namespaces labelled aegis.dev/model-serving=true".
std::string DescribeScope(const Match& m);

// True when the Constraint's `namespaces` parameter lets the object be checked.
bool ParameterNamespacesAllow(const Parameters& p, const ObjectRef& obj);

}  // namespace aegis
