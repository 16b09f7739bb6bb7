// Parsing AegisSignedPod constraints: defaults, every field, and errors with positions.
#include <gtest/gtest.h>

#include <re2/re2.h>

#include "inputs/policy_files.h"
#include "policy/constraint.h"
#include "policy/policy_error.h"

namespace aegis {
namespace {

constexpr std::string_view kHead =
    "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\nmetadata: {name: c}\n";

Expected<LoadedConstraints> Parse(const std::string& spec) {
  return ParseConstraints("c.yaml", std::string(kHead) + spec);
}

TEST(Constraint, DefaultsMatchPolicyMd) {
  auto r = Parse("spec: {}\n");
  ASSERT_TRUE(r.ok());
  const Constraint& c = r->constraints.at(0);
  EXPECT_EQ(c.action, EnforcementAction::kDeny);
  EXPECT_EQ(c.parameters.init_container_pattern, "verify");
  EXPECT_EQ(c.parameters.secret_name, "cosign-public-key");
  EXPECT_TRUE(c.parameters.require_mount);
  EXPECT_FALSE(c.parameters.allow_vault_verification);
  EXPECT_FALSE(c.parameters.namespaces.has_value());
}

TEST(Constraint, EveryFieldIsRead) {
  auto r = Parse(
      "spec:\n  enforcementAction: dryrun\n  match:\n    kinds: [{apiGroups: [apps], kinds: [Deployment]}]\n"
      "    namespaces: [a]\n    excludedNamespaces: [kube-*]\n    labelSelector: {matchLabels: {x: y}}\n"
      "    namespaceSelector: {matchExpressions: [{key: k, operator: Exists}]}\n    scope: Namespaced\n"
      "    name: n-*\n  parameters:\n    namespaces: [m]\n    initContainerPattern: \"(?i)VERIFY\"\n"
      "    secretName: s\n    requireMount: false\n    allowVaultVerification: true\n");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  const Constraint& c = r->constraints.at(0);
  EXPECT_EQ(c.action, EnforcementAction::kDryrun);
  EXPECT_EQ(c.match.kinds.at(0).kinds.at(0), "Deployment");
  EXPECT_EQ(c.match.excluded_namespaces.at(0), "kube-*");
  EXPECT_EQ(c.match.label_selector->match_labels.at(0).second, "y");
  EXPECT_EQ(c.match.namespace_selector->expressions.at(0).op, "Exists");
  EXPECT_EQ(c.match.scope, "Namespaced");
  EXPECT_EQ(c.match.name, "n-*");
  EXPECT_EQ(c.parameters.namespaces->at(0), "m");
  EXPECT_TRUE(re2::RE2::PartialMatch("the-verify-step", *c.parameters.pattern));
  EXPECT_EQ(c.parameters.secret_name, "s");
  EXPECT_FALSE(c.parameters.require_mount);
  EXPECT_TRUE(c.parameters.allow_vault_verification);
}

TEST(Constraint, InvalidPatternIsAPolicyErrorWithLine) {
  auto r = Parse("spec:\n  parameters:\n    initContainerPattern: \"verify(\"\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, PolicyError::kInvalid);
  EXPECT_EQ(r.error().mark.line, 6u);
  EXPECT_NE(r.error().message.find("invalid RE2 pattern"), std::string::npos);
}

TEST(Constraint, Re2SyntaxGoAcceptsButStdRegexWouldNot) {
  // (?i) and \pL are RE2/Go syntax; lookahead is not (Go rejects it too).
  EXPECT_TRUE(Parse("spec: {parameters: {initContainerPattern: \"(?i)^verify\\\\pL*\"}}\n").ok());
  EXPECT_FALSE(Parse("spec: {parameters: {initContainerPattern: \"verify(?=x)\"}}\n").ok());
}

TEST(Constraint, UnknownEnforcementActionIsAnError) {
  auto r = Parse("spec:\n  enforcementAction: block\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown enforcementAction"), std::string::npos);
  EXPECT_EQ(r.error().mark.line, 5u);
}

TEST(Constraint, WrongTypesAreErrors) {
  EXPECT_FALSE(Parse("spec: {parameters: {requireMount: \"yes\"}}\n").ok());
  EXPECT_FALSE(Parse("spec: {parameters: {namespaces: models}}\n").ok());
  EXPECT_FALSE(Parse("spec: {match: {kinds: Deployment}}\n").ok());
  EXPECT_FALSE(Parse("spec: {match: {labelSelector: {matchExpressions: [{key: k, operator: Near}]}}}\n").ok());
  EXPECT_FALSE(Parse("spec: {match: {labelSelector: {matchExpressions: [{key: k, operator: In}]}}}\n").ok());
  EXPECT_FALSE(Parse("spec: {match: {labelSelector: {matchExpressions: [{key: k, operator: Exists, values: [a]}]}}}\n").ok());
}

TEST(Constraint, UnknownParameterIsAWarningNotAnError) {
  auto r = Parse("spec: {parameters: {secretNmae: x, trust: {keys: [\"sha256:" + std::string(64, 'a') + "\"]}}}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].message.find("secretNmae"), std::string::npos);
  EXPECT_EQ(r->constraints[0].parameters.secret_name, "cosign-public-key");
}

TEST(Constraint, OtherObjectsAreIgnoredAndMissingConstraintIsAnError) {
  auto r = ParseConstraints("t.yaml", "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: aegissignedpod}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->constraints.empty());
  EXPECT_FALSE(LoadConstraints("/nonexistent/policy.yaml").ok());
}

TEST(Constraint, BuiltinPolicyIsTheRepositoryConstraint) {
  auto r = BuiltinConstraints();
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  ASSERT_EQ(r->constraints.size(), 2u);
  EXPECT_EQ(r->constraints[0].name, "aegis-kserve-enforce");
  EXPECT_EQ(r->constraints[1].name, "aegis-signed-pod-enforce");
  EXPECT_EQ(r->constraints[0].action, EnforcementAction::kDeny);
  EXPECT_EQ(r->constraints[1].action, EnforcementAction::kDeny);
  // It cannot know the adopter's key: one warning says the workload chooses trust.
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].message.find("constraints aegis-kserve-enforce, aegis-signed-pod-enforce pin no signer "
                                        "(parameters.trust): trust is chosen by the workload"),
            std::string::npos)
      << r->warnings[0].message;
}

TEST(Constraint, OnePinnedConstraintIsNotWarnedAbout) {
  auto r = Parse("spec: {parameters: {trust: {keyless: [{issuer: i, subjectRegExp: '^ci@'}]}}}\n");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_EQ(r->constraints[0].parameters.trust_pins.keyless.at(0).subject_regexp, "^ci@");
  auto unpinned = Parse("spec: {parameters: {}}\n");
  ASSERT_TRUE(unpinned.ok());
  ASSERT_EQ(unpinned->warnings.size(), 1u);
  EXPECT_NE(unpinned->warnings[0].message.find("pins no signer"), std::string::npos);
}

}  // namespace
}  // namespace aegis
