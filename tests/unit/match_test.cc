// Gatekeeper match semantics: kinds, namespaces (globs), labelSelector, scope, name.
#include <gtest/gtest.h>

#include "policy/match.h"
#include "util/strings.h"
#include "yaml/reader.h"

namespace aegis {
namespace {

TEST(Wildcard, PrefixSuffixAndExact) {
  EXPECT_TRUE(WildcardMatches("kube-*", "kube-system"));
  EXPECT_TRUE(WildcardMatches("kube-*", "kube-"));
  EXPECT_FALSE(WildcardMatches("kube-*", "kub"));
  EXPECT_TRUE(WildcardMatches("*-system", "gatekeeper-system"));
  EXPECT_FALSE(WildcardMatches("*-system", "system-x"));
  EXPECT_TRUE(WildcardMatches("models", "models"));
  EXPECT_FALSE(WildcardMatches("models", "models-2"));
  EXPECT_TRUE(WildcardMatches("*", "anything"));
}

class MatchTest : public ::testing::Test {
 protected:
  ObjectRef Obj(std::string_view yaml) {
    auto docs = yaml::ReadAll("o.yaml", yaml);
    EXPECT_TRUE(docs.ok());
    docs_.push_back(std::move(docs.value()));
    return ObjectsOf(docs_.back()[0].root(), "default").objects.at(0);
  }
  std::vector<std::vector<yaml::Document>> docs_;
};

TEST_F(MatchTest, KindsNeedGroupAndKindInTheSameEntry) {
  ObjectRef d = Obj("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n");
  Match m;
  m.kinds = {{{"apps"}, {"StatefulSet"}}, {{"batch"}, {"Deployment"}}};
  EXPECT_EQ(MatchObject(m, d), MatchResult::kNoMatch);
  m.kinds.push_back({{"*"}, {"Deployment"}});
  EXPECT_EQ(MatchObject(m, d), MatchResult::kMatch);
  m.kinds = {{{}, {}}};  // empty lists match anything, as in Gatekeeper
  EXPECT_EQ(MatchObject(m, d), MatchResult::kMatch);
  m.kinds = {{{""}, {"Deployment"}}};  // core group only
  EXPECT_EQ(MatchObject(m, d), MatchResult::kNoMatch);
}

TEST_F(MatchTest, NamespacesUseTheDefaultForObjectsWithoutOne) {
  ObjectRef p = Obj("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n");
  EXPECT_EQ(p.namespace_, "default");
  EXPECT_TRUE(p.namespace_defaulted);
  Match m;
  m.excluded_namespaces = {"def*"};
  EXPECT_EQ(MatchObject(m, p), MatchResult::kNoMatch);
}

TEST_F(MatchTest, ScopeAndName) {
  ObjectRef p = Obj("apiVersion: v1\nkind: Pod\nmetadata: {name: triton-0, namespace: m}\n");
  Match m;
  m.scope = "Cluster";
  EXPECT_EQ(MatchObject(m, p), MatchResult::kNoMatch);
  m.scope = "Namespaced";
  EXPECT_EQ(MatchObject(m, p), MatchResult::kMatch);
  m.name = "triton-*";
  EXPECT_EQ(MatchObject(m, p), MatchResult::kMatch);
  m.name = "other";
  EXPECT_EQ(MatchObject(m, p), MatchResult::kNoMatch);
}

TEST_F(MatchTest, NamespaceSelectorDefersTheDecision) {
  ObjectRef p = Obj("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: m}\n");
  Match m;
  m.namespace_selector = LabelSelector{};
  EXPECT_EQ(MatchObject(m, p), MatchResult::kNeedsNamespace);
}

TEST(Selector, OperatorsFollowKubernetes) {
  Labels l = {{"tier", "gpu"}, {"owner", "ml"}};
  LabelSelector s;
  s.expressions = {{"stage", "NotIn", {"dev"}}};  // absent label passes NotIn
  EXPECT_TRUE(SelectorMatches(s, l));
  s.expressions = {{"tier", "In", {"cpu"}}};
  EXPECT_FALSE(SelectorMatches(s, l));
  s.expressions = {{"owner", "Exists", {}}, {"legacy", "DoesNotExist", {}}};
  EXPECT_TRUE(SelectorMatches(s, l));
  s.match_labels = {{"tier", "cpu"}};
  EXPECT_FALSE(SelectorMatches(s, l));
  EXPECT_TRUE(SelectorMatches(LabelSelector{}, {}));  // empty selector selects everything
}

}  // namespace
}  // namespace aegis
