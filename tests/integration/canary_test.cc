// `aegis canary` against the in-test Kubernetes API server (support/kube_api_server.h):
// every criterion passing and failing, kubeconfig variants (token, token file, client
// certificate files and data, exec credential plugin, merged KUBECONFIG, contexts,
// insecure-skip-tls-verify, in-cluster), 401/403, an unreachable server, a slow audit that
// is waited for, timeouts, --apply with clean-up, and clean-up after an interruption.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <csignal>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/kube_api_server.h"
#include "support/test_support.h"

namespace aegis::testing {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::string B64File(const std::string& file) { return RunShell("base64 -w0 " + file).out; }

json Constraint(const std::string& name = "aegis-signed-pods") {
  return {{"apiVersion", "constraints.gatekeeper.sh/v1beta1"}, {"kind", "AegisSignedPod"},
          {"metadata", {{"name", name}}}, {"spec", {{"enforcementAction", "dryrun"}}}, {"status", {{"totalViolations", 0}}}};
}

class CanaryTest : public ::testing::Test {
 protected:
  // A kubeconfig for the test server; `user` is the YAML of the user entry's body.
  std::string Kubeconfig(const std::string& user, const std::string& cluster_extra = "", const std::string& file = "kubeconfig") {
    std::string cluster = cluster_extra.empty() ? "    certificate-authority: " + api_.File("ca.pem") + "\n" : cluster_extra;
    WriteFile(dir_.File(file), "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: test\n  cluster:\n    server: " +
                                   api_.url() + "\n" + cluster + "contexts:\n- name: test\n  context:\n    cluster: test\n    user: u\n"
                                   "    namespace: aegis-canary\nusers:\n- name: u\n  user:\n" + user);
    return dir_.File(file);
  }
  std::string TokenUser() { return std::string("    token: ") + KubeApiServer::kToken + "\n"; }
  RunResult Canary(const std::string& args, const std::string& kubeconfig = "", const std::string& env = "") {
    std::string kc = kubeconfig.empty() ? Kubeconfig(TokenUser()) : kubeconfig;
    return RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + env + " " + AEGIS_BIN + " canary --kubeconfig " + kc +
                        " --poll-interval 0.05 " + args,
                    dir_.path());
  }
  void Healthy() {
    api_.AddPod(PodWithStatus("canary-positive", "positive", true, 0, true));
    api_.AddPod(PodWithStatus("canary-tampered", "tampered", true, 5, false, "s3://m/bad.tar.gz: signature does not verify"));
    api_.AddPod(PodWithStatus("canary-violating", "violating", false, 0, false));
    api_.AddConstraint(Constraint());
  }
  void ExpectNoSecrets(const RunResult& r) {
    for (const char* s : {KubeApiServer::kToken, "exec-plugin-token-value"}) {
      EXPECT_EQ(r.out.find(s), std::string::npos);
      EXPECT_EQ(r.err.find(s), std::string::npos);
    }
  }

  TempDir dir_;
  KubeApiServer api_;
};

TEST_F(CanaryTest, ObserveModePassesEveryCriterionWithEvidence) {
  Healthy();
  auto r = Canary("");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS criterion 1 (positive)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS criterion 2 (violating)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS criterion 3 (tampered)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod canary-tampered: verify initContainer exited 5 (Error): s3://m/bad.tar.gz: signature does not verify"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod canary-violating: reported by aegis-signed-pods (dryrun, totalViolations 1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod canary-positive: verify initContainer exit 0, Ready"), std::string::npos) << r.out;
  ExpectNoSecrets(r);
  bool selector = false;
  for (const auto& q : api_.Log()) selector = selector || q.target.find("labelSelector=aegis%2Fcanary") != std::string::npos;
  EXPECT_TRUE(selector) << "pods are listed by their aegis/canary label";
}

