#include "policy/match.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "util/strings.h"

namespace aegis {
namespace {

bool Contains(const std::vector<std::string>& set, const std::string& v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

bool KindsMatch(const Match& m, const ObjectRef& obj) {
  if (m.kinds.empty()) return true;
  for (const auto& k : m.kinds) {
    bool kind_ok = k.kinds.empty() || Contains(k.kinds, "*") || Contains(k.kinds, obj.kind);
    bool group_ok = k.api_groups.empty() || Contains(k.api_groups, "*") || Contains(k.api_groups, obj.group);
    if (kind_ok && group_ok) return true;
  }
  return false;
}

bool AnyGlob(const std::vector<std::string>& globs, const std::string& value) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) { return WildcardMatches(g, value); });
}

}  // namespace

Labels LabelsOf(const yaml::Node* labels) {
  Labels out;
  if (labels == nullptr || !labels->IsMapping()) return out;
  for (size_t i = 0; i < labels->pair_count(); ++i) {
    const yaml::Node* k = labels->key_at(i);
    const yaml::Node* v = labels->value_at(i);
    if (k->IsScalar() && (v->IsScalar() || v->IsNull())) out[k->scalar()] = v->scalar();
  }
  return out;
}

bool SelectorMatches(const LabelSelector& sel, const Labels& labels) {
  for (const auto& [k, v] : sel.match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const auto& req : sel.expressions) {
    auto it = labels.find(req.key);
    bool has = it != labels.end();
    if (req.op == "In") {
      if (!has || !Contains(req.values, it->second)) return false;
    } else if (req.op == "NotIn") {
      if (has && Contains(req.values, it->second)) return false;
    } else if (req.op == "Exists") {
      if (!has) return false;
    } else if (req.op == "DoesNotExist") {
      if (has) return false;
    }
  }
  return true;
}

MatchResult MatchObject(const Match& m, const ObjectRef& obj) {
  if (!KindsMatch(m, obj)) return MatchResult::kNoMatch;
  // Every object Aegis checks is namespaced (an absent namespace is defaulted).
  if (m.scope == "Cluster") return MatchResult::kNoMatch;
  if (!m.namespaces.empty() && !AnyGlob(m.namespaces, obj.namespace_)) return MatchResult::kNoMatch;
  if (AnyGlob(m.excluded_namespaces, obj.namespace_)) return MatchResult::kNoMatch;
  if (m.label_selector && !SelectorMatches(*m.label_selector, LabelsOf(obj.labels))) return MatchResult::kNoMatch;
  if (!m.name.empty() && !WildcardMatches(m.name, obj.name)) return MatchResult::kNoMatch;
  return m.namespace_selector ? MatchResult::kNeedsNamespace : MatchResult::kMatch;
}

namespace {

std::string DescribeSelector(const LabelSelector& sel) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : sel.match_labels) parts.push_back(k + "=" + v);
  for (const LabelRequirement& r : sel.expressions) {
    if (r.op == "Exists") {
      parts.push_back(r.key);
    } else if (r.op == "DoesNotExist") {
      parts.push_back("!" + r.key);
    } else {
      parts.push_back(fmt::format("{} {} ({})", r.key, r.op == "In" ? "in" : "notin", fmt::join(r.values, ",")));
    }
  }
  return parts.empty() ? "anything" : fmt::format("{}", fmt::join(parts, ","));
}

}  // namespace

std::string DescribeScope(const Match& m) {
  std::vector<std::string> kinds;
  for (const KindSelector& k : m.kinds) {
    for (const std::string& kind : k.kinds) kinds.push_back(kind == "*" ? "every kind" : kind);
  }
  std::string out = kinds.empty() ? "every kind" : fmt::format("{}", fmt::join(kinds, ", "));
  if (m.label_selector) out += ", labelled " + DescribeSelector(*m.label_selector);
  if (!m.namespaces.empty()) {
    out += fmt::format(", in namespaces {}", fmt::join(m.namespaces, ", "));
  } else if (m.namespace_selector) {
    out += ", in namespaces labelled " + DescribeSelector(*m.namespace_selector);
  } else {
    out += ", in every namespace";
  }
  if (!m.excluded_namespaces.empty()) out += fmt::format(" except {}", fmt::join(m.excluded_namespaces, ", "));
  if (!m.name.empty()) out += ", named " + m.name;
  return out;
}

bool ParameterNamespacesAllow(const Parameters& p, const ObjectRef& obj) {
  return !p.namespaces || Contains(*p.namespaces, obj.namespace_);
}

}  // namespace aegis
