// Model directories (a prefix of objects, KServe's usual storageUri) fetched from the real
// object-store servers — fake-gcs-server for gs://, s3rver for s3:// — verified as a
// model-signing tree (model.sig among the objects) and placed: only the signed files, and
// nothing at all when an object is changed, added or unsafe.
#include "support/fake_gcs.h"
#include "support/http_server.h"
#include "support/s3rver.h"
#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

class GcsTreeTest : public GcsProgramTest<GcsTreeTest> {
 protected:
  static void SetUpTestSuite() {
    MakeData();
    SignedModel(data_->File("models"), "resnet/v1", PrivateKey());
    SignedModel(data_->File("models"), "extra/v1", PrivateKey());
    WriteFile(data_->File("models/extra/v1/planted.py"), "import os\n");  // added after signing
    SignedModel(data_->File("models"), "tampered/v1", PrivateKey());
    WriteFile(data_->File("models/tampered/v1/tokenizer.json"), "{\"v\": 2}\n");
    StartServer(data_->path());
  }
  RunResult Fetch(const std::string& uri, const std::string& extra = "") {
    return Run("--key " + PublicKey() + " " + extra + " " + uri + " model", Emulator());
  }
};

TEST_F(GcsTreeTest, PrefixIsListedFetchedVerifiedAndOnlySignedFilesPlaced) {
  auto r = Fetch("gs://models/resnet/v1/", "--parallel 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned) << "model.sig is not placed";
  EXPECT_EQ(ReadFile(Dest() + "/1/model.onnx"), Weights(150000));
  EXPECT_NE(r.err.find("model directory fetched uri=gs://models/resnet/v1/ files=4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("parallel=3"), std::string::npos) << r.err;
  json marker = json::parse(ReadFile(Dest() + "/.aegis-verified.json"));
  std::string digest = marker["sha256"];
  EXPECT_EQ(digest.size(), 64u) << "the signed subject digest identifies the directory";
  // It pins the directory as --expected-sha256 pins an archive.
  fs::remove_all(Dest());
  ASSERT_EQ(Fetch("gs://models/resnet/v1/", "--expected-sha256 " + digest).exit_code, 0);
  fs::remove_all(Dest());
  ExpectFailure(Fetch("gs://models/resnet/v1/", "--expected-sha256 " + std::string(64, 'a')), 5, "pin mismatch");
}

// KServe's storageUri names a directory without the trailing slash (gs://b/models/sklearn/1.0/model).
TEST_F(GcsTreeTest, KserveStorageUriWithoutTrailingSlashIsADirectory) {
  auto r = Fetch("gs://models/resnet/v1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
}

TEST_F(GcsTreeTest, AddedOrChangedObjectsRefuseTheWholeDirectory) {
  ExpectFailure(Fetch("gs://models/extra/v1/"), 5, "planted.py");
  ExpectFailure(Fetch("gs://models/tampered/v1/"), 5, "tokenizer.json");
  ExpectFailure(Run("--key " + OtherPublicKey() + " gs://models/resnet/v1/ model", Emulator()), 5, "does not verify");
}

TEST_F(GcsTreeTest, EmptyPrefixIsNotFound) {
  ExpectFailure(Fetch("gs://models/none/"), 3, "no object under the prefix");
  ExpectFailure(Fetch("gs://models/none"), 3, "gs://models/none");
}

// A bucket the attacker controls lists names that are no path in a model directory; an
// in-test server answers objects.list as Cloud Storage would (fake-gcs-server refuses to
// store such names): the run refuses with exit 6 and fetches nothing.
TEST_F(GcsTreeTest, UnsafeObjectNamesAreRefusedBeforeAnyDownload) {
  for (const std::string name : {"m/../../etc/passwd", "m//x", "m/./x", "m/a\x01"}) {
    int downloads = 0;
    HttpServer api([&](const HttpRequest& req, HttpConnection& c) {
      if (req.target.find("/o?prefix=") != std::string::npos) {
        json items = json::array({{{"name", "m/model.sig"}, {"size", "10"}}, {{"name", name}, {"size", "5"}}});
        return c.Respond(200, json({{"items", items}}).dump());
      }
      if (req.target.find("/o/m%2F") != std::string::npos) ++downloads;  // an object of the directory
      c.Respond(404, "");  // no detached signature next to it
    });
    std::string host = api.Url("").substr(7);
    while (!host.empty() && host.back() == '/') host.pop_back();
    auto r = Run("--key " + PublicKey() + " gs://models/m/ model", "STORAGE_EMULATOR_HOST=" + host + " NO_GCE_CHECK=true");
    ExpectFailure(r, 6, "cannot be a file of the model");
    EXPECT_EQ(downloads, 0) << name;
  }
}

TEST_F(GcsTreeTest, ASignatureOverOneFileDoesNotSignADirectory) {
  std::string file = data_->File("models/resnet/v1/config.pbtxt");
  WriteFile(dir_.File("bundle.json"), Bundle(file));
  ExpectFailure(Fetch("gs://models/resnet/v1/", "--signature " + dir_.File("bundle.json")), 5, "needs a model-signing signature");
}

class S3TreeTest : public S3ProgramTest<S3TreeTest> {
 protected:
  static void SetUpTestSuite() {
    if (!StartS3()) return;
    TempDir d;
    SignedModel(d.path(), "sklearn/1.0/model", PrivateKey());
    for (const char* f : {"model.sig", "config.pbtxt", "1/model.onnx", "tokenizer.json"}) {
      Put(d.File(std::string("sklearn/1.0/model/") + f), std::string("sklearn/1.0/model/") + f);
    }
    Put(d.File("sklearn/1.0/model/config.pbtxt"), "sklearn/1.0/model-other/config.pbtxt");
    // A signed directory (model.sig inside) as one 20 MiB tar: three 8 MiB parts. And the
    // same with one byte of its weights changed after signing.
    fs::create_directories(d.File("big/1"));
    WriteFile(d.File("big/config.pbtxt"), "name: \"big\"\n");
    WriteFile(d.File("big/1/model.onnx"), Weights(20 << 20));
    WriteFile(d.File("big/tokenizer.json"), "{}\n");
    auto signed_dir = RunAegis("sign --oms --key " + PrivateKey() + " big", d.path());
    auto tars = RunShell("tar cf big.tar -C big . && printf X | dd of=big/1/model.onnx bs=1 seek=12345678 conv=notrunc "
                         "2>/dev/null && tar cf tampered.tar -C big .",
                         d.path());
    if (signed_dir.exit_code != 0 || tars.exit_code != 0) skip_ = "cannot make the tars: " + signed_dir.err + tars.err;
    Put(d.File("big.tar"), "big/model.tar");
    Put(d.File("tampered.tar"), "big/tampered.tar");
  }
};

// ListObjectsV2 signed with SigV4 (s3rver checks the signature), then each object; the
// sibling prefix "model-other" is not part of "model/".
TEST_F(S3TreeTest, SignedListingAndDownloadsPlaceTheDirectory) {
  auto r = Run("--key " + PublicKey() + " s3://models/sklearn/1.0/model/ model", Creds());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  fs::remove_all(Dest());
  auto kserve_form = Run("--key " + PublicKey() + " s3://models/sklearn/1.0/model model", Creds());
  ASSERT_EQ(kserve_form.exit_code, 0) << kserve_form.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
}

// A format-D tar is extracted while its parts arrive (docs/VERIFIER.md, step 4), then
// verified; a tampered one is refused after the same and leaves nothing behind.
TEST_F(S3TreeTest, ATarInPartsIsExtractedWhileItDownloadsThenVerified) {
  auto r = Run("--key " + PublicKey() + " s3://models/big/model.tar model", Creds());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  EXPECT_EQ(ReadFile(Dest() + "/1/model.onnx"), Weights(20 << 20));
  EXPECT_NE(r.err.find("parts=3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("while_fetching=true"), std::string::npos) << r.err;
  auto tampered = Run("--key " + PublicKey() + " s3://models/big/tampered.tar model", Creds());
  ExpectFailure(tampered, 5, "1/model.onnx");
  EXPECT_NE(tampered.err.find("while_fetching=true"), std::string::npos) << tampered.err;
  EXPECT_FALSE(fs::exists(Dest() + "/1/model.onnx")) << "a refused model is removed";
}

TEST_F(S3TreeTest, WrongSecretIsExit4AtTheListing) {
  auto r = Run("--key " + PublicKey() + " --retries 1 s3://models/sklearn/1.0/model/ model", Creds("wrong-secret-value"));
  ExpectFailure(r, 4, "listing refused: HTTP 403 SignatureDoesNotMatch");
  EXPECT_EQ(r.err.find("wrong-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace aegis::testing

namespace aegis::testing {
namespace {

// A model directory on a mounted volume (KServe's pvc:// model, a hostPath): copied into the
// work area without following links, verified as a tree, only the signed files placed.
class LocalTreeTest : public ProgramTest {};

TEST_F(LocalTreeTest, MountedDirectoryIsCopiedVerifiedAndPlaced) {
  SignedModel(dir_.path(), "pvc/resnet", PrivateKey());
  auto r = Run("--key " + PublicKey() + " " + dir_.File("pvc/resnet") + " model");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  EXPECT_NE(r.err.find("model directory copied"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  auto uri = Run("--key " + PublicKey() + " file://" + dir_.File("pvc/resnet") + "/ model");
  ASSERT_EQ(uri.exit_code, 0) << uri.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
}

TEST_F(LocalTreeTest, LinksChangesAndOverlapsAreRefused) {
  SignedModel(dir_.path(), "pvc/linked", PrivateKey());
  fs::create_symlink("/etc/passwd", dir_.File("pvc/linked/passwd"));
  ExpectFailure(Run("--key " + PublicKey() + " " + dir_.File("pvc/linked") + " model"), 6, "a symbolic link");
  SignedModel(dir_.path(), "pvc/changed", PrivateKey());
  WriteFile(dir_.File("pvc/changed/config.pbtxt"), "name: \"other\"\n");
  ExpectFailure(Run("--key " + PublicKey() + " " + dir_.File("pvc/changed") + " model"), 5, "config.pbtxt");
  SignedModel(dir_.path(), "pvc/outer", PrivateKey());
  auto inside = Run("--key " + PublicKey() + " " + dir_.File("pvc/outer") + " " + dir_.File("pvc/outer/serve"));
  EXPECT_EQ(inside.exit_code, 2) << inside.err;
  EXPECT_FALSE(fs::exists(dir_.File("pvc/outer/serve/1"))) << "nothing copied into itself";
}

}  // namespace
}  // namespace aegis::testing

namespace aegis::testing {
namespace {

// KServe's pvc:// storageUri end to end: `aegis render` mounts the claim read-only into the
// verifier at /mnt/pvc and gives it the model's path there; that verifier, run with the claim's
// mount standing for a local directory, copies, verifies and places the model, and refuses it
// once a file on the claim changes.
TEST_F(LocalTreeTest, RenderedPvcVerifierCopiesVerifiesAndPlacesTheClaimsModel) {
  SignedModel(dir_.path(), "claim/gpt", PrivateKey());
  WriteFile(dir_.File("isvc.yaml"),
            "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: gpt, namespace: models}\n"
            "spec:\n  predictor:\n    model:\n      modelFormat: {name: huggingface}\n      storageUri: pvc://models-pvc/gpt\n");
  auto r = RunAegis("render --allow-unpinned isvc.yaml", dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string args = "args: [\"/mnt/pvc/gpt\", \"/mnt/models\"]";
  ASSERT_NE(r.out.find(args), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("      - name: kserve-pvc-source\n        mountPath: /mnt/pvc\n        readOnly: true\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("      persistentVolumeClaim:\n        claimName: models-pvc\n        readOnly: true\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("storageUri"), std::string::npos) << "KServe must not mount or download it a second time";
  auto lint = RunAegis("lint -", dir_.path(), r.out);
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  // The rendered arguments, the mount at /mnt/pvc standing for the claim's directory.
  std::string artifact = dir_.File("claim") + "/gpt";
  auto run = Run("--key " + PublicKey() + " " + artifact + " model");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  fs::remove_all(Dest());
  WriteFile(artifact + "/tokenizer.json", "{\"v\": 3}\n");
  ExpectFailure(Run("--key " + PublicKey() + " " + artifact + " model"), 5, "tokenizer.json");
}

}  // namespace
}  // namespace aegis::testing