TEST_F(CanaryTest, EachCriterionFailsForTheRightReason) {
  api_.AddPod(PodWithStatus("canary-positive", "positive", true, 1, false, "no signature"));
  api_.AddPod(PodWithStatus("canary-tampered", "tampered", true, 0, true));
  api_.AddPod(PodWithStatus("canary-violating", "violating", true, 0, true));  // has verifier and key: not a violation
  api_.AddConstraint(Constraint());
  auto r = Canary("--timeout 5");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL criterion 1 (positive)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verify initContainer exited 1: no signature"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL criterion 3 (tampered)"), std::string::npos);
  EXPECT_NE(r.out.find("became Ready with a tampered artifact"), std::string::npos);
  EXPECT_NE(r.out.find("FAIL criterion 2 (violating)"), std::string::npos);
  EXPECT_NE(r.out.find("it does not violate the policy"), std::string::npos);
}

// A pod the policy's rules never checked has not shown it satisfies them: a positive canary
// outside every constraint's match is a FAIL, not a vacuous PASS (tests/cluster found the
// rules silently skipping pods once the real API server's list items came without a kind).
TEST_F(CanaryTest, APodNoConstraintChecksIsNotJudgedCompliant) {
  api_.AddPod(PodWithStatus("canary-positive", "positive", true, 0, true));
  json elsewhere = Constraint();
  elsewhere["spec"]["match"]["namespaces"] = json::array({"models-elsewhere"});
  api_.AddConstraint(elsewhere);
  auto r = Canary("--criteria positive --timeout 2");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL criterion 1 (positive)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the policy's rules did not check it"), std::string::npos) << r.out;
}

// The pods are judged through the policy with the cluster's constraint parameters, not by
// names hard-coded in the canary: here the verifier must be named exactly model-verifier and
// mount secret model-keys (a projected source counts), and a helper whose name contains
// "verify" is not the verifier.
TEST_F(CanaryTest, CustomConstraintParametersDecideWhichContainerIsTheVerifier) {
  json constraint = Constraint("custom");
  constraint["spec"]["parameters"] = {{"initContainerPattern", "^model-verifier$"}, {"secretName", "model-keys"}};
  api_.AddConstraint(constraint);
  auto init = [](const std::string& name, int code, bool mount) {
    json c = {{"name", name}, {"image", "busybox"}};
    if (mount) c["volumeMounts"] = json::array({{{"name", "keys"}, {"mountPath", "/etc/cosign"}}});
    json term = {{"exitCode", code}, {"reason", code == 0 ? "Completed" : "Error"}, {"message", code == 0 ? "" : "signature does not verify"}};
    json status = {{"name", name}, {"state", {{"terminated", term}}}};
    return std::make_pair(c, status);
  };
  auto pod = [&](const std::string& name, const std::string& role, std::vector<std::pair<json, json>> inits, bool ready,
                 const json& volume) {
    json p = {{"apiVersion", "v1"}, {"kind", "Pod"},
              {"metadata", {{"name", name}, {"namespace", "aegis-canary"}, {"labels", {{"aegis/canary", role}}}}},
              {"spec", {{"containers", json::array({{{"name", "server"}, {"image", "tritonserver"}}})}, {"volumes", json::array({volume})}}},
              {"status", {{"conditions", json::array({{{"type", "Ready"}, {"status", ready ? "True" : "False"}}})}}}};
    for (auto& [c, st] : inits) {
      p["spec"]["initContainers"].push_back(c);
      p["status"]["initContainerStatuses"].push_back(st);
    }
    return p;
  };
  json projected = {{"name", "keys"}, {"projected", {{"sources", json::array({{{"secret", {{"name", "model-keys"}}}}})}}}};
  json default_key = {{"name", "keys"}, {"secret", {{"secretName", "cosign-public-key"}}}};
  // Positive: the helper "verify-helper" exited 0, the real verifier failed: not a pass.
  api_.AddPod(pod("p", "positive", {init("verify-helper", 0, false), init("model-verifier", 5, true)}, false, projected));
  // Tampered: the real verifier (projected key) refused the artifact.
  api_.AddPod(pod("t", "tampered", {init("model-verifier", 5, true)}, false, projected));
  // Violating under this policy, though it would satisfy the default one.
  api_.AddPod(pod("v", "violating", {init("verify-and-fetch", 0, true)}, true, default_key));
  auto r = Canary("--timeout 2");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL criterion 1 (positive)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod p: verify initContainer exited 5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS criterion 3 (tampered)"), std::string::npos) << r.out;
  // Not yet reported by the audit, but not dismissed as compliant either.
  EXPECT_EQ(r.out.find("pod v: satisfies the policy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod v: not (yet) in any AegisSignedPod constraint's status.violations"), std::string::npos) << r.out;

  // Under the default constraint the same violating pod is compliant: the verdict follows the policy.
  KubeApiServer plain;
  plain.AddConstraint(Constraint());
  plain.AddPod(pod("v", "violating", {init("verify-and-fetch", 0, true)}, true, default_key));
  WriteFile(dir_.File("kc-plain"), "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n    server: " +
                                       plain.url() + "\n    certificate-authority: " + plain.File("ca.pem") +
                                       "\ncontexts:\n- name: t\n  context: {cluster: t, user: u, namespace: aegis-canary}\nusers:\n- name: u\n  user:\n" +
                                       TokenUser());
  auto d = Canary("--criteria violating --timeout 2", dir_.File("kc-plain"));
  EXPECT_EQ(d.exit_code, 1) << d.out << d.err;
  EXPECT_NE(d.out.find("pod v: satisfies the policy"), std::string::npos) << d.out;
}

