// The trust policy both sides read: a constraint's parameters.trust and verify-and-fetch's
// AEGIS_TRUST_POLICY (util/trust_pins.h).
#include <gtest/gtest.h>

#include "policy/constraint.h"
#include "util/trust_pins.h"

namespace aegis {
namespace {

nlohmann::json J(const char* text) { return nlohmann::json::parse(text); }

TEST(TrustPins, ReadsEveryField) {
  auto pins = ParseTrustPins(J(R"({"keys":["sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
      "keyless":[{"issuer":"https://accounts.google.com","subjectRegExp":"^ci@org\\.example$"}],
      "trustedRoots":[], "certificateAuthorities":[], "vault":[{"address":"https://v:8200","key":"m"}],
      "artifactPrefixes":["s3://prod/"], "allowAnyIdentity":false})"));
  ASSERT_TRUE(pins.ok()) << pins.error().message;
  EXPECT_EQ(pins->keys.size(), 1u);
  EXPECT_EQ(pins->keyless.at(0).issuer, "https://accounts.google.com");
  EXPECT_EQ(pins->keyless.at(0).subject_regexp, "^ci@org\\.example$");
  EXPECT_EQ(pins->vault.at(0).address, "https://v:8200");
  EXPECT_EQ(pins->artifact_prefixes, std::vector<std::string>{"s3://prod/"});
  // Written back: empty fields left out, keys sorted, the same value again.
  EXPECT_EQ(pins->ToJson().dump(),
            R"({"artifactPrefixes":["s3://prod/"],"keyless":[{"issuer":"https://accounts.google.com","subjectRegExp":"^ci@org\\.example$"}],"keys":["sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],"vault":[{"address":"https://v:8200","key":"m"}]})");
  EXPECT_EQ(ParseTrustPins(pins->ToJson())->ToJson(), pins->ToJson());
}

TEST(TrustPins, NamesTheFieldInError) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {R"([])", "trust: must be a mapping"},
           {R"({"key":[]})", "trust.key: unknown field"},
           {R"({"keys":["abc"]})", "trust.keys[0]: abc is not sha256: and 64 lower-case hex digits"},
           {R"({"keys":"sha256:x"})", "trust.keys: must be a list of strings"},
           {R"({"keyless":[{"issuer":"i"}]})", "trust.keyless[0]: needs exactly one of subject and subjectRegExp"},
           {R"({"keyless":[{"issuer":"i","issuerRegExp":"j","subject":"s"}]})", "needs exactly one of issuer and issuerRegExp"},
           {R"({"keyless":[{"issuer":"i","subject":"s","email":"e"}]})", "trust.keyless[0].email: unknown field"},
           {R"({"vault":[{"address":"a"}]})", "trust.vault[0]: needs both address and key"},
           {R"({"allowAnyIdentity":"yes"})", "trust.allowAnyIdentity: must be a boolean"},
       }) {
    auto pins = ParseTrustPins(J(c.json));
    ASSERT_FALSE(pins.ok()) << c.json;
    EXPECT_NE(pins.error().message.find(c.message), std::string::npos) << pins.error().message;
  }
}

TEST(TrustPins, ConstraintParameterIsCheckedAtItsLine) {
  const char* text = R"(apiVersion: constraints.gatekeeper.sh/v1beta1
kind: AegisSignedPod
metadata: {name: c}
spec:
  parameters:
    lockVerifier: true
    trust:
      keys: [not-a-fingerprint]
)";
  auto loaded = ParseConstraints("c.yaml", text);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().Location(), "c.yaml:8:7");
  EXPECT_NE(loaded.error().message.find("parameter trust.keys[0]: not-a-fingerprint is not sha256:"), std::string::npos)
      << loaded.error().message;
}

}  // namespace
}  // namespace aegis
