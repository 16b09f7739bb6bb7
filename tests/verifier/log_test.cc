// The logger's formats and secret masking, and the termination message's size bound.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "verifier/log.h"
#include "verifier/options.h"
#include "verifier/run.h"
#include "verifier/source.h"
#include "platform/net_error.h"
#include "verifier/verify_error.h"

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

TEST(Sources, UrisAreClassifiedSuffixedAndRedacted) {
  EXPECT_EQ(*SchemeOf("s3://b/k", false), Scheme::kS3);
  EXPECT_EQ(*SchemeOf("/models/m.tar.gz", false), Scheme::kFile);
  EXPECT_EQ(*SchemeOf("file:///m", false), Scheme::kFile);
  EXPECT_EQ(SchemeOf("http://h/m", false).error().kind, ErrorKind::kUsage);
  EXPECT_EQ(*SchemeOf("http://h/m", true), Scheme::kHttp);
  EXPECT_EQ(*SchemeOf("gs://b/k", false), Scheme::kGs);
  EXPECT_EQ(*SchemeOf("hf://org/repo", true), Scheme::kHf);
  EXPECT_EQ(*SchemeOf("https://acct.blob.core.windows.net/c/m", false), Scheme::kAzureBlob);
  EXPECT_EQ(*SchemeOf("https://example.com/c/m", false), Scheme::kHttps);
  EXPECT_EQ(*SchemeOf("oci://registry/repo", true), Scheme::kOci);
  EXPECT_EQ(SchemeOf("hdfs://nn/repo", true).error().kind, ErrorKind::kUsage);
  EXPECT_TRUE(IsTreeUri("oci://registry/repo:v1"));
  EXPECT_TRUE(IsTreeUri("hf://org/repo@main"));
  EXPECT_FALSE(IsTreeUri("hf://org/repo@main/config.json"));
  EXPECT_TRUE(IsTreeUri("https://acct.blob.core.windows.net/c/m/?sv=1&sig=x"));
  EXPECT_FALSE(IsTreeUri("https://acct.blob.core.windows.net/c/m?sv=1&sig=x"));
  EXPECT_EQ(AsTreeUri("https://acct.blob.core.windows.net/c/m?sv=1&sig=x"), "https://acct.blob.core.windows.net/c/m/?sv=1&sig=x");
  EXPECT_EQ(WithoutTrailingSlash("https://acct.blob.core.windows.net/c/m/?sv=1"), "https://acct.blob.core.windows.net/c/m?sv=1");
  EXPECT_EQ(AsTreeUri("gs://b/m"), "gs://b/m/");
  EXPECT_FALSE(IsTreeUri("https://example.com/m/"));
  EXPECT_EQ(WithSuffix("https://h/m.tgz?X-Amz-Signature=s", ".sig"), "https://h/m.tgz.sig?X-Amz-Signature=s");
  EXPECT_EQ(WithSuffix("s3://b/m.tgz", ".sigstore.json"), "s3://b/m.tgz.sigstore.json");
  EXPECT_EQ(BaseName("https://h/a/model.onnx?x=1"), "model.onnx");
  EXPECT_EQ(BaseName("s3://bucket/"), "model");
  EXPECT_EQ(DisplayUri("https://user:pw@h/m?X-Amz-Signature=abc"), "https://<redacted>@h/m?<redacted>");
}

}  // namespace
}  // namespace aegis::verifier
