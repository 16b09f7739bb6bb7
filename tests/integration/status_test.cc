// `aegis status`: which pods it lists and what it says of each (status/served_model.h), read
// from pod objects shaped as the kubelet reports them (initContainerStatuses with the
// termination message, docs/VERIFIER.md); its three formats; and the command against the
// in-test API server (support/kube_api_server.h) for flags, exit codes and secrets. The real
// cluster's proof is tests/cluster (observe): real kubelet statuses, real Gatekeeper constraints.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "policy/constraint.h"
#include "status/served_model.h"
#include "status/status_report.h"
#include "support/kube_api_server.h"
#include "support/test_support.h"

namespace aegis::testing {
namespace {
using nlohmann::json;
using status::Describe;
using status::ServedModel;
using status::State;

constexpr const char* kDigest = "sha256:4f1c9a0e12b3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd";
constexpr const char* kFingerprint = "sha256:9a0e77665544332211ffeeddccbbaa99887766554433221100ffeeddccbbaa11";

std::vector<Constraint> Builtin() { return BuiltinConstraints()->constraints; }
const Labels kModelServing = {{"aegis.dev/model-serving", "true"}};

std::string Record(const std::string& artifact) {
  return json({{"artifact", artifact},
               {"digest", kDigest},
               {"format", "sigstore-bundle"},
               {"signature", artifact + ".sigstore.json"},
               {"signer", {{"key", "/etc/cosign/cosign.pub"}, {"keyFingerprint", kFingerprint}}},
               {"verified", true},
               {"verifiedAt", "2026-12-07T21:00:00Z"},
               {"version", 1}})
      .dump();
}

// A Deployment's pod (ReplicaSet resnet-5d8f7c6b9 with pod-template-hash 5d8f7c6b9) in namespace
// models, with the verifier render writes; `terminated` is its init container's state.
json Pod(const json& terminated, const std::string& verifier_name = "verify-and-fetch") {
  json pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata",
       {{"name", "resnet-5d8f7c6b9-x2x4q"},
        {"namespace", "models"},
        {"labels", {{"app", "resnet"}, {"pod-template-hash", "5d8f7c6b9"}}},
        {"ownerReferences", json::array({{{"apiVersion", "apps/v1"},
                                          {"kind", "ReplicaSet"},
                                          {"name", "resnet-5d8f7c6b9"},
                                          {"controller", true}}})}}},
      {"spec",
       {{"initContainers",
         json::array({{{"name", verifier_name},
                       {"image", "localhost/aegis/verify-and-fetch:0.1.0"},
                       {"args", json::array({"--key", "/etc/cosign/cosign.pub", "--anonymous",
                                             "s3://models/resnet/model.tar.gz", "/models"})},
                       {"volumeMounts",
                        json::array({{{"name", "cosign-public-key"}, {"mountPath", "/etc/cosign"}, {"readOnly", true}},
                                     {{"name", "model"}, {"mountPath", "/models"}}})}}})},
        {"containers",
         json::array(
             {{{"name", "server"},
               {"image", "tritonserver"},
               {"volumeMounts", json::array({{{"name", "model"}, {"mountPath", "/models"}, {"readOnly", true}}})}}})},
        {"volumes", json::array({{{"name", "cosign-public-key"}, {"secret", {{"secretName", "cosign-public-key"}}}},
                                 {{"name", "model"}, {"emptyDir", json::object()}}})}}},
      {"status", {{"phase", "Running"}, {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
  if (!terminated.is_null()) {
    pod["status"]["initContainerStatuses"] =
        json::array({{{"name", verifier_name}, {"state", {{"terminated", terminated}}}}});
  }
  return pod;
}

json Terminated(int code, const std::string& message) {
  return {{"exitCode", code}, {"reason", code == 0 ? "Completed" : "Error"}, {"message", message}};
}

TEST(StatusDescribe, AVerifiedPodShowsTheDigestAndSignerOfItsSuccessRecord) {
  auto m = Describe(Pod(Terminated(0, Record("s3://models/resnet/model.tar.gz"))), kModelServing, Builtin());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->state, State::kVerified);
  EXPECT_EQ(m->workload, "Deployment/resnet");
  EXPECT_EQ(m->model, "s3://models/resnet/model.tar.gz");
  EXPECT_EQ(m->digest, kDigest);
  EXPECT_EQ(m->signer.value("keyFingerprint", ""), kFingerprint);
  EXPECT_EQ(m->verified_at, "2026-12-07T21:00:00Z");
  EXPECT_TRUE(m->ready);
  EXPECT_EQ(status::SignerText(m->signer), std::string("key ") + kFingerprint);
  ASSERT_EQ(m->constraints.size(), 1U);
  EXPECT_EQ(m->constraints[0], "aegis-signed-pod-enforce");
}

TEST(StatusDescribe, AFailedVerifierShowsItsExitCodeAndReason) {
  auto m = Describe(
      Pod(Terminated(5, "s3://models/resnet/model.tar.gz: signature does not verify\nwith key /etc/cosign/cosign.pub")),
      kModelServing, Builtin());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->state, State::kFailed);
  EXPECT_EQ(m->exit_code, 5);
  EXPECT_EQ(m->reason, "s3://models/resnet/model.tar.gz: signature does not verify with key /etc/cosign/cosign.pub");
  EXPECT_EQ(m->model, "s3://models/resnet/model.tar.gz") << "from the verifier's first positional argument";
  json pod = Pod(Terminated(3, "not found"));
  pod["spec"]["initContainers"][0]["args"] =
      json::array({"--key=/etc/cosign/cosign.pub", "--", "-odd-name.tgz", "/models"});
  EXPECT_EQ(Describe(pod, kModelServing, Builtin())->model, "-odd-name.tgz")
      << "after --, every argument is positional";
  EXPECT_TRUE(m->digest.empty());
}

TEST(StatusDescribe, ARestartingVerifierShowsItsLastFailure) {
  json pod = Pod(nullptr);
  pod["status"]["initContainerStatuses"] =
      json::array({{{"name", "verify-and-fetch"},
                    {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}},
                    {"lastState", {{"terminated", Terminated(3, "artifact not found")}}}}});
  auto m = Describe(pod, kModelServing, Builtin());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->state, State::kFailed);
  EXPECT_EQ(m->exit_code, 3);
  EXPECT_EQ(m->reason, "artifact not found");
}

