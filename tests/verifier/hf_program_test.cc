// verify-and-fetch and `aegis verify` reading hf:// repositories from an in-test Hugging Face
// Hub (tests/support/fake_hf_hub.h: which real responses it reproduces, and why no real Hub
// runs here). Its fidelity is checked by the real client: huggingface_hub's snapshot_download
// (PyPI, pinned in peers.env) downloads the same repository from it, files identical.
#include "support/fake_gcs.h"
#include "support/fake_hf_hub.h"
#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";
const std::string kOtherCommit = "89abcdef0123456789abcdef0123456789abcdef";

class HfTest : public ProgramTest {
 protected:
  static void SetUpTestSuite() {
    ProgramTest::SetUpTestSuite();
    data_ = new TempDir();
    // Repositories as the Hub holds them: .gitattributes in each (model_signing ignores git
    // paths), weights large enough to be LFS files (served from the storage host).
    for (const std::string name : {"org/model", "org/gated", "org/planted"}) {
      SignedModel(data_->path(), name, PrivateKey());
      WriteFile(data_->File(name + "/.gitattributes"), "*.onnx filter=lfs diff=lfs merge=lfs -text\n");
    }
    WriteFile(data_->File("org/planted/planted.py"), "import os\n");
    hub_ = new FakeHfHub({{"org/model", {data_->File("org/model"), kCommit}},
                          {"org/gated", {data_->File("org/gated"), kOtherCommit, /*gated=*/true}},
                          {"org/planted", {data_->File("org/planted"), kCommit}}},
                         /*page_size=*/2);
  }
  static void TearDownTestSuite() {
    delete hub_;
    delete data_;
    ProgramTest::TearDownTestSuite();
  }
  void SetUp() override { hub_->ClearLog(); }
  RunResult Fetch(const std::string& uri, const std::string& extra = "", const std::string& env = "") {
    return Run("--allow-insecure-http --key " + PublicKey() + " " + extra + " " + Quote(uri) + " model",
               "HF_ENDPOINT=" + hub_->endpoint() + " " + env);
  }
  static inline TempDir* data_ = nullptr;
  static inline FakeHfHub* hub_ = nullptr;
};

TEST_F(HfTest, PinnedRepositoryIsListedFetchedVerifiedAndOnlySignedFilesPlaced) {
  auto r = Fetch("hf://org/model@" + kCommit, "--parallel 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned) << ".gitattributes and model.sig are not placed";
  EXPECT_EQ(ReadFile(Dest() + "/1/model.onnx"), Weights(150000));
  EXPECT_NE(r.err.find("model directory fetched uri=hf://org/model@" + kCommit + " files=5"), std::string::npos) << r.err;
  int tree_pages = 0, storage = 0;
  for (const auto& seen : hub_->Log()) {
    if (seen.target.find("/tree/" + kCommit + "?recursive=true") != std::string::npos) ++tree_pages;
    if (seen.host == "storage") ++storage;
    EXPECT_EQ(seen.target.find("/revision/"), std::string::npos) << "a pinned commit is not resolved";
  }
  EXPECT_EQ(tree_pages, 3) << "1 directory and 5 files, 2 a page: the Link header is followed";
  EXPECT_EQ(storage, 1) << "the weights are an LFS file, read from the storage host";
  // KServe's own form, hf://OWNER/MODEL:REVISION.
  fs::remove_all(Dest());
  ASSERT_EQ(Fetch("hf://org/model:" + kCommit).exit_code, 0);
  EXPECT_EQ(Placed(Dest()), kSigned);
}

TEST_F(HfTest, BranchesAreRefusedUnlessAllowedAndThenResolvedOnce) {
  ExpectFailure(Fetch("hf://org/model"), 2, "revision \"main\" is not a commit");
  ExpectFailure(Fetch("hf://org/model:main"), 2, "--allow-unpinned-revision");
  auto r = Fetch("hf://org/model", "--allow-unpinned-revision");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("revision main resolved to " + kCommit + " (unpinned)"), std::string::npos) << r.err;
  for (const auto& seen : hub_->Log()) {
    if (seen.target.find("/resolve/") != std::string::npos) {
      EXPECT_NE(seen.target.find("/resolve/" + kCommit + "/"), std::string::npos);
    }
  }
  fs::remove_all(Dest());
  ExpectFailure(Fetch("hf://org/model@v9", "--allow-unpinned-revision"), 3, "RevisionNotFound");
}