TEST_F(CanaryTest, AMissingRoleIsAFailNotAPass) {
  api_.AddPod(PodWithStatus("canary-positive", "positive", true, 0, true));
  api_.AddConstraint(Constraint());
  auto r = Canary("");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("no pod labelled aegis/canary=tampered"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no pod labelled aegis/canary=violating"), std::string::npos) << r.out;
  auto only = Canary("--criteria positive");
  EXPECT_EQ(only.exit_code, 0) << only.out;
}

TEST_F(CanaryTest, SlowAuditIsWaitedForAndATimeoutIsExit5) {
  Healthy();
  api_.audit_after = 4;
  auto r = Canary("--timeout 30 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["criteria"][1]["verdict"], "PASS");
  EXPECT_GE(api_.Count("GET", "/apis/constraints.gatekeeper.sh"), 5) << "it polled until the audit reported the pod";

  KubeApiServer never;
  never.AddPod(PodWithStatus("canary-violating", "violating", false, 0, false));
  never.audit_after = 1000000;
  WriteFile(dir_.File("kc-never"), "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n    server: " +
                                       never.url() + "\n    certificate-authority: " + never.File("ca.pem") +
                                       "\ncontexts:\n- name: t\n  context: {cluster: t, user: u}\nusers:\n- name: u\n  user:\n" + TokenUser());
  auto t = Canary("--criteria violating --timeout 1 --format junit", dir_.File("kc-never"));
  EXPECT_EQ(t.exit_code, 5) << t.out << t.err;
  EXPECT_NE(t.out.find("<failure message=\"timed out after 1s"), std::string::npos) << t.out;
}

TEST_F(CanaryTest, ClientCertificateFilesDataAndTokenFile) {
  Healthy();
  fs::copy_file(api_.File("client.pem"), dir_.File("client.pem"));
  fs::copy_file(api_.File("client.key"), dir_.File("client.key"));
  // Relative paths are relative to the kubeconfig file.
  auto files = Canary("", Kubeconfig("    client-certificate: client.pem\n    client-key: client.key\n"));
  EXPECT_EQ(files.exit_code, 0) << files.out << files.err;
  auto data = Canary("", Kubeconfig("    client-certificate-data: " + B64File(api_.File("client.pem")) + "\n    client-key-data: " +
                                    B64File(api_.File("client.key")) + "\n",
                                    "    certificate-authority-data: " + B64File(api_.File("ca.pem")) + "\n"));
  EXPECT_EQ(data.exit_code, 0) << data.out << data.err;
  WriteFile(dir_.File("token"), std::string(KubeApiServer::kToken) + "\n");
  auto token_file = Canary("", Kubeconfig("    tokenFile: token\n"));
  EXPECT_EQ(token_file.exit_code, 0) << token_file.out << token_file.err;
  // A certificate with the right CN but not signed by the cluster's CA is nobody.
  auto rogue = Canary("", Kubeconfig("    client-certificate: " + api_.File("rogue.pem") + "\n    client-key: " + api_.File("rogue.key") + "\n"));
  EXPECT_EQ(rogue.exit_code, 4) << rogue.out << rogue.err;
}

TEST_F(CanaryTest, ExecCredentialPlugin) {
  Healthy();
  WriteFile(dir_.File("plugin.sh"), std::string("#!/bin/sh\n"
                                                "case \"$KUBERNETES_EXEC_INFO\" in *client.authentication.k8s.io/v1*) ;; *) exit 3 ;; esac\n"
                                                "[ \"$CLUSTER_NAME\" = prod ] || exit 4\n"
                                                "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                                                "\"status\":{\"token\":\"%s\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"}}' ") +
                                        KubeApiServer::kToken + "\n");
  chmod(dir_.File("plugin.sh").c_str(), 0755);
  std::string exec = "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./plugin.sh\n      args: [\"token\"]\n"
                     "      env:\n      - name: CLUSTER_NAME\n        value: prod\n      interactiveMode: Never\n";
  auto r = Canary("", Kubeconfig(exec));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectNoSecrets(r);
  WriteFile(dir_.File("plugin.sh"), "#!/bin/sh\necho 'login required' >&2\nexit 1\n");
  auto failing = Canary("", Kubeconfig(exec));
  EXPECT_EQ(failing.exit_code, 4) << failing.out << failing.err;
  EXPECT_NE(failing.out.find("exec credential plugin failed"), std::string::npos) << failing.out;
  // A plugin that is not installed is a configuration error (exit 2), not "forbidden".
  std::string missing = "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aegis-no-such-plugin\n";
  auto absent = Canary("", Kubeconfig(missing));
  EXPECT_EQ(absent.exit_code, 2) << absent.out << absent.err;
  EXPECT_NE(absent.out.find("aegis-no-such-plugin: exec credential plugin: cannot run the program: not found"), std::string::npos)
      << absent.out;
}

// Hostile credentials: a plugin answering numbers where strings are due, or JSON nested
// 200,000 deep, and a token with a line break (which would add header lines) are clear
// errors, never a type_error, a crash or a request.
TEST_F(CanaryTest, HostileCredentialsAreClearErrors) {
  Healthy();
  std::string exec = "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./plugin.sh\n      interactiveMode: Never\n";
  WriteFile(dir_.File("plugin.sh"), "#!/bin/sh\nprintf '{\"kind\":\"ExecCredential\",\"status\":{\"token\":7}}'\n");
  chmod(dir_.File("plugin.sh").c_str(), 0755);
  auto typed = Canary("", Kubeconfig(exec));
  EXPECT_EQ(typed.exit_code, 2) << typed.out << typed.err;
  EXPECT_NE((typed.out + typed.err).find("neither status.token nor a client certificate"), std::string::npos) << typed.out << typed.err;
  WriteFile(dir_.File("deep.json"), std::string(200000, '[') + std::string(200000, ']'));
  WriteFile(dir_.File("plugin.sh"), "#!/bin/sh\ncat deep.json\n");
  auto deep = Canary("", Kubeconfig(exec));
  EXPECT_EQ(deep.exit_code, 2) << deep.out << deep.err;
  EXPECT_NE((deep.out + deep.err).find("did not print an ExecCredential"), std::string::npos) << deep.out << deep.err;
  const size_t before = api_.Log().size();
  auto injected = Canary("", Kubeconfig("    token: \"abc\\r\\nX-Injected: yes\"\n"));
  EXPECT_EQ(injected.exit_code, 2) << injected.out << injected.err;
  EXPECT_NE((injected.out + injected.err).find("control character"), std::string::npos) << injected.out << injected.err;
  EXPECT_EQ(api_.Log().size(), before) << "no request carried the token";
  // A token to a plain-http server is sent as kubectl would, with a warning.
  WriteFile(dir_.File("kc-http"), "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster: {server: \"HTTP://127.0.0.1:1\"}\n"
                                  "contexts:\n- name: t\n  context: {cluster: t, user: u}\nusers:\n- name: u\n  user: {token: abc}\n");
  auto http = Canary("--timeout 2", dir_.File("kc-http"));
  EXPECT_EQ(http.exit_code, 3) << http.out << http.err;
  EXPECT_NE(http.err.find("the bearer token travels unencrypted"), std::string::npos) << http.err;
}

TEST_F(CanaryTest, MergedKubeconfigsContextsAndInsecureSkipTlsVerify) {
  Healthy();
  // First file: a context "other" pointing nowhere; second: the real one. KUBECONFIG merges.
  WriteFile(dir_.File("a"), "apiVersion: v1\nkind: Config\ncurrent-context: other\nclusters:\n- name: nowhere\n  cluster:\n"
                            "    server: https://127.0.0.1:1\ncontexts:\n- name: other\n  context: {cluster: nowhere, user: u}\n"
                            "users:\n- name: u\n  user:\n" + TokenUser());
  Kubeconfig(TokenUser(), "", "b");
  std::string env = "KUBECONFIG=" + dir_.File("a") + ":" + dir_.File("b");
  auto merged = RunShell("env -i PATH=/usr/bin:/bin " + env + " " + AEGIS_BIN + " canary --context test --poll-interval 0.05", dir_.path());
  EXPECT_EQ(merged.exit_code, 0) << merged.out << merged.err;
  auto current = RunShell("env -i PATH=/usr/bin:/bin " + env + " " + AEGIS_BIN + " canary --timeout 2", dir_.path());
  EXPECT_EQ(current.exit_code, 3) << "current-context 'other' points at a closed port: " << current.out << current.err;
  auto missing = RunShell("env -i PATH=/usr/bin:/bin " + env + " " + AEGIS_BIN + " canary --context nope", dir_.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("context \"nope\" not found"), std::string::npos) << missing.err;

  auto no_ca = Canary("", Kubeconfig(TokenUser(), "    certificate-authority-data: " + B64File(api_.File("rogue.pem")) + "\n"));
  EXPECT_EQ(no_ca.exit_code, 3) << "an API server the CA does not vouch for is not reached: " << no_ca.out;
  auto insecure = Canary("", Kubeconfig(TokenUser(), "    insecure-skip-tls-verify: true\n"));
  EXPECT_EQ(insecure.exit_code, 0) << insecure.out << insecure.err;
  EXPECT_NE(insecure.err.find("warning: TLS verification of the API server is OFF"), std::string::npos);
}

TEST_F(CanaryTest, InClusterServiceAccount) {
  Healthy();
  fs::create_directories(dir_.File("sa"));
  WriteFile(dir_.File("sa/token"), KubeApiServer::kToken);
  fs::copy_file(api_.File("ca.pem"), dir_.File("sa/ca.crt"));
  WriteFile(dir_.File("sa/namespace"), "aegis-canary");
  std::string port = api_.url().substr(api_.url().rfind(':') + 1);
  auto r = RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=" + port +
                        " AEGIS_SERVICE_ACCOUNT_DIR=" + dir_.File("sa") + " " + AEGIS_BIN + " canary",
                    dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto none = RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + AEGIS_BIN + " canary", dir_.path());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no cluster configured"), std::string::npos) << none.err;
}