TEST(StatusDescribe, AVerifierStillRunningIsVerifying) {
  json pod = Pod(nullptr);
  EXPECT_EQ(Describe(pod, kModelServing, Builtin())->state, State::kVerifying) << "no status yet";
  pod["status"]["initContainerStatuses"] =
      json::array({{{"name", "verify-and-fetch"}, {"state", {{"running", {{"startedAt", "x"}}}}}}});
  EXPECT_EQ(Describe(pod, kModelServing, Builtin())->state, State::kVerifying);
}

// Attack: a success record written by an initContainer the policy does not accept as the
// verifier (another name, another image) is not taken for a verified model.
TEST(StatusDescribe, ASuccessRecordFromAnotherContainerIsNotTrusted) {
  json pod = Pod(Terminated(0, Record("s3://models/resnet/model.tar.gz")), "fetch");
  pod["spec"]["initContainers"][0]["image"] = "busybox";
  auto m = Describe(pod, kModelServing, Builtin());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->state, State::kNoVerifier);
  EXPECT_TRUE(m->digest.empty());
  // Mutation: the same container under the verifier's name and image is believed.
  EXPECT_EQ(Describe(Pod(Terminated(0, Record("s3://m/a.tgz"))), kModelServing, Builtin())->state, State::kVerified);
}

// Bad input is absent, never a crash: a record whose fields have other types, an owner whose
// controller is not a boolean, a message that is not JSON.
TEST(StatusDescribe, MalformedStatusesAreReadAsAbsent) {
  for (const std::string& message : {std::string(R"({"verified":"yes","digest":7,"signer":[1]})"),
                                     std::string("{not json"), std::string(R"([1,2])")}) {
    json pod = Pod(Terminated(0, message));
    pod["metadata"]["ownerReferences"][0]["controller"] = "true";
    auto m = Describe(pod, kModelServing, Builtin());
    ASSERT_TRUE(m.has_value()) << message;
    EXPECT_EQ(m->state, State::kVerified) << "the verifier exited 0";
    EXPECT_TRUE(m->digest.empty()) << message;
    EXPECT_EQ(m->workload, "Pod/resnet-5d8f7c6b9-x2x4q") << "no controller: the pod itself";
  }
}

