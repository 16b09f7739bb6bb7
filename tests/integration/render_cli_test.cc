// `aegis render` as users run it: --in-place keeps everything else byte-for-byte (and the
// file mode), --diff is a pre-commit check, conflicts write nothing, templates are the
// shipped manifests, and real producers' output renders through stdin.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "yaml/reader.h"
#include "yaml/to_json.h"

namespace aegis {
namespace {

using testing::ReadFile;
using testing::RunAegis;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kBare =
    "# keep me\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p   # and me\n  namespace: models\nspec:\n"
    "  containers:\n  - name: s\n    image: 's:1'\n";

TEST(RenderCli, InPlaceWritesExactlyWhatStdoutShowsAndKeepsTheMode) {
  TempDir d;
  WriteFile(d.File("pod.yaml"), kBare);
  chmod(d.File("pod.yaml").c_str(), 0640);
  auto shown = RunAegis("render --artifact s3://m/a.tgz pod.yaml", d.path());
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  auto r = RunAegis("render --in-place --artifact s3://m/a.tgz pod.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(d.File("pod.yaml")), shown.out);
  EXPECT_NE(shown.out.find("# keep me\n"), std::string::npos);
  EXPECT_NE(shown.out.find("  name: p   # and me\n"), std::string::npos);
  EXPECT_NE(shown.out.find("    image: 's:1'\n"), std::string::npos);
  struct stat st {};
  stat(d.File("pod.yaml").c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' pod.yaml", d.path()).exit_code, 0);
}

// The parsed objects of a YAML text, with what render injects removed (initContainers,
// volumes, volumeMounts), so that input and output must then be equal.
nlohmann::json WithoutInjection(const std::string& text) {
  auto docs = yaml::ReadAll("t", text);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().Describe());
  if (!docs.ok() || docs->empty()) return nullptr;
  nlohmann::json j = yaml::ToJson(docs->front().root());
  j["spec"].erase("initContainers");
  j["spec"].erase("volumes");
  for (auto& c : j["spec"]["containers"]) c.erase("volumeMounts");
  return j;
}

// libyaml counts CR, NEL (U+0085), LS (U+2028) and PS (U+2029) as line breaks; render's
// edits must land where the parser's marks say, whatever breaks the file uses. The oracle
// compares parsed trees, not text: the output is the input plus exactly the injection.
TEST(RenderCli, EditsLandRightWithEveryLineBreakLibyamlCounts) {
  const std::string body =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    note: \"a@LS@b@PS@c\"   # x\n"
      "    other: 'd@NEL@e'\nspec:\n  containers:\n  - name: s\n    image: 's:1'\n    args: [\"--x\"]\n";
  auto replace_all = [](std::string s, const std::string& from, const std::string& to) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    return s;
  };
  auto with_breaks = [&](const std::string& eol) {
    std::string t = replace_all(replace_all(replace_all(body, "@LS@", "\xE2\x80\xA8"), "@PS@", "\xE2\x80\xA9"), "@NEL@", "\xC2\x85");
    return replace_all(t, "\n", eol);
  };
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    SCOPED_TRACE(eol == "\r" ? "CR" : eol == "\n" ? "LF" : "CRLF");
    TempDir d;
    std::string in = with_breaks(eol);
    WriteFile(d.File("pod.yaml"), in);
    auto r = RunAegis("render --artifact s3://m/a.tgz pod.yaml", d.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(WithoutInjection(r.out), WithoutInjection(in)) << r.out;
    auto docs = yaml::ReadAll("out", r.out);
    ASSERT_TRUE(docs.ok());
    nlohmann::json out = yaml::ToJson(docs->front().root());
    EXPECT_EQ(out["spec"]["initContainers"][0]["name"], "verify-and-fetch") << r.out;
    EXPECT_EQ(out["spec"]["containers"].size(), 1u);
    WriteFile(d.File("out.yaml"), r.out);
    EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' out.yaml", d.path()).exit_code, 0);
  }
}

// The stream splitter counts lines as the parser does: positions do not depend on -j.
TEST(RenderCli, LintPositionsDoNotDependOnTheSplit) {
  TempDir d;
  std::string text;
  for (int i = 0; i < 16000; ++i) {
    text += "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p" + std::to_string(i) +
            "\n  annotations: {a: \"x \xE2\x80\xA8 y \xC2\x85 z\"}\nspec:\n  containers:\n  - name: s\n    image: s\n";
  }
  ASSERT_GT(text.size(), 2u << 20);
  WriteFile(d.File("big.yaml"), text);
  auto one = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' -j 1 -f json big.yaml", d.path());
  auto two = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' -j 2 -f json big.yaml", d.path());
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(one.out, two.out);
  // Each document is 12 lines as libyaml counts them (10 LF, and LS and NEL inside the quoted
  // annotation): the last pod's finding is 12 * 15999 lines after the first one's.
  nlohmann::json j = nlohmann::json::parse(one.out);
  int64_t first = -1, last = -1;
  for (const auto& f : j["findings"]) {
    if (f["name"] == "p0") first = f["line"];
    if (f["name"] == "p15999") last = f["line"];
  }
  ASSERT_GT(first, 0) << one.out.substr(0, 2000);
  EXPECT_EQ(last, first + 12 * 15999);
}

// An anchor on an ancestor of the pod spec (or on the object) is shared by its aliases: an
// edit there would be injected once per alias (duplicate keys). Render refuses and writes
// nothing.
TEST(RenderCli, AnchoredAncestorsAreRefused) {
  TempDir d;
  const std::string shared =
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: a}\n  spec:\n"
      "    template: &t\n      spec:\n        containers:\n        - {name: s, image: s}\n"
      "- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b}\n  spec:\n    template: *t\n";
  const std::string whole =
      "apiVersion: v1\nkind: List\nitems:\n- &pod\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n"
      "  spec:\n    containers:\n    - {name: s, image: s}\n- *pod\n";
  for (const std::string& text : {shared, whole}) {
    WriteFile(d.File("list.yaml"), text);
    auto r = RunAegis("render -i --artifact s3://m/a.tgz list.yaml", d.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("has an anchor"), std::string::npos) << r.err;
    EXPECT_EQ(ReadFile(d.File("list.yaml")), text) << "nothing written";
  }
}

// --diff is built from render's own edits (linear memory). Its correctness oracle is the real
// `patch`: applied to a copy of the inputs it gives exactly what render writes, for files with
// and without a final line break, CR LF, flow style, KServe storageUri moves, and 3,000
// workloads in one file.
TEST(RenderCli, DiffAppliesWithPatchToExactlyTheRenderedFiles) {
  TempDir d;
  std::filesystem::create_directories(d.File("a"));
  WriteFile(d.File("a/bare.yaml"), kBare);
  WriteFile(d.File("a/noeol.yaml"), std::string(kBare).substr(0, std::string(kBare).size() - 1));
  std::string crlf;
  for (char c : std::string(kBare)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  WriteFile(d.File("a/crlf.yaml"), crlf);
  WriteFile(d.File("a/flow.json"), R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": [{"name": "s", "image": "s"}]}})");
  WriteFile(d.File("a/isvc.yaml"), "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: m\nspec:\n"
                                   "  predictor:\n    model:\n      modelFormat: {name: onnx}\n      storageUri: s3://b/m.tgz\n"
                                   "      args: [--x]\n");
  std::string many;
  for (int i = 0; i < 3000; ++i) {
    many += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d" + std::to_string(i) +
            "  # keep\nspec:\n  template:\n    spec:\n      containers:\n      - name: s\n        image: s\n";
  }
  WriteFile(d.File("a/many.yaml"), many);
  const std::string files = "a/bare.yaml a/noeol.yaml a/crlf.yaml a/flow.json a/isvc.yaml a/many.yaml";
  auto diff = RunAegis("render --diff --artifact s3://m/a.tgz " + files, d.path());
  ASSERT_EQ(diff.exit_code, 1) << diff.err;
  WriteFile(d.File("render.patch"), diff.out);
  auto copy = testing::RunShell("mkdir b && cp -r a/. b/ && patch -s -p2 -d b < render.patch", d.path());
  ASSERT_EQ(copy.exit_code, 0) << copy.out << copy.err;
  ASSERT_EQ(RunAegis("render -i --artifact s3://m/a.tgz " + files, d.path()).exit_code, 0);
  for (const char* f : {"bare.yaml", "noeol.yaml", "crlf.yaml", "flow.json", "isvc.yaml", "many.yaml"}) {
    EXPECT_EQ(ReadFile(d.File(std::string("b/") + f)), ReadFile(d.File(std::string("a/") + f))) << f;
  }
}

TEST(RenderCli, DiffIsAPreCommitCheck) {
  TempDir d;
  WriteFile(d.File("pod.yaml"), kBare);
  auto diff = RunAegis("render --diff --artifact s3://m/a.tgz pod.yaml", d.path());
  EXPECT_EQ(diff.exit_code, 1);
  EXPECT_TRUE(diff.out.starts_with("--- a/pod.yaml\n+++ b/pod.yaml\n@@ ")) << diff.out;
  EXPECT_EQ(ReadFile(d.File("pod.yaml")), kBare);  // --diff writes nothing
  // Applying the diff's result makes the check pass, also without --artifact.
  ASSERT_EQ(RunAegis("render -i --artifact s3://m/a.tgz pod.yaml", d.path()).exit_code, 0);
  auto clean = RunAegis("render --diff pod.yaml", d.path());
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out, "");
}

TEST(RenderCli, ConflictsWriteNothingAnywhere) {
  TempDir d;
  std::string clash =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: clash}\nspec:\n  containers: [{name: s}]\n  volumes:\n"
      "  - name: cosign-public-key\n    emptyDir: {}\n";
  WriteFile(d.File("a-fine.yaml"), kBare);
  WriteFile(d.File("b-clash.yaml"), clash);
  auto r = RunAegis("render -i --artifact s3://m/a.tgz a-fine.yaml b-clash.yaml", d.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("b-clash.yaml:7:5: error: Pod default/clash: volume cosign-public-key already exists"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(ReadFile(d.File("a-fine.yaml")), kBare);  // all or nothing
  EXPECT_EQ(ReadFile(d.File("b-clash.yaml")), clash);
  for (const auto& e : std::filesystem::directory_iterator(d.path())) {
    EXPECT_EQ(e.path().string().find(".aegis-tmp"), std::string::npos) << "temp file left: " << e.path();
  }
}

// What --in-place means for links and owners (docs/RENDER.md, "In place"): a symlinked
// manifest or one with other hard links is refused, with every file of the run untouched
// and no temporary left; the owner and group of a rewritten file are kept.
TEST(RenderCli, InPlaceRefusesLinksAllOrNothingAndKeepsTheOwner) {
  TempDir d;
  WriteFile(d.File("a.yaml"), kBare);
  WriteFile(d.File("target.yaml"), kBare);
  std::filesystem::create_symlink("target.yaml", d.File("b-link.yaml"));
  auto linked = RunAegis("render -i --artifact s3://m/a.tgz a.yaml b-link.yaml", d.path());
  EXPECT_EQ(linked.exit_code, 2) << linked.err;
  EXPECT_NE(linked.err.find("b-link.yaml: error: is a symbolic link: --in-place never writes through links"), std::string::npos)
      << linked.err;
  EXPECT_NE(linked.err.find("no file was rewritten"), std::string::npos) << linked.err;
  EXPECT_EQ(ReadFile(d.File("a.yaml")), kBare) << "the first file was rewritten although the second was refused";
  EXPECT_EQ(ReadFile(d.File("target.yaml")), kBare);
  EXPECT_TRUE(std::filesystem::is_symlink(d.File("b-link.yaml")));

  std::filesystem::remove(d.File("b-link.yaml"));
  std::filesystem::create_hard_link(d.File("target.yaml"), d.File("b-hard.yaml"));
  auto hard = RunAegis("render -i --artifact s3://m/a.tgz a.yaml b-hard.yaml", d.path());
  EXPECT_EQ(hard.exit_code, 2) << hard.err;
  EXPECT_NE(hard.err.find("b-hard.yaml: error: has 2 hard links"), std::string::npos) << hard.err;
  EXPECT_EQ(ReadFile(d.File("a.yaml")), kBare);
  for (const auto& e : std::filesystem::directory_iterator(d.path())) {
    EXPECT_EQ(e.path().string().find(".aegis-tmp"), std::string::npos) << "temp file left: " << e.path();
  }

  if (::geteuid() == 0) {  // only root can give a file away; CI runs as root
    ASSERT_EQ(::chown(d.File("a.yaml").c_str(), 65534, 65534), 0);
    auto owned = RunAegis("render -i --artifact s3://m/a.tgz a.yaml", d.path());
    ASSERT_EQ(owned.exit_code, 0) << owned.err;
    struct stat st {};
    ASSERT_EQ(::stat(d.File("a.yaml").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, 65534u);
    EXPECT_NE(ReadFile(d.File("a.yaml")), kBare);
  }
}

// Render output must serve the verified model, or render refuses with file:line and why
// (issue 14, found on real public manifests): a URL as Triton's model store would become a
// mount path; a scheme the verifier cannot fetch fails every pod start; storage:/
// STORAGE_URI make KServe download the model again, unverified; a volume mounted under the
// model directory shadows the verified copy. An explainer verifies its own model.
TEST(RenderCli, OutputServesTheVerifiedModelOrIsRefused) {
  TempDir d;
  auto refused = [&](const std::string& name, const std::string& yaml, const std::string& expect) {
    WriteFile(d.File(name), yaml);
    auto r = RunAegis("render " + name, d.path());
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.out << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << name << ": " << r.err;
  };
  refused("triton.yaml",
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: t, annotations: {aegis/artifact-uri: 's3://m/a.tgz'}}\n"
          "spec:\n  template:\n    spec:\n      containers:\n      - name: triton\n        image: nvcr.io/nvidia/tritonserver:24.01-py3\n"
          "        args: [tritonserver, --model-store=gs://bucket/repo]\n",
          "triton.yaml:10:30: error: Deployment default/t: --model-store \"gs://bucket/repo\" is not an absolute path in the pod");
  refused("hdfs.yaml",
          "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: g}\nspec:\n  predictor:\n"
          "    sklearn:\n      storageUri: hdfs://namenode/models/iris\n",
          "hdfs.yaml:7:19: error: InferenceService default/g: storageUri \"hdfs://namenode/models/iris\": "
          "verify-and-fetch fetches s3://, gs://, hf://, oci://, https://, http:// and file:// URIs (and pvc:// claims) only");
  // A Hugging Face model at a branch (here main, implied) moves between pod starts.
  refused("hf.yaml",
          "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: g}\nspec:\n  predictor:\n"
          "    huggingface:\n      storageUri: hf://facebook/opt-125m\n",
          "hf.yaml:7:19: error: InferenceService default/g: storageUri \"hf://facebook/opt-125m\": the revision is not a commit");
  refused("storage.yaml",
          "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: s, annotations: {aegis/artifact-uri: 's3://m/a.tgz'}}\n"
          "spec:\n  predictor:\n    model:\n      modelFormat: {name: sklearn}\n      storage: {key: localMinIO, path: sklearn/model.joblib}\n",
          "storage.yaml:8:16: error: InferenceService default/s: storage makes KServe download the model itself, unverified");
  refused("env.yaml",
          "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: e, annotations: {aegis/artifact-uri: 's3://m/a.tgz'}}\n"
          "spec:\n  predictor:\n    sklearn: {}\n  transformer:\n    containers:\n    - name: t\n      image: t:1\n      env:\n      - name: STORAGE_URI\n        value: s3://m/t\n",
          "env.yaml:12:9: error: InferenceService default/e: env STORAGE_URI makes KServe inject its storage-initializer");
  refused("shadow.yaml",
          "apiVersion: v1\nkind: Pod\nmetadata: {name: tf, annotations: {aegis/artifact-uri: 's3://m/a.tgz'}}\nspec:\n  containers:\n"
          "  - name: serving\n    image: tensorflow/serving\n    volumeMounts:\n    - {name: pvc, mountPath: /models/my_model}\n"
          "  volumes:\n  - {name: pvc, persistentVolumeClaim: {claimName: c}}\n",
          "shadow.yaml:9:7: error: Pod default/tf: a volume is mounted at /models/my_model, under the verified model directory /models");
  WriteFile(d.File("pod.yaml"), kBare);
  auto bad_flag = RunAegis("render --artifact hdfs://nn/model pod.yaml", d.path());
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_NE(bad_flag.err.find("--artifact \"hdfs://nn/model\": verify-and-fetch fetches"), std::string::npos) << bad_flag.err;
  // Pinned, or allowed to move: the verifier is given the URI (and, unpinned, told so).
  const std::string commit(40, 'a');
  auto pinned = RunAegis("render --allow-unpinned --artifact hf://org/model:" + commit + " pod.yaml", d.path());
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_NE(pinned.out.find("args: [\"hf://org/model:" + commit + "\", \"/models\"]"), std::string::npos) << pinned.out;
  EXPECT_EQ(pinned.out.find("--allow-unpinned-revision"), std::string::npos);
  // A modelcar image or an OCI artifact, by digest.
  const std::string oci = "oci://ghcr.io/org/modelcar@sha256:" + std::string(64, 'b');
  auto car = RunAegis("render --allow-unpinned --artifact " + oci + " pod.yaml", d.path());
  ASSERT_EQ(car.exit_code, 0) << car.err;
  EXPECT_NE(car.out.find("args: [\"" + oci + "\", \"/models\"]"), std::string::npos) << car.out;
  auto moving = RunAegis("render --allow-unpinned --allow-unpinned-revision --artifact hf://org/model pod.yaml", d.path());
  ASSERT_EQ(moving.exit_code, 0) << moving.err;
  EXPECT_NE(moving.out.find("args: [\"--allow-unpinned-revision\", \"hf://org/model\", \"/models\"]"), std::string::npos) << moving.out;
  EXPECT_NE(moving.err.find("is not pinned to a commit"), std::string::npos) << moving.err;

  WriteFile(d.File("explainer.yaml"),
            "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: x}\nspec:\n  predictor:\n"
            "    sklearn:\n      storageUri: s3://m/predictor.tgz\n  explainer:\n    alibi:\n      type: AnchorTabular\n"
            "      storageUri: s3://m/explainer.tgz\n");
  auto r = RunAegis("render explainer.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t explainer = r.out.find("  explainer:");
  ASSERT_NE(explainer, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("s3://m/explainer.tgz", explainer), std::string::npos) << "the explainer verifies its own model\n" << r.out;
  EXPECT_EQ(r.out.find("s3://m/predictor.tgz", explainer), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("seccompProfile: {type: RuntimeDefault}"), std::string::npos) << "Pod Security restricted" << r.out;
  // Notes sit at the line they talk about: the explainer's storageUri (line 11).
  EXPECT_NE(r.err.find("explainer.yaml:11:19: note: InferenceService default/x: storageUri s3://m/explainer.tgz moved"),
            std::string::npos)
      << r.err;

  WriteFile(d.File("knative.yaml"), "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec:\n  template:\n"
                                    "    spec:\n      containers:\n      - image: s\n");
  auto kn = RunAegis("render --artifact s3://m/a.tgz knative.yaml", d.path());
  ASSERT_EQ(kn.exit_code, 0) << kn.err;
  EXPECT_NE(kn.err.find("knative.yaml:7:7: note: Service default/k: Knative Serving accepts initContainers only with the feature "
                        "flag kubernetes.podspec-init-containers: enabled"),
            std::string::npos)
      << kn.err;
}

// OpenShift's restricted SCC assigns each namespace a UID range and refuses a fixed runAsUser
// outside it: --no-run-as-user leaves it out (the image's numeric USER keeps runAsNonRoot true).
TEST(RenderCli, NoRunAsUserForNamespacesThatAssignUids) {
  TempDir d;
  WriteFile(d.File("pod.yaml"), kBare);
  auto fixed = RunAegis("render --artifact s3://m/a.tgz pod.yaml", d.path());
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("runAsUser: 65532"), std::string::npos) << fixed.out;
  auto assigned = RunAegis("render --artifact s3://m/a.tgz --no-run-as-user pod.yaml", d.path());
  ASSERT_EQ(assigned.exit_code, 0) << assigned.err;
  EXPECT_EQ(assigned.out.find("runAsUser"), std::string::npos) << assigned.out;
  EXPECT_NE(assigned.out.find("runAsNonRoot: true"), std::string::npos) << assigned.out;
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' -", d.path(), assigned.out).exit_code, 0);
}

TEST(RenderCli, EveryKindOfConflictLeavesTheFileUntouched) {
  const std::pair<const char*, const char*> cases[] = {
      {"mount path /models in container s is taken by volume scratch",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers:\n  - name: s\n    volumeMounts:\n"
       "    - {name: scratch, mountPath: /models}\n  volumes:\n  - {name: scratch, emptyDir: {}}\n"},
      {"volume cosign-public-key already exists with another source",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: v}\nspec:\n  containers: [{name: s}]\n  volumes:\n"
       "  - {name: cosign-public-key, configMap: {name: x}}\n"},
      {"has an anchor",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: &shared\n  containers: [{name: s}]\n"},
      {"volumes is not a list", "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers: []\n  volumes: 3\n"},
  };
  for (const auto& [why, text] : cases) {
    TempDir d;
    WriteFile(d.File("pod.yaml"), text);
    auto r = RunAegis("render -i --artifact s3://m/a.tgz pod.yaml", d.path());
    EXPECT_EQ(r.exit_code, 2) << why;
    EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pod.yaml:"), std::string::npos) << r.err;
    EXPECT_EQ(ReadFile(d.File("pod.yaml")), text) << why;
  }
}

TEST(RenderCli, UsageErrors) {
  TempDir d;
  WriteFile(d.File("pod.yaml"), kBare);
  EXPECT_EQ(RunAegis("render -i --artifact s3://m/a.tgz -", d.path(), kBare).exit_code, 2);
  EXPECT_EQ(RunAegis("render -i --diff --artifact s3://m/a.tgz pod.yaml", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("render", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("render --template helm --artifact x", d.path()).exit_code, 2);
  EXPECT_EQ(RunAegis("render --template pod", d.path()).exit_code, 2);  // needs --artifact
  auto bad = RunAegis("render --artifact s3://m/a.tgz --init-name fetch pod.yaml", d.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("does not match /verify/"), std::string::npos);
  EXPECT_EQ(ReadFile(d.File("pod.yaml")), kBare);
}

TEST(RenderCli, UnpinnedImageWarnsPinnedDoesNot) {
  TempDir d;
  WriteFile(d.File("pod.yaml"), kBare);
  auto unpinned = RunAegis("render --artifact s3://m/a.tgz pod.yaml", d.path());
  EXPECT_NE(unpinned.err.find("is not pinned by digest"), std::string::npos);
  const std::string digest = "@sha256:1111111111111111111111111111111111111111111111111111111111111111";
  auto pinned = RunAegis("render --artifact s3://m/a.tgz --image localhost/aegis/verify-and-fetch" + digest + " pod.yaml",
                         d.path());
  EXPECT_EQ(pinned.err.find("not pinned"), std::string::npos) << pinned.err;
  EXPECT_NE(pinned.out.find("image: \"localhost/aegis/verify-and-fetch@sha256:1111"), std::string::npos) << pinned.out;
  // An image the policy does not allow is refused before anything is rendered.
  auto other = RunAegis("render --artifact s3://m/a.tgz --image r/v" + digest + " pod.yaml", d.path());
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_EQ(other.out, "");
  EXPECT_NE(other.err.find("--image r/v@sha256:1111111111111111111111111111111111111111111111111111111111111111: not "
                           "an image the policy allows (verifierImages: "
                           "localhost/aegis/verify-and-fetch); the built-in policy allows only "
                           "localhost/aegis/verify-and-fetch: pass --policy with your constraint"),
            std::string::npos)
      << other.err;
  WriteFile(d.File("any.yaml"), "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\n"
                                "metadata: {name: any}\nspec: {parameters: {}}\n");
  EXPECT_EQ(RunAegis("render --policy any.yaml --artifact s3://m/a.tgz --image r/v" + digest + " pod.yaml", d.path())
                .exit_code,
            0);
}

TEST(RenderCli, PolicyNamesFollowTheConstraint) {
  TempDir d;
  WriteFile(d.File("pod.yaml"), kBare);
  WriteFile(d.File("c.yaml"),
            "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AegisSignedPod\nmetadata: {name: c}\n"
            "spec: {parameters: {secretName: model-signing-key, initContainerPattern: \"^fetch-\"}}\n");
  EXPECT_EQ(RunAegis("render --policy c.yaml --artifact s3://m/a.tgz pod.yaml", d.path()).exit_code, 2);
  auto r = RunAegis("render --policy c.yaml --init-name fetch-verified --artifact s3://m/a.tgz pod.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("secretName: model-signing-key"), std::string::npos);
  WriteFile(d.File("out.yaml"), r.out);
  EXPECT_EQ(RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' --policy c.yaml out.yaml", d.path()).exit_code, 0);
}

// The examples under manifests/ are exactly what these template commands print.
TEST(RenderCli, ManifestsAreTheTemplatesOutput) {
  const std::string art = "--artifact s3://aegis-models/resnet50/model.tar.gz";
  const std::pair<const char*, std::string> cases[] = {
      {"manifests/kserve/inferenceservice-canary.yaml", "render --template kserve " + art + " --name triton-canary"},
      {"manifests/triton/deployment-canary.yaml", "render --template triton " + art + " --name triton-canary"},
      {"manifests/pod/pod-canary.yaml", "render --template pod " + art + " --name model-canary --gpus 0"},
      {"manifests/kserve-native/clusterstoragecontainer.yaml", "render --template clusterstoragecontainer"},
  };
  for (const auto& [file, args] : cases) {
    auto r = RunAegis(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, ReadFile(testing::SourcePath(file))) << file << " differs from `aegis " << args << "`";
  }
}

TEST(RenderCli, TemplatesAreConformingAndCorrected) {
  for (const char* kind : {"kserve", "triton", "pod"}) {
    auto r = RunAegis(std::string("render --template ") + kind + " --artifact s3://m/a.tgz");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("aegis/canary: positive"), std::string::npos) << kind;
    auto lint = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' -", "", r.out);
    EXPECT_EQ(lint.exit_code, 0) << kind << "\n" << lint.out;
  }
  auto k = RunAegis("render --template kserve --artifact s3://m/a.tgz");
  EXPECT_NE(k.out.find("apiVersion: serving.kserve.io/v1beta1"), std::string::npos);
  EXPECT_EQ(k.out.find("podSpec"), std::string::npos);
  EXPECT_EQ(k.out.find("storageUri"), std::string::npos);
  EXPECT_NE(k.out.find("  predictor:\n    initContainers:\n"), std::string::npos) << k.out;
  EXPECT_NE(k.out.find("    model:\n      volumeMounts:\n      - name: model\n        mountPath: /mnt/models\n"),
            std::string::npos)
      << k.out;
}

class RenderProducersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveCommand("kubectl")) AEGIS_SKIP_WITHOUT_PEER("kubectl is not installed: real-producer tests not run");
  }
};

TEST_F(RenderProducersTest, KustomizeOutputRendersThroughStdin) {
  TempDir d;
  WriteFile(d.File("kustomization.yaml"), "namespace: models\ncommonLabels: {team: ml}\nresources: [deploy.yaml, svc.yaml]\n");
  WriteFile(d.File("deploy.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: triton}\nspec:\n  selector: {matchLabels: {app: t}}\n"
            "  template:\n    metadata: {labels: {app: t}}\n    spec:\n      containers:\n      - name: triton\n"
            "        image: nvcr.io/nvidia/tritonserver:24.08-py3\n        args: [tritonserver, --model-store=/srv/models]\n");
  WriteFile(d.File("svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: triton}\nspec: {ports: [{port: 8000}]}\n");
  auto built = testing::RunShell("kubectl kustomize .", d.path());
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto r = RunAegis("render --artifact s3://m/a.tgz -", "", built.out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mountPath: /srv/models"), std::string::npos) << r.out;
  auto lint = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' -", "", r.out);
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
  EXPECT_NE(lint.out.find("no findings in 1 checked object (2 objects"), std::string::npos) << lint.out;
  EXPECT_EQ(RunAegis("render -", "", r.out).out, r.out);  // idempotent, no --artifact needed
}

TEST_F(RenderProducersTest, KubectlCreateDryRunRendersThroughStdin) {
  for (const char* format : {"yaml", "json"}) {
    auto made = testing::RunShell(std::string("kubectl create deployment triton --image=nvcr.io/nvidia/tritonserver "
                                              "--dry-run=client -o ") + format);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    auto r = RunAegis("render --artifact s3://m/a.tgz -", "", made.out);
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.err;
    auto lint = RunAegis("lint --namespace-labels '*=aegis.dev/model-serving=true' -", "", r.out);
    EXPECT_EQ(lint.exit_code, 0) << format << "\n" << r.out << lint.out;
    if (std::string(format) == "json") {
      EXPECT_TRUE(nlohmann::json::accept(r.out)) << "JSON in, JSON out:\n" << r.out;
    }
  }
}

}  // namespace
}  // namespace aegis

namespace aegis {
namespace {

// The README's pinning step on already-rendered files: the image changes once, then nothing
// does, and a pinned image raises no warning.
TEST(RenderCli, InPlaceReconcileUpdatesTheVerifierOnceThenIsAFixedPoint) {
  testing::TempDir d;
  testing::WriteFile(d.File("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
                                         "    aegis/artifact-uri: s3://m/v1.tgz\nspec:\n  containers:\n  - name: s\n"
                                         "    image: s\n");
  ASSERT_EQ(testing::RunAegis("render -i pod.yaml", d.path()).exit_code, 0);
  const std::string pinned =
      "localhost/aegis/verify-and-fetch@sha256:1111111111111111111111111111111111111111111111111111111111111111";
  auto diff = testing::RunAegis("render --diff --image " + pinned + " pod.yaml", d.path());
  EXPECT_EQ(diff.exit_code, 1) << diff.err;  // the existing verifier's image would change
  EXPECT_NE(diff.out.find("+    image: \"" + pinned + "\""), std::string::npos) << diff.out;
  auto r = testing::RunAegis("render -i --image " + pinned + " pod.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("not pinned"), std::string::npos) << r.err;
  EXPECT_NE(testing::ReadFile(d.File("pod.yaml")).find(pinned), std::string::npos);
  // The annotation moves on: the artifact follows.
  std::string text = testing::ReadFile(d.File("pod.yaml"));
  text.replace(text.find("s3://m/v1.tgz"), 13, "s3://m/v2.tgz");
  testing::WriteFile(d.File("pod.yaml"), text);
  r = testing::RunAegis("render -i --image " + pinned + " pod.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("verifier artifact s3://m/v1.tgz → s3://m/v2.tgz"), std::string::npos) << r.err;
  EXPECT_EQ(testing::ReadFile(d.File("pod.yaml")).find("s3://m/v1.tgz"), std::string::npos);
  auto again = testing::RunAegis("render --diff --image " + pinned + " pod.yaml", d.path());
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(again.out, "");
  // Without --image, an existing (pinned) image is left alone: the default does not win.
  EXPECT_EQ(testing::RunAegis("render --diff pod.yaml", d.path()).exit_code, 0);
}

}  // namespace
}  // namespace aegis

namespace aegis::testing {
namespace {

// KServe's S3 settings may be spread over files (a Secret here, its ServiceAccount there):
// render reads every input before rendering any.
TEST(RenderCli, KServeStorageSettingsFromSecretAndAccountInOtherFiles) {
  TempDir d;
  WriteFile(d.File("secret.yaml"),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s3\n  namespace: models\n  annotations:\n"
            "    serving.kserve.io/s3-endpoint: minio.storage:9000\n    serving.kserve.io/s3-usehttps: \"0\"\n"
            "stringData: {AWS_ACCESS_KEY_ID: a, AWS_SECRET_ACCESS_KEY: b}\n");
  WriteFile(d.File("account.yaml"), "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: models}\nsecrets: [{name: s3}]\n");
  WriteFile(d.File("isvc.yaml"),
            "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: m, namespace: models}\nspec:\n"
            "  predictor:\n    serviceAccountName: sa\n    model:\n      modelFormat: {name: sklearn}\n      storageUri: s3://b/m.tgz\n");
  auto r = RunAegis("render --allow-unpinned secret.yaml account.yaml isvc.yaml", d.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{name: AWS_ENDPOINT_URL, value: \"http://minio.storage:9000\"}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("secretKeyRef: {name: s3, key: AWS_SECRET_ACCESS_KEY}"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("value: \"b\""), std::string::npos) << "keys are referenced, never copied";
  EXPECT_NE(r.err.find("the S3 settings of secret s3 (service account sa)"), std::string::npos) << r.err;
  // Alone, the InferenceService gets no settings, and render says they do not reach the verifier.
  auto alone = RunAegis("render --allow-unpinned isvc.yaml", d.path());
  ASSERT_EQ(alone.exit_code, 0);
  EXPECT_EQ(alone.out.find("AWS_ENDPOINT_URL"), std::string::npos);
  EXPECT_NE(alone.err.find("do not reach it"), std::string::npos);
}

}  // namespace
}  // namespace aegis::testing