TEST_F(CanaryTest, UnauthorizedForbiddenAndUnreachable) {
  Healthy();
  auto anonymous = Canary("", Kubeconfig("    {}\n"));
  EXPECT_EQ(anonymous.exit_code, 4) << anonymous.out;
  EXPECT_NE(anonymous.out.find("Unauthorized (HTTP 401)"), std::string::npos) << anonymous.out;
  auto forbidden = Canary("", Kubeconfig(std::string("    token: ") + KubeApiServer::kForbiddenToken + "\n"));
  EXPECT_EQ(forbidden.exit_code, 4);
  EXPECT_NE(forbidden.out.find("cannot list resource \"pods\""), std::string::npos) << forbidden.out;
  EXPECT_EQ(forbidden.out.find(KubeApiServer::kForbiddenToken), std::string::npos);
  WriteFile(dir_.File("closed"), "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n"
                                 "    server: https://127.0.0.1:1\ncontexts:\n- name: t\n  context: {cluster: t, user: u}\nusers:\n- name: u\n  user:\n" +
                                     TokenUser());
  auto closed = Canary("", dir_.File("closed"));
  EXPECT_EQ(closed.exit_code, 3) << closed.out;
  EXPECT_NE(closed.out.find("cannot reach the API server"), std::string::npos) << closed.out;
}