TEST(StatusDescribe, OnlyPodsThePolicySelectsAreListed) {
  json pod = Pod(Terminated(0, Record("s3://models/resnet/model.tar.gz")));
  EXPECT_FALSE(Describe(pod, Labels{}, Builtin()).has_value()) << "a namespace without aegis.dev/model-serving=true";
  pod["metadata"]["namespace"] = "kube-system";
  EXPECT_FALSE(Describe(pod, kModelServing, Builtin()).has_value()) << "kube-* is excluded";
}

// KServe's predictor pod in a namespace no constraint selects by label: selected through the
// InferenceService it serves (the shipped constraint selects InferenceServices everywhere). The
// verifier render put in the component's initContainers is the pod's.
TEST(StatusDescribe, AKServePodIsSelectedThroughItsInferenceService) {
  json pod = Pod(Terminated(0, Record("s3://models/resnet/model.tar.gz")));
  pod["metadata"]["labels"] = {{"serving.kserve.io/inferenceservice", "resnet"}, {"component", "predictor"}};
  pod["metadata"]["ownerReferences"] =
      json::array({{{"kind", "ReplicaSet"}, {"name", "resnet-predictor-7f9c"}, {"controller", true}}});
  auto m = Describe(pod, Labels{}, Builtin());
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->workload, "InferenceService/resnet");
  EXPECT_EQ(m->component, "predictor");
  EXPECT_EQ(m->constraints, std::vector<std::string>{"aegis-kserve-enforce"});
  EXPECT_EQ(m->state, State::kVerified);
}

ServedModel Verified() {
  return *Describe(Pod(Terminated(0, Record("s3://models/resnet/model.tar.gz"))), kModelServing, Builtin());
}

TEST(StatusReport, TheTableShortensDigestsAndNamesTheColumns) {
  ServedModel failed = Verified();
  failed.pod = "resnet-5d8f7c6b9-bad00";
  failed.state = State::kFailed;
  failed.exit_code = 5;
  failed.reason = "signature does not verify";
  failed.digest.clear();
  failed.signer = json::object();
  std::string t = status::TableText({Verified(), failed}, true);
  EXPECT_EQ(t.substr(0, t.find('\n')).find("NAMESPACE   POD"), 0U) << t;
  EXPECT_NE(t.find("Verified"), std::string::npos) << t;
  EXPECT_NE(t.find("sha256:4f1c9a0e12b3 "), std::string::npos) << t;
  EXPECT_EQ(t.find(kDigest), std::string::npos) << "shortened in the table";
  EXPECT_NE(t.find("key sha256:9a0e77665544"), std::string::npos) << t;
  EXPECT_NE(t.find("Failed(5)"), std::string::npos) << t;
  EXPECT_NE(t.find("signature does not verify"), std::string::npos) << t;
  EXPECT_EQ(status::TableText({Verified()}, false).find("NAMESPACE"), std::string::npos)
      << "one namespace: no column for it";
}

TEST(StatusReport, JsonHasEveryFieldWhole) {
  json j = json::parse(status::JsonList({Verified()}, {"w"}));
  EXPECT_EQ(j["kind"], "ModelStatusList");
  ASSERT_EQ(j["items"].size(), 1U);
  const json& i = j["items"][0];
  EXPECT_EQ(i["digest"], kDigest);
  EXPECT_EQ(i["signer"]["keyFingerprint"], kFingerprint);
  EXPECT_EQ(i["state"], "Verified");
  EXPECT_EQ(i["workload"], "Deployment/resnet");
  EXPECT_EQ(j["warnings"][0], "w");
  EXPECT_EQ(json::parse(status::JsonItem(Verified())), i);
}

