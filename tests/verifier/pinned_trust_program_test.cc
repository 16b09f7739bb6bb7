// Pinned trust (docs/VERIFIER.md, "Pinned trust"), as an attacker who writes the pod's Secrets,
// ConfigMaps and env but not the constraint tries it: verify-and-fetch with AEGIS_TRUST_POLICY
// trusts only what the platform pinned, fails closed otherwise (exit 7, nothing placed), and
// says which fingerprint it saw.
#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

std::string Data(const std::string& rel) { return SourcePath("tests/testdata/sigstore/" + rel); }

// "sha256:" + hex SHA-256 of the key's DER SubjectPublicKeyInfo, as the openssl CLI computes it.
std::string Fingerprint(const std::string& pem) {
  auto r = RunShell("openssl pkey -pubin -in " + pem + " -outform DER | openssl dgst -sha256 -r | cut -c1-64");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return "sha256:" + r.out.substr(0, 64);
}

std::string Env(const json& policy) { return "AEGIS_TRUST_POLICY=" + Quote(policy.dump()); }

class PinnedTrustTest : public ProgramTest {};

TEST_F(PinnedTrustTest, ThePinnedKeyVerifies) {
  Model();
  auto r = Run("--key " + PublicKey() + " model.tar.gz model", Env({{"keys", {Fingerprint(PublicKey())}}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(Dest() + "/resnet/1/model.onnx"));
  EXPECT_NE(r.err.find("trust policy"), std::string::npos) << r.err;
}

// A namespace editor replaces the key Secret with their own key and signs a model with it.
TEST_F(PinnedTrustTest, ASwappedKeySecretFailsClosedNamingTheFingerprint) {
  std::string model = Model();
  TempDir keys;
  WriteFile(keys.File("cosign.pub"), ReadFile(OtherPublicKey()));
  // The attacker's model, signed with the attacker's key (the one now in the Secret).
  auto sign = RunShell("openssl ecparam -name prime256v1 -genkey -noout -out evil.pem && openssl ec -in evil.pem -pubout "
                       "-out evil-pub.pem",
                       keys.path());
  ASSERT_EQ(sign.exit_code, 0);
  WriteFile(keys.File("cosign.pub"), ReadFile(keys.File("evil-pub.pem")));
  WriteFile(model + ".sigstore.json", Bundle(model, keys.File("evil.pem")));
  // Without pins the swapped Secret is trusted: the attack works.
  auto open = Run("--key " + keys.path() + " model.tar.gz model");
  ASSERT_EQ(open.exit_code, 0) << "the attack must work without pins, or this test proves nothing: " << open.err;
  fs::remove_all(Dest());
  auto r = Run("--key " + keys.path() + " model.tar.gz model", Env({{"keys", {Fingerprint(PublicKey())}}}));
  ExpectFailure(r, 7, "no key here is pinned by the trust policy: found " + keys.File("cosign.pub") + " (" +
                          Fingerprint(keys.File("evil-pub.pem")) + ")");
  EXPECT_NE(Reason().find("pinned: " + Fingerprint(PublicKey())), std::string::npos) << Reason();
}

// A directory holding the pinned key and another: only the pinned one is trusted, the other
// is named in the log.
TEST_F(PinnedTrustTest, AnUnpinnedKeyBesideThePinnedOneIsIgnored) {
  std::string model = Model();
  TempDir keys;
  WriteFile(keys.File("a.pub"), ReadFile(PublicKey()));
  WriteFile(keys.File("b.pub"), ReadFile(OtherPublicKey()));
  auto r = Run("--key " + keys.path() + " model.tar.gz model", Env({{"keys", {Fingerprint(PublicKey())}}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("key not pinned by the trust policy: not trusted"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(Fingerprint(OtherPublicKey())), std::string::npos) << r.err;
  // Signed by the unpinned key only: refused.
  TempDir other;
  auto gen = RunShell("openssl ecparam -name prime256v1 -genkey -noout -out o.pem && openssl ec -in o.pem -pubout -out o.pub",
                      other.path());
  ASSERT_EQ(gen.exit_code, 0);
  WriteFile(keys.File("b.pub"), ReadFile(other.File("o.pub")));
  WriteFile(model + ".sigstore.json", Bundle(model, other.File("o.pem")));
  fs::remove_all(Dest());
  ExpectFailure(Run("--key " + keys.path() + " model.tar.gz model", Env({{"keys", {Fingerprint(PublicKey())}}})), 5, "");
}

TEST_F(PinnedTrustTest, TransportPrefixesVaultAndCasAreHeldToThePins) {
  Model();
  json pins = {{"keys", {Fingerprint(PublicKey())}}, {"artifactPrefixes", {"file://" + dir_.File("prod/")}}};
  ExpectFailure(Run("--key " + PublicKey() + " model.tar.gz model", Env(pins)), 7, "is not under a pinned prefix");
  json keys = {{"keys", {Fingerprint(PublicKey())}}};
  ExpectFailure(Run("--allow-insecure-http --key " + PublicKey() + " model.tar.gz model", Env(keys)), 7,
                "--allow-insecure-http is refused");
  ExpectFailure(Run("--key " + PublicKey() + " model.tar.gz model", Env(keys) + " AEGIS_INSECURE_SKIP_TLS_VERIFY=true"), 7,
                "--insecure-skip-tls-verify is refused");
  // The pod's own Vault: refused before any request is made to it.
  ExpectFailure(Run("--key /nonexistent model.tar.gz model", Env(keys) + " VAULT_ADDR=https://vault.attacker.invalid:8200 "
                                                                         "AEGIS_VAULT_KEY=models"),
                7, "Vault transit key models at https://vault.attacker.invalid:8200 is not pinned");
  ExpectFailure(Run("--certificate-chain " + PublicKey() + " --key " + PublicKey() + " model.tar.gz model", Env(keys)), 7,
                "pins no CA certificate");
  ExpectFailure(Run("--key " + PublicKey() + " model.tar.gz model", "AEGIS_TRUST_POLICY='{\"keys\":[\"md5:1\"]}'"), 2,
                "AEGIS_TRUST_POLICY: trust.keys[0]");
  ExpectFailure(Run("--key " + PublicKey() + " model.tar.gz model", "AEGIS_TRUST_POLICY='keys: all'"), 2,
                "AEGIS_TRUST_POLICY is not JSON");
}

// Keyless: the identity comes from the pins; the pod may only repeat a pinned one.
TEST_F(PinnedTrustTest, KeylessIdentityAndRootComeFromThePins) {
  const std::string identity =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
      "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  const std::string issuer = "https://token.actions.githubusercontent.com";
  std::string base = "--key /nonexistent --trusted-root " + Data("roots/prod.json") + " --signature " +
                     Data("prod-v01/bundle.sigstore.json") + " file://" + Data("prod-v01/artifact") + " model";
  json pinned = {{"keyless", {{{"issuer", issuer}, {"subject", identity}}}}};
  auto ok = Run(base, Env(pinned));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.err.find(identity), std::string::npos) << "the signer is logged";
  fs::remove_all(Dest());
  // The signer is not the one pinned: refused (exit 5, the identity check).
  json other = {{"keyless", {{{"issuer", issuer}, {"subject", "https://github.com/org/models/.github/workflows/r.yml@refs/heads/main"}}}}};
  ExpectFailure(Run(base, Env(other)), 5, "identity");
  // The pod names an identity of its own, or everyone: refused before anything is fetched.
  ExpectFailure(Run(base, Env(other) + " AEGIS_CERTIFICATE_IDENTITY_REGEXP=.* AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP=.*"), 7,
                "is not pinned by the trust policy");
  // A root the pins do not name (the image's own roots are trusted when none is pinned).
  json root_pinned = pinned;
  root_pinned["trustedRoots"] = {"sha256:" + std::string(64, '0')};
  ExpectFailure(Run(base, Env(root_pinned)), 7, "this Sigstore trusted root (sha256:6494e21e");
  ExpectFailure(Run(base, Env({{"keys", {Fingerprint(PublicKey())}}})), 7, "pins no keyless identity");
}

// Without pins too, a pattern that admits every signer is refused unless asked for by name.
TEST_F(PinnedTrustTest, AMatchEverythingIdentityIsRefused) {
  std::string base = "--key /nonexistent --trusted-root " + Data("roots/prod.json") + " --signature " +
                     Data("prod-v01/bundle.sigstore.json") + " file://" + Data("prod-v01/artifact") + " model";
  ExpectFailure(Run(base + " --certificate-identity-regexp '.*' --certificate-oidc-issuer-regexp '.*'"), 7,
                "the identity pattern \".*\" matches every signer");
  ExpectFailure(Run(base + " --certificate-identity-regexp '@' --certificate-oidc-issuer https://token.actions.githubusercontent.com"), 7,
                "matches every signer");
  ExpectFailure(Run(base + " --certificate-identity-regexp '^https://github.com/sigstore-conformance/' "
                           "--certificate-oidc-issuer-regexp 'https://'"),
                7, "the issuer pattern \"https://\" matches every OIDC issuer");
  auto allowed = Run(base + " --allow-any-identity --certificate-identity-regexp '.*' --certificate-oidc-issuer-regexp '.*'");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
}

}  // namespace
}  // namespace aegis::testing