TEST_F(CanaryTest, ProbeThroughThePodProxy) {
  Healthy();
  auto r = Canary("--probe-path /v2/health/ready --probe-port 8000");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("readiness endpoint answered through the pod proxy"), std::string::npos) << r.out;
  EXPECT_EQ(api_.Count("GET", "/api/v1/namespaces/aegis-canary/pods/canary-positive:8000/proxy/v2/health/ready"), 1);
}

TEST_F(CanaryTest, ApplyCreatesTheThreeCanariesFromTheTemplatesAndCleansUp) {
  api_.AddConstraint(Constraint());
  api_.ready_after = 2;
  api_.audit_after = 3;
  auto r = Canary("--apply --artifact s3://models/good/model.tar.gz --tampered-artifact s3://models/tampered/model.tar.gz --timeout 30");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::vector<json> created;
  for (const auto& q : api_.Log()) {
    if (q.method == "POST") created.push_back(json::parse(q.body));
  }
  ASSERT_EQ(created.size(), 3u);
  std::map<std::string, json> by_role;
  for (const auto& p : created) by_role[p["metadata"]["labels"]["aegis/canary"]] = p;
  ASSERT_EQ(by_role.size(), 3u);
  EXPECT_NE(by_role["positive"].dump().find("s3://models/good/model.tar.gz"), std::string::npos);
  EXPECT_NE(by_role["tampered"].dump().find("s3://models/tampered/model.tar.gz"), std::string::npos);
  EXPECT_EQ(by_role["positive"]["spec"]["initContainers"][0]["name"], "verify-and-fetch");
  EXPECT_FALSE(by_role["violating"]["spec"].contains("initContainers"));
  EXPECT_EQ(api_.Count("DELETE", "/api/v1/namespaces/aegis-canary/pods/aegis-canary-"), 3) << "every created pod is deleted";
  EXPECT_NE(r.out.find("created: aegis-canary-positive-"), std::string::npos) << r.out;
  EXPECT_EQ(by_role["positive"]["spec"]["serviceAccountName"], "model-fetcher");  // the default
}