TEST(StatusReport, PrometheusLabelValuesAreEscaped) {
  ServedModel m = Verified();
  m.model = "s3://b/a\"b\\c\nd";
  std::string p = status::PrometheusText({m});
  EXPECT_NE(p.find("# TYPE aegis_model_verified gauge\n"), std::string::npos) << p;
  EXPECT_NE(p.find(R"(model="s3://b/a\"b\\c\nd")"), std::string::npos) << p;
  EXPECT_NE(p.find("state=\"Verified\"} 1\n"), std::string::npos) << p;
  EXPECT_NE(p.find("aegis_model_verified_timestamp_seconds{"), std::string::npos) << p;
  EXPECT_NE(p.find("} 1796677200\n"), std::string::npos) << "2026-12-07T21:00:00Z as Unix time\n" << p;
}

// The command against the in-test API server: flags, formats, exit codes, no secrets.
class StatusCommandTest : public ::testing::Test {
 protected:
  std::string Kubeconfig(const std::string& token) {
    WriteFile(dir_.File("kubeconfig"),
              "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n    server: " +
                  api_.url() + "\n    certificate-authority: " + api_.File("ca.pem") +
                  "\ncontexts:\n- name: t\n  context: {cluster: t, user: u}\nusers:\n- name: u\n  user:\n    token: " +
                  token + "\n");
    return dir_.File("kubeconfig");
  }
  RunResult Status(const std::string& args, const std::string& token = KubeApiServer::kToken) {
    return RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + AEGIS_BIN + " status --kubeconfig " +
                        Kubeconfig(token) + " " + args,
                    dir_.path());
  }
  TempDir dir_;
  KubeApiServer api_;
};

TEST_F(StatusCommandTest, ListsTheNamespacesModelPodsInEachFormat) {
  api_.AddPod(PodWithStatus("positive", "positive", true, 0, true, Record("s3://m/good.tar.gz")));
  api_.AddPod(PodWithStatus("tampered", "tampered", true, 5, false, "s3://m/bad.tar.gz: signature does not verify"));
  api_.AddPod(PodWithStatus("violating", "violating", false, 0, false));
  auto table = Status("-n aegis-canary");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.err.find("the cluster has no AegisSignedPod constraint"), std::string::npos) << table.err;
  EXPECT_NE(table.out.find("positive"), std::string::npos);
  EXPECT_NE(table.out.find("sha256:4f1c9a0e12b3"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Failed(5)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("NoVerifier"), std::string::npos) << table.out;
  auto j = Status("-n aegis-canary -o json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json list = json::parse(j.out);
  ASSERT_EQ(list["items"].size(), 3U) << j.out;
  auto prom = Status("-n aegis-canary -o prometheus");
  ASSERT_EQ(prom.exit_code, 0) << prom.err;
  EXPECT_NE(prom.out.find("aegis_model_verifier_exit_code{"), std::string::npos) << prom.out;
  for (const auto* r : {&table, &j, &prom}) EXPECT_EQ((r->out + r->err).find(KubeApiServer::kToken), std::string::npos);
}

TEST_F(StatusCommandTest, ExitCodesSayWhatWentWrong) {
  auto forbidden = Status("-n aegis-canary", KubeApiServer::kForbiddenToken);
  EXPECT_EQ(forbidden.exit_code, 4) << forbidden.err;
  EXPECT_EQ(forbidden.err.find(KubeApiServer::kForbiddenToken), std::string::npos);
  auto both = Status("-A -n aegis-canary");
  EXPECT_EQ(both.exit_code, 2) << both.err;
  auto watch_prom = Status("-n aegis-canary --watch -o prometheus");
  EXPECT_EQ(watch_prom.exit_code, 2) << watch_prom.err;
  auto empty = RunShell(
      "env -i PATH=/usr/bin:/bin " + std::string(AEGIS_BIN) + " status --kubeconfig /dev/null 2>&1; echo rc=$?",
      dir_.path());
  EXPECT_NE(empty.out.find("rc=2"), std::string::npos) << "an empty kubeconfig is a configuration error: " << empty.out;
  WriteFile(dir_.File("closed"),
            "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster: {server: "
            "'https://127.0.0.1:1'}\ncontexts:\n- name: t\n  context: {cluster: t, user: u}\nusers:\n- name: u\n  "
            "user: {}\n");
  auto closed = RunShell(
      "env -i PATH=/usr/bin:/bin " + std::string(AEGIS_BIN) + " status --kubeconfig closed --request-timeout 5s",
      dir_.path());
  EXPECT_EQ(closed.exit_code, 3) << closed.err;
}

}  // namespace
}  // namespace aegis::testing
