// The logger's formats and secret masking, and the termination message's size bound.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "platform/net_error.h"
#include "verifier/common/log.h"
#include "verifier/common/verify_error.h"
#include "verifier/options.h"
#include "verifier/run.h"
#include "verifier/sources/source.h"

namespace aegis::verifier {
namespace {

TEST(Logger, TextAndJsonLinesMaskRegisteredSecrets) {
  std::ostringstream text, json;
  Logger t(text), j(json, true);
  for (Logger* l : {&t, &j}) {
    l->AddSecret("s3cr3t-value");
    l->AddSecret("abc");  // too short to mask safely: ignored
    l->Warn("credential problem", {{"detail", "key s3cr3t-value rejected"}, {"n", "1"}});
  }
  EXPECT_EQ(text.str(), "verify-and-fetch: warn: credential problem detail=\"key *** rejected\" n=1\n");
  auto parsed = nlohmann::json::parse(json.str());
  EXPECT_EQ(parsed["event"], "credential problem");
  EXPECT_EQ(parsed["level"], "warn");
  EXPECT_EQ(parsed["detail"], "key *** rejected");
  EXPECT_TRUE(parsed.contains("ts"));
}

TEST(TerminationMessage, IsBoundedAndCutAtACharacterBoundary) {
  Error e{VerifyError::kSignature, "model.tar.gz", {}, std::string(5000, 'x')};
  EXPECT_EQ(TerminationMessage(e).size(), 4096u);
  Error wide{VerifyError::kSignature, "m", {}, std::string(4090, 'x') + "ééééé"};  // 2-byte characters across the cut
  std::string m = TerminationMessage(wide);
  EXPECT_LE(m.size(), 4096u);
  EXPECT_TRUE(m.ends_with("...")) << m.substr(m.size() - 10);
  std::string head = m.substr(0, m.size() - 3);
  EXPECT_NE(static_cast<unsigned char>(head.back()), 0xC3) << "a character was cut in half";
}

TEST(ExitCodes, EveryErrorKindMapsToADocumentedCode) {
  EXPECT_EQ(ExitCodeFor(ErrorKind::kUsage), 2);
  EXPECT_EQ(ExitCodeFor(NetError::kNotFound), 3);
  EXPECT_EQ(ExitCodeFor(NetError::kNetwork), 4);
  EXPECT_EQ(ExitCodeFor(VerifyError::kSignature), 5);
  EXPECT_EQ(ExitCodeFor(VerifyError::kArchive), 6);
  EXPECT_EQ(ExitCodeFor(ErrorKind::kLimit), 6);
  EXPECT_EQ(ExitCodeFor(VerifyError::kTrust), 7);
  EXPECT_EQ(ExitCodeFor(ErrorKind::kIo), 8);
}

Location At(const std::string& uri, bool allow_http = true) { return *Location::Parse(uri, allow_http); }

// The success record fits the kubelet's 4096 bytes whatever the URIs and identity are: the
// longest text is shortened (at a UTF-8 boundary), the digest and the time are kept whole.
TEST(ProvenanceRecord, StaysWithinTheTerminationMessageLimit) {
  RunSummary s;
  s.artifact = "s3://models/" + std::string(5000, 'a');
  s.signature = "s3://models/" + std::string(3000, 's') + ".sig";
  s.sha256 = std::string(64, 'f');
  s.format = "sigstore-bundle";
  s.key = "/etc/cosign/cosign.pub";
  std::string identity = "https://github.com/org/";
  for (int i = 0; i < 1500; ++i) identity += "\xc3\xa9";  // é: a cut must not split it
  s.signer = Verified::Signer{identity, "https://token.actions.githubusercontent.com", 7, 0};
  s.verified_at = 1796688000;
  std::string text = ProvenanceRecord(s);
  ASSERT_LE(text.size(), 4096u);
  auto record = nlohmann::json::parse(text);  // still valid JSON, valid UTF-8
  EXPECT_EQ(record["digest"], "sha256:" + std::string(64, 'f'));
  EXPECT_EQ(record["verifiedAt"], "2026-12-08T00:00:00Z");
  EXPECT_EQ(record["signer"]["issuer"], "https://token.actions.githubusercontent.com");
  EXPECT_TRUE(record["artifact"].get<std::string>().starts_with("s3://models/aaa"));
  EXPECT_TRUE(record["artifact"].get<std::string>().ends_with("..."));
  s.artifact = "s3://models/m.tgz";
  s.signature = "s3://models/m.tgz.sig";
  s.signer.reset();
  EXPECT_EQ(nlohmann::json::parse(ProvenanceRecord(s))["artifact"], "s3://models/m.tgz")
      << "short texts are kept whole";
}

TEST(Location, UrisAreClassifiedSuffixedAndRedacted) {
  EXPECT_EQ(At("s3://b/k").scheme(), Scheme::kS3);
  EXPECT_EQ(At("/models/m.tar.gz").scheme(), Scheme::kFile);
  EXPECT_EQ(At("file:///m").scheme(), Scheme::kFile);
  EXPECT_EQ(Location::Parse("http://h/m", false).error().kind, ErrorKind::kUsage);
  EXPECT_EQ(At("http://h/m").scheme(), Scheme::kHttp);
  EXPECT_EQ(At("gs://b/k").scheme(), Scheme::kGs);
  EXPECT_EQ(At("hf://org/repo").scheme(), Scheme::kHf);
  EXPECT_EQ(At("https://acct.blob.core.windows.net/c/m", false).scheme(), Scheme::kAzureBlob);
  EXPECT_EQ(At("https://example.com/c/m", false).scheme(), Scheme::kHttps);
  EXPECT_EQ(At("oci://registry/repo").scheme(), Scheme::kOci);
  EXPECT_EQ(Location::Parse("hdfs://nn/repo", true).error().kind, ErrorKind::kUsage);
  EXPECT_EQ(Location::Parse("file://host/m", true).error().kind, ErrorKind::kUsage);
  EXPECT_EQ(Location::Parse("", true).error().kind, ErrorKind::kUsage);
  EXPECT_TRUE(At("oci://registry/repo:v1").IsTree());
  EXPECT_TRUE(At("hf://org/repo@main").IsTree());
  EXPECT_FALSE(At("hf://org/repo@main/config.json").IsTree());
  EXPECT_FALSE(At("hf://org/repo/").IsTree());
  EXPECT_TRUE(At("https://acct.blob.core.windows.net/c/m/?sv=1&sig=x").IsTree());
  EXPECT_FALSE(At("https://acct.blob.core.windows.net/c/m?sv=1&sig=x").IsTree());
  EXPECT_EQ(At("https://acct.blob.core.windows.net/c/m?sv=1&sig=x").AsTree().uri(),
            "https://acct.blob.core.windows.net/c/m/?sv=1&sig=x");
  EXPECT_EQ(At("https://acct.blob.core.windows.net/c/m/?sv=1").WithoutTrailingSlash().uri(),
            "https://acct.blob.core.windows.net/c/m?sv=1");
  EXPECT_EQ(At("gs://b/m").AsTree().uri(), "gs://b/m/");
  EXPECT_TRUE(At("gs://b/m").AsTree().IsTree());
  EXPECT_FALSE(At("https://example.com/m/").IsTree());
  EXPECT_FALSE(At("s3:///k").HasDirectoryForm()) << "no bucket";
  EXPECT_TRUE(At("s3://b/m").HasDirectoryForm());
  EXPECT_FALSE(At("https://example.com/m").HasDirectoryForm());
  EXPECT_EQ(At("https://h/m.tgz?X-Amz-Signature=s").WithSuffix(".sig").uri(), "https://h/m.tgz.sig?X-Amz-Signature=s");
  EXPECT_EQ(At("s3://b/m.tgz").WithSuffix(".sigstore.json").uri(), "s3://b/m.tgz.sigstore.json");
  EXPECT_EQ(At("https://h/a/model.onnx?x=1").BaseName(), "model.onnx");
  EXPECT_EQ(At("s3://bucket/").BaseName(), "model");
  EXPECT_EQ(At("https://user:pw@h/m?X-Amz-Signature=abc").Display(), "https://<redacted>@h/m?<redacted>");
  EXPECT_EQ(At("file:///mnt/models/m").LocalPath(), "/mnt/models/m");
  EXPECT_EQ(At("relative/m").LocalPath(), "relative/m");
  EXPECT_EQ(At("s3://b/m").LocalPath(), "");
  EXPECT_FALSE(At("hf://org/repo").HasSiblings());
  EXPECT_FALSE(At("oci://r/repo@sha256:00").HasSiblings());
  EXPECT_TRUE(At("gs://b/m/").HasSiblings());
}

// What each store's URI names, split once where it enters.
TEST(Location, NamesTheContainerPathAndRevision) {
  EXPECT_EQ(At("s3://bucket/models/m.tgz").container(), "bucket");
  EXPECT_EQ(At("s3://bucket/models/m.tgz").path(), "models/m.tgz");
  EXPECT_EQ(At("gs://b/dir/").path(), "dir/");
  EXPECT_EQ(At("https://acct.blob.core.windows.net/c/m/x.bin?sv=1").container(), "acct/c");
  EXPECT_EQ(At("https://acct.blob.core.windows.net/c/m/x.bin?sv=1").path(), "m/x.bin");
  EXPECT_EQ(At("hf://org/repo@0123/config.json").container(), "org/repo");
  EXPECT_EQ(At("hf://org/repo@0123/config.json").revision(), "0123");
  EXPECT_EQ(At("hf://org/repo@0123/config.json").path(), "config.json");
  EXPECT_EQ(At("oci://localhost:5000/ns/repo:v1").container(), "localhost:5000/ns/repo");
  EXPECT_EQ(At("oci://localhost:5000/ns/repo:v1").revision(), "v1");
  EXPECT_EQ(At("oci://localhost:5000/ns/repo@sha256:ab").revision(), "sha256:ab");
  EXPECT_EQ(At("oci://localhost:5000/ns/repo").revision(), "");
  EXPECT_EQ(At("https://h.example/a/b?x").container(), "h.example");
  EXPECT_EQ(At("https://h.example/a/b?x").path(), "a/b");
}

}  // namespace
}  // namespace aegis::verifier