// The shipped constraints select workloads by namespace label: in a namespace without it the
// violating canary would never be reported, so --apply says so before creating anything.
TEST_F(CanaryTest, ApplyWhereNoConstraintSelectsTheCanariesFailsFirst) {
  json c = Constraint("aegis-signed-pod-enforce");
  c["spec"]["match"] = {{"kinds", {{{"apiGroups", {""}}, {"kinds", {"Pod"}}}}},
                        {"namespaceSelector", {{"matchLabels", {{"aegis.dev/model-serving", "true"}}}}}};
  api_.AddConstraint(c);
  api_.namespace_labels = {{"team", "ml"}};
  const std::string apply = "--apply --artifact s3://m/good.tar.gz --tampered-artifact s3://m/bad.tar.gz --timeout 30";
  auto r = Canary(apply);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("no AegisSignedPod constraint selects a Pod in namespace aegis-canary"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("kubectl label namespace aegis-canary aegis.dev/model-serving=true"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("in namespaces labelled aegis.dev/model-serving=true"), std::string::npos) << r.err;
  EXPECT_EQ(api_.Count("POST", "/api/v1/namespaces/aegis-canary/pods"), 0) << "nothing was created";
  // Labelled, the same constraint selects them and the canaries run.
  api_.namespace_labels = {{"aegis.dev/model-serving", "true"}};
  api_.audit_after = 1;
  r = Canary(apply);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(api_.Count("POST", "/api/v1/namespaces/aegis-canary/pods"), 3);
}

// The canaries' storage identity and settings are the adopter's, not fixed.
TEST_F(CanaryTest, ApplyUsesTheGivenServiceAccountAndStorageSecret) {
  api_.AddConstraint(Constraint());
  api_.ready_after = 1;
  api_.audit_after = 1;
  auto r = Canary("--apply --artifact s3://m/good.tgz --tampered-artifact s3://m/bad.tgz --timeout 30 "
                  "--service-account serving-models --env-from-secret s3-credentials");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  size_t posted = 0;
  for (const auto& q : api_.Log()) {
    if (q.method != "POST") continue;
    json pod = json::parse(q.body);
    EXPECT_EQ(pod["spec"]["serviceAccountName"], "serving-models");
    if (pod["metadata"]["labels"]["aegis/canary"] != "violating") {
      EXPECT_EQ(pod["spec"]["initContainers"][0]["envFrom"][0]["secretRef"]["name"], "s3-credentials") << pod.dump();
    }
    ++posted;
  }
  EXPECT_EQ(posted, 3u);
}

TEST_F(CanaryTest, ApplyWithGatekeeperDenyingTheViolatingPod) {
  api_.AddConstraint(Constraint());
  api_.deny_violating = true;
  auto r = Canary("--apply --artifact s3://m/good.tar.gz --tampered-artifact s3://m/bad.tar.gz --timeout 30");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("denied at admission: admission webhook \"validation.gatekeeper.sh\" denied the request"), std::string::npos) << r.out;
  EXPECT_EQ(api_.Count("DELETE", "/api/v1/namespaces/aegis-canary/pods/"), 2);
}