// The token goes to the Hub only: the storage host (another origin, reached by redirect)
// never sees it, and no output shows it.
TEST_F(HfTest, GatedRepositoryNeedsTheTokenWhichNeverLeavesTheHub) {
  ExpectFailure(Fetch("hf://org/gated@" + kOtherCommit), 4, "GatedRepo");
  auto r = Fetch("hf://org/gated@" + kOtherCommit, "", std::string("HF_TOKEN=") + FakeHfHub::kToken);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  EXPECT_NE(r.err.find("hugging face source=\"token HF_TOKEN\""), std::string::npos) << r.err;
  bool stored = false;
  for (const auto& seen : hub_->Log()) {
    if (seen.host == "storage") {
      stored = true;
      EXPECT_EQ(seen.authorization, "") << "the token followed the redirect to " << seen.target;
    }
  }
  EXPECT_TRUE(stored);
  for (const std::string& out : {r.out, r.err}) EXPECT_EQ(out.find(FakeHfHub::kToken), std::string::npos);
  fs::remove_all(Dest());
  // A token without access, read from the token file huggingface_hub writes (hf auth login).
  fs::create_directories(dir_.File("hf"));
  WriteFile(dir_.File("hf/token"), "hf_someoneElse\n");
  ExpectFailure(Fetch("hf://org/gated@" + kOtherCommit, "", "HF_HOME=" + dir_.File("hf")), 4, "GatedRepo");
  ExpectFailure(Fetch("hf://org/gated@" + kOtherCommit, "", "HF_TOKEN_PATH=/none/token"), 2, "/none/token");
}

TEST_F(HfTest, MissingRepositoriesAndPlantedFilesAreRefused) {
  // The Hub answers 401 to an anonymous request for a repository that does not exist (it
  // does not tell private from missing), 404 with a token.
  ExpectFailure(Fetch("hf://org/none@" + kCommit), 4, "RepoNotFound");
  ExpectFailure(Fetch("hf://org/none@" + kCommit, "", std::string("HF_TOKEN=") + FakeHfHub::kToken), 3, "RepoNotFound");
  ExpectFailure(Fetch("hf://org/planted@" + kCommit), 5, "planted.py");
  ExpectFailure(Run("--key " + PublicKey() + " hf://org/model@" + kCommit + " model", "HF_ENDPOINT=" + hub_->endpoint()), 2,
                "HF_ENDPOINT is http://");
  for (const std::string& bad : std::vector<std::string>{"hf://org", "hf://org/model@", "hf://-org/model@" + kCommit, "hf://org/mo..del@" + kCommit}) {
    ExpectFailure(Fetch(bad), 2, "hf://");
  }
}

// A listing naming paths that cannot be files of the model: refused before any download.
TEST_F(HfTest, HostileListingsAreRefusedBeforeAnyDownload) {
  hub_->OverrideTree(R"([{"type":"file","oid":"x","size":5,"path":"../../etc/passwd"}])");
  ExpectFailure(Fetch("hf://org/model@" + kCommit), 6, "cannot be a file of the model");
  hub_->OverrideTree(R"([{"type":"file","oid":"x","size":5,"path":"a"}])", "<https://elsewhere.example/api/models/org/model/tree/x?cursor=2>; rel=\"next\"");
  ExpectFailure(Fetch("hf://org/model@" + kCommit), 4, "the next page is on another host");
  for (const auto& seen : hub_->Log()) EXPECT_EQ(seen.target.find("/resolve/"), std::string::npos) << seen.target;
}

TEST_F(HfTest, AegisVerifyChecksTheRepository) {
  std::string cmd = "env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " HF_ENDPOINT=" + hub_->endpoint() + " " + AEGIS_BIN +
                    " verify --allow-insecure-http --key " + PublicKey() + " hf://org/";
  auto r = RunShell(cmd + "model@" + kCommit, dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunShell(cmd + "planted@" + kCommit, dir_.path());
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
}

// The real client reads the in-test Hub as it reads huggingface.co: same files, same bytes.
TEST_F(HfTest, HuggingFaceHubClientDownloadsTheSameRepository) {
  std::string python = PeerBinary("huggingface-hub", "HUGGINGFACE_HUB", "python");
  if (python.empty()) AEGIS_SKIP_WITHOUT_PEER("huggingface_hub is not installed (ci/peers.sh)");
  std::string script =
      "import sys\nfrom huggingface_hub import snapshot_download\n"
      "print(snapshot_download(repo_id='org/gated', revision=sys.argv[1], local_dir=sys.argv[2], token=sys.argv[3]))\n";
  WriteFile(dir_.File("snap.py"), script);
  auto r = RunShell("env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " HF_ENDPOINT=" + hub_->endpoint() +
                    " HF_HUB_DISABLE_TELEMETRY=1 HF_HUB_DISABLE_XET=1 " + python + " snap.py " + kOtherCommit + " " + dir_.File("snap") + " " +
                    FakeHfHub::kToken,
                    dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::set<std::string> got;
  for (const auto& e : fs::recursive_directory_iterator(dir_.File("snap"))) {
    std::string rel = fs::relative(e.path(), dir_.File("snap")).string();
    if (e.is_regular_file() && rel.rfind(".cache", 0) != 0) got.insert(rel);
  }
  EXPECT_EQ(got, (std::set<std::string>{".gitattributes", "1/model.onnx", "config.pbtxt", "model.sig", "tokenizer.json"}));
  EXPECT_EQ(ReadFile(dir_.File("snap/1/model.onnx")), Weights(150000));
  for (const auto& seen : hub_->Log()) {
    if (seen.host == "storage") {
      EXPECT_EQ(seen.authorization, "") << "huggingface_hub does not send it either";
    }
  }
}

}  // namespace
}  // namespace aegis::testing