TEST_F(CanaryTest, ApplyDetectsABrokenVerifier) {
  api_.AddConstraint(Constraint());
  api_.tampered_passes = true;
  auto r = Canary("--apply --artifact s3://m/good.tar.gz --tampered-artifact s3://m/bad.tar.gz --timeout 30 --format json");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  json j = json::parse(r.out);
  EXPECT_EQ(j["criteria"][2]["verdict"], "FAIL");
  EXPECT_EQ(j["deleted"].size(), 3u);
}

TEST_F(CanaryTest, InterruptedApplyStillCleansUp) {
  // The pods never finish, so it would wait for the timeout; Ctrl-C (SIGINT) is delivered as
  // soon as the third canary exists, whatever the machine's speed.
  KubeApiServer slow;
  slow.AddConstraint(Constraint());
  slow.progress = false;
  slow.audit_after = 1000000;
  const std::string pid_file = dir_.File("canary.pid");
  slow.on_pod_created = [&](size_t n) {
    if (n == 3) ::kill(static_cast<pid_t>(std::stol(ReadFile(pid_file))), SIGINT);
  };
  WriteFile(dir_.File("kc-slow"), "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n    server: " +
                                      slow.url() + "\n    certificate-authority: " + slow.File("ca.pem") +
                                      "\ncontexts:\n- name: t\n  context: {cluster: t, user: u}\nusers:\n- name: u\n  user:\n" + TokenUser());
  // The shell writes its pid, which exec keeps, before the canary can reach the server.
  auto i = RunShell("sh -c 'echo $$ > " + pid_file + "; exec \"$0\" \"$@\"' " + std::string(AEGIS_BIN) + " canary --kubeconfig " +
                        dir_.File("kc-slow") +
                        " --apply --artifact s3://m/good.tar.gz --tampered-artifact s3://m/bad.tar.gz --timeout 600 --poll-interval 0.2",
                    dir_.path());
  EXPECT_EQ(i.exit_code, 130) << i.out << i.err;
  EXPECT_EQ(slow.Count("POST", "/api/v1/namespaces/aegis-canary/pods"), 3);
  EXPECT_EQ(slow.Count("DELETE", "/api/v1/namespaces/aegis-canary/pods/aegis-canary-"), 3) << "Ctrl-C still deletes the canaries";
  EXPECT_NE(i.out.find("interrupted: canaries cleaned up"), std::string::npos) << i.out;
}

// A hostile or broken API server cannot outlast --timeout: one that never answers, one that
// trickles a byte every 200 ms, one that streams an endless chunked body. Each run ends
// with exit 5 (timeout) soon after the 2 s deadline, not after curl's 60 s.
TEST_F(CanaryTest, HostileApiServerCannotOutlastTheTimeout) {
  Healthy();
  for (auto fault : {KubeApiServer::Fault::kHang, KubeApiServer::Fault::kTrickle, KubeApiServer::Fault::kEndlessChunks}) {
    api_.fault = fault;
    auto start = std::chrono::steady_clock::now();
    auto r = Canary("--timeout 2");
    auto took = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.exit_code, 5) << static_cast<int>(fault) << r.out << r.err;
    EXPECT_LT(took, 15) << "fault " << static_cast<int>(fault) << " held the canary " << took << " s";
    EXPECT_NE(r.out.find("did not answer before the deadline"), std::string::npos) << r.out;
  }
}

// Ctrl-C during a request to a server that never answers ends the run (exit 130) at once.
TEST_F(CanaryTest, CtrlCDuringASlowRequest) {
  Healthy();
  api_.fault = KubeApiServer::Fault::kHang;
  auto start = std::chrono::steady_clock::now();
  auto i = RunShell("timeout --preserve-status -s INT 1 " + std::string(AEGIS_BIN) + " canary --kubeconfig " + Kubeconfig(TokenUser()) +
                        " --timeout 600",
                    dir_.path());
  EXPECT_EQ(i.exit_code, 130) << i.out << i.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
}

// An exec plugin that closes its output and then sleeps (or leaves a child holding it) is
// stopped at the deadline with its whole process group: exit 5, and no child survives.
TEST_F(CanaryTest, HangingExecPluginIsStoppedWithItsChildren) {
  Healthy();
  WriteFile(dir_.File("plugin.sh"), "#!/bin/sh\nsleep 600 &\necho $! > child.pid\nexec >&-\nsleep 600\n");
  chmod(dir_.File("plugin.sh").c_str(), 0755);
  std::string exec = "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./plugin.sh\n";
  auto start = std::chrono::steady_clock::now();
  auto r = Canary("--timeout 2", Kubeconfig(exec));
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  EXPECT_NE(r.out.find("exec credential plugin: did not finish within"), std::string::npos) << r.out;
  std::string pid = RunShell("cat child.pid", dir_.path()).out;
  ASSERT_FALSE(pid.empty());
  auto alive = RunShell("for i in $(seq 50); do grep -qs '^State:.*[RS]' /proc/" + pid.substr(0, pid.find('\n')) +
                            "/status || exit 1; sleep 0.02; done; exit 0",
                        dir_.path());
  EXPECT_EQ(alive.exit_code, 1) << "the plugin's child outlived it";
}

// Terminal escapes and line breaks in what the cluster says (a pod's termination message,
// an API server's Status message) are shown escaped: a server cannot fake a PASS line.
TEST_F(CanaryTest, TerminalEscapesFromTheClusterAreShownEscaped) {
  api_.AddPod(PodWithStatus("canary-positive", "positive", true, 0, true));
  api_.AddPod(PodWithStatus("canary-tampered", "tampered", true, 5, false, "bad\x1b[2K\rPASS criterion 9 (fake)\nPASS criterion 8 (fake)"));
  api_.AddPod(PodWithStatus("canary-violating", "violating", false, 0, false));
  api_.AddConstraint(Constraint());
  auto r = Canary("--timeout 10");
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
  EXPECT_EQ(r.out.find("\nPASS criterion 8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\x1b[2K\\rPASS criterion 9 (fake)\\nPASS criterion 8"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace aegis::testing
