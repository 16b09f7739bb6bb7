// verify-and-fetch against real network peers: an in-test HTTP server scripting the faults
// object stores show, a real TLS server (openssl s_server) with a test CA, and the real
// signature-checking S3 server. Each failure gives its exit code and places nothing.
#include <atomic>
#include <memory>
#include <thread>

#include "support/child_process.h"
#include "support/http_server.h"
#include "support/s3rver.h"
#include "verifier/program_fixture.h"

namespace aegis::testing {
namespace {

// ---- Network faults (an in-test HTTP server scripting what object stores do) ----

class NetworkFaultTest : public ProgramTest {
 protected:
  void SetUp() override {
    std::string model = Model();
    body_ = ReadFile(model);
    bundle_ = ReadFile(model + ".sigstore.json");
  }
  // Serves the bundle; the artifact through `artifact`.
  std::unique_ptr<HttpServer> Serve(std::function<void(const HttpRequest&, HttpConnection&)> artifact) {
    return std::make_unique<HttpServer>([this, artifact](const HttpRequest& req, HttpConnection& c) {
      std::string path = req.target.substr(0, req.target.find('?'));
      if (path == "/m.tar.gz.sigstore.json") return c.Respond(200, bundle_);
      if (path == "/m.tar.gz") return artifact(req, c);
      c.Respond(404, "");
    });
  }
  RunResult Fetch(const HttpServer& s, const std::string& extra = "") {
    return Run("--key " + PublicKey() + " --allow-insecure-http --retries 3 " + extra + " " + s.Url("/m.tar.gz") + " model");
  }
  void Whole(const HttpRequest&, HttpConnection& c) { c.Respond(200, body_); }
  std::string body_, bundle_;
};

TEST_F(NetworkFaultTest, NotFoundIs3AndForbiddenIs4WithoutRetries) {
  auto missing = Serve([](const HttpRequest&, HttpConnection& c) { c.Respond(404, "<Error><Code>NoSuchKey</Code></Error>"); });
  ExpectFailure(Fetch(*missing), 3, "not found");
  auto forbidden = Serve([](const HttpRequest&, HttpConnection& c) { c.Respond(403, "<Error><Code>AccessDenied</Code></Error>"); });
  ExpectFailure(Fetch(*forbidden), 4, "HTTP 403");
  EXPECT_EQ(forbidden->requests(), 2) << "the bundle, then one artifact request: 4xx is not retried";
}

// S3 without s3:ListBucket answers 403 AccessDenied, not 404, for a key that does not exist
// (AWS S3 API reference, GetObject, "Permissions"). Discovery treats a 403 on a candidate as
// "not there" and goes on; a 403 on the artifact itself still ends the run with exit 4.
TEST_F(NetworkFaultTest, ForbiddenSignatureCandidatesDoNotStopDiscovery) {
  const std::string denied = "<Error><Code>AccessDenied</Code></Error>";
  auto s = std::make_unique<HttpServer>([&](const HttpRequest& req, HttpConnection& c) {
    std::string path = req.target.substr(0, req.target.find('?'));
    if (path == "/m.tar.gz.sig.json") return c.Respond(200, bundle_);
    if (path == "/m.tar.gz") return c.Respond(200, body_);
    c.Respond(403, denied);
  });
  auto r = Fetch(*s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("signature candidate refused"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(Dest() + "/resnet/1/model.onnx"));

  // An explicit --signature that is refused is an error, not a reason to look elsewhere.
  auto explicit_sig = Fetch(*s, "--signature " + s->Url("/m.tar.gz.sigstore.json"));
  ExpectFailure(explicit_sig, 4, "HTTP 403");
}

TEST_F(NetworkFaultTest, ServerErrorsThenSuccessPlacesTheModel) {
  std::atomic<int> n{0};
  auto s = Serve([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ < 2) return c.Respond(500, "InternalError");
    Whole(req, c);
  });
  auto r = Fetch(*s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("attempts=3"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(Dest() + "/resnet/1/model.onnx"));
}

TEST_F(NetworkFaultTest, TooManyRequestsWithRetryAfterThenSuccess) {
  std::atomic<int> n{0};
  auto s = Serve([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ == 0) return c.Respond(429, "SlowDown", {"Retry-After: 1"});
    Whole(req, c);
  });
  auto r = Fetch(*s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(NetworkFaultTest, ResetMidBodyEveryTimeIsExit4) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, 1000));
    c.Reset();
  });
  ExpectFailure(Fetch(*s), 4, "after 3 attempt(s)");
}

TEST_F(NetworkFaultTest, ResetMidBodyOnceResumesWithRange) {
  std::atomic<int> n{0};
  auto s = Serve([&](const HttpRequest& req, HttpConnection& c) {
    if (n++ == 0) {
      c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, 1000));
      return c.Reset();
    }
    auto range = req.headers.find("range");
    if (range == req.headers.end()) return Whole(req, c);
    size_t from = std::stoul(range->second.substr(6));
    c.Send("HTTP/1.1 206 Partial Content\r\nContent-Length: " + std::to_string(body_.size() - from) + "\r\n\r\n" + body_.substr(from));
  });
  auto r = Fetch(*s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resumed=true"), std::string::npos) << r.err;
}

TEST_F(NetworkFaultTest, TruncatedBodyEveryTimeIsExit4) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" +
           body_.substr(0, body_.size() - 10));
  });
  ExpectFailure(Fetch(*s), 4, "download failed");
}

// A slow link (the server sends the body in four pieces, 50 ms apart): the log says how far the
// download is at the interval, as `kubectl logs -f` would show it; at the default 10 s a
// quick download says nothing of it.
TEST_F(NetworkFaultTest, ASlowDownloadLogsItsProgress) {
  auto slow = [&](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n");
    size_t step = body_.size() / 4 + 1;
    for (size_t at = 0; at < body_.size(); at += step) {
      c.Send(body_.substr(at, step));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  auto s = Serve(slow);
  auto r = Fetch(*s, "--progress-interval 20ms");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("downloading"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("B/s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("downloaded"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  auto quiet = Fetch(*s);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("downloading"), std::string::npos) << quiet.err;
}

TEST_F(NetworkFaultTest, StallPastTheTimeoutIsExit4) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) {
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, 100));
    c.WaitForClientClose(10);
  });
  auto r = Run("--key " + PublicKey() + " --allow-insecure-http --retries 1 --stall-timeout 1 " + s->Url("/m.tar.gz") + " model");
  ExpectFailure(r, 4, "download failed");
}

// A hostile host streams an endless body (no Content-Length, never closed): the artifact is
// bounded before its signature is checked (--max-artifact-bytes, default --max-total-bytes), and
// the download stops the moment the limit is passed — what it wrote is removed.
TEST_F(NetworkFaultTest, AnEndlessArtifactStopsAtTheLimit) {
  std::atomic<uint64_t> sent{0};
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) {
    if (!c.Send("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")) return;
    const std::string chunk(64 << 10, 'x');
    while (sent < (1ull << 30) && c.Send(chunk)) sent += chunk.size();
  });
  auto r = Fetch(*s, "--max-total-bytes 1Mi");
  ExpectFailure(r, 6, "larger than the limit of 1048576 bytes");
  EXPECT_LT(sent.load(), 16ull << 20) << "the download went on past the limit";
  auto own = Fetch(*s, "--max-artifact-bytes 2Mi");
  ExpectFailure(own, 6, "larger than the limit of 2097152 bytes");
}

TEST_F(NetworkFaultTest, SignedUrlQueryStringsNeverReachTheOutput) {
  auto s = Serve([&](const HttpRequest&, HttpConnection& c) { c.Respond(500, ""); });
  std::string url = s->Url("/m.tar.gz") + "?X-Amz-Signature=deadbeefsecretsignature&X-Amz-Credential=AKIA";
  auto r = Run("--key " + PublicKey() + " --allow-insecure-http --retries 1 --signature " + s->Url("/m.tar.gz.sigstore.json") +
               " '" + url + "' model");
  EXPECT_EQ(r.exit_code, 4);
  for (const std::string* text : {&r.out, &r.err}) EXPECT_EQ(text->find("deadbeefsecretsignature"), std::string::npos) << *text;
  EXPECT_EQ(Reason().find("deadbeefsecretsignature"), std::string::npos) << Reason();
}

// ---- Listings that never end (S3 ListObjectsV2 from an in-test server scripting a hostile one) ----

class EndlessListingTest : public ProgramTest {
 protected:
  // A model directory s3://models/dir/ at an S3 endpoint answering every listing page with
  // `page(n)` (n from 0); objects are never fetched (the listing is refused first).
  RunResult List(std::function<std::string(int)> page, const std::string& extra = "") {
    std::atomic<int> n{0};
    HttpServer s([&](const HttpRequest& req, HttpConnection& c) {
      if (req.target.find("list-type=2") == std::string::npos) return c.Respond(404, "<Error><Code>NoSuchKey</Code></Error>");
      c.Respond(200, "<ListBucketResult>" + page(n++) + "</ListBucketResult>");
    });
    auto r = Run("--key " + PublicKey() + " --anonymous --retries 1 " + extra + " s3://models/dir/ model",
                 "AWS_ENDPOINT_URL_S3=" + s.Url(""));
    pages_ = n;
    return r;
  }
  static std::string Truncated(const std::string& token, const std::string& contents = "") {
    return contents + "<IsTruncated>true</IsTruncated><NextContinuationToken>" + token + "</NextContinuationToken>";
  }
  int pages_ = 0;
};

TEST_F(EndlessListingTest, EmptyPagesWithFreshTokensEndAfterAHundred) {
  auto r = List([](int n) { return Truncated("t" + std::to_string(n)); });
  ExpectFailure(r, 6, "listing: more than 100 pages without an object");
  EXPECT_EQ(pages_, 101);
}

TEST_F(EndlessListingTest, ARepeatedContinuationTokenIsRefused) {
  auto r = List([](int) { return Truncated("same", "<Contents><Key>dir/a</Key><Size>1</Size></Contents>"); });
  ExpectFailure(r, 4, "listing: the server sent a continuation token it sent before");
  EXPECT_EQ(pages_, 2);
}

TEST_F(EndlessListingTest, PagesOfOneObjectEndAtTheObjectLimit) {
  auto r = List([](int n) {
    std::string key = "dir/f" + std::to_string(n);
    return Truncated("t" + std::to_string(n), "<Contents><Key>" + key + "</Key><Size>1</Size></Contents>");
  }, "--max-entries 50");
  ExpectFailure(r, 6, "more than 50 objects under the prefix");
}

// The whole listing ends by the download deadline, however fast each page comes: a server
// pacing its pages (20 ms each, as a slow or hostile store would) meets --timeout 1s.
TEST_F(EndlessListingTest, TheWholeListingEndsByTheDeadline) {
  auto r = List([](int n) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string key = "dir/f" + std::to_string(n);
    return Truncated("t" + std::to_string(n), "<Contents><Key>" + key + "</Key><Size>1</Size></Contents>");
  }, "--timeout 1s");
  ExpectFailure(r, 6, "listing: not finished within 1s (--timeout)");
  EXPECT_LT(pages_, 200);
}

// ---- HTTPS with a test CA (openssl s_server, an independent TLS implementation) ----

TEST_F(ProgramTest, HttpsNeedsTheCaBundleOrAnExplicitWarnedOptOut) {
  ASSERT_EQ(MakeTestServerCertificate(dir_.path(), "aegis-test-ca"), "");
  Model();
  ChildProcess server({"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", "server.pem", "-key", "server.key", "-WWW"},
                      dir_.path());
  std::optional<std::string> line;
  while ((line = server.ReadLine(10000)) && !line->starts_with("ACCEPT ")) {
  }
  ASSERT_TRUE(line) << "openssl s_server did not start";
  std::string base = "https://127.0.0.1:" + line->substr(line->rfind(':') + 1);
  std::string args = "--key " + PublicKey() + " --retries 1 --signature " + base + "/model.tar.gz.sigstore.json " + base +
                     "/model.tar.gz model";
  auto untrusted = Run(args);
  ExpectFailure(untrusted, 4, "certificate");
  auto trusted = Run("--ca-bundle ca.pem " + args);
  ASSERT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_TRUE(fs::exists(Dest() + "/resnet/config.pbtxt"));
  fs::remove_all(Dest());
  auto opt_out = Run("--insecure-skip-tls-verify " + args);
  ASSERT_EQ(opt_out.exit_code, 0) << opt_out.err;
  EXPECT_NE(opt_out.err.find("warn: TLS certificate verification is OFF"), std::string::npos) << opt_out.err;
}

// ---- S3: the real signature-checking server ----

class ProgramS3Test : public S3ProgramTest<ProgramS3Test> {
 protected:
  static void SetUpTestSuite() {
    if (!StartS3()) return;
    TempDir d;
    WriteArchive(d.File("m.tar.gz"), ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, std::string(100000, 'm')}});
    auto sig = RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " m.tar.gz | base64 -w0 > m.tar.gz.sig", d.path());
    if (sig.exit_code != 0) skip_ = sig.err;
    for (const char* f : {"m.tar.gz", "m.tar.gz.sig"}) {
      Put(d.File(f), std::string("resnet/") + f);
    }
  }
  void ExpectNoSecret(const RunResult& r, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets) {
      EXPECT_EQ(r.out.find(s), std::string::npos) << "stdout shows a secret";
      EXPECT_EQ(r.err.find(s), std::string::npos) << "stderr shows a secret";
      EXPECT_EQ(Reason().find(s), std::string::npos) << "the termination log shows a secret";
      if (fs::exists(Dest() + "/.aegis-verified.json")) {
        EXPECT_EQ(ReadFile(Dest() + "/.aegis-verified.json").find(s), std::string::npos);
      }
    }
  }
};

TEST_F(ProgramS3Test, SignedGetPlacesTheModel) {
  auto r = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", Creds());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 100000u);
  EXPECT_NE(r.err.find("source=environment"), std::string::npos) << r.err;
  ExpectNoSecret(r, {kS3SecretKey});
}

TEST_F(ProgramS3Test, WrongSecretIsExit4AndNeverShown) {
  auto r = Run("--key " + PublicKey() + " --retries 1 s3://models/resnet/m.tar.gz model", Creds("wrong-secret-value"));
  // The real S3 server's own error code, and what to do about it.
  ExpectFailure(r, 4, "HTTP 403 SignatureDoesNotMatch: the secret key does not belong to the access key ID");
  ExpectNoSecret(r, {"wrong-secret-value"});
}

// KServe's awsAnonymousCredential (s3-useanoncredential on the Secret) asks for unsigned
// requests, as --anonymous does; without it and without credentials the verifier refuses.
TEST_F(ProgramS3Test, KserveAnonymousCredentialIsAnonymousAccess) {
  std::string endpoint = "S3_ENDPOINT=" + s3_->endpoint().substr(7) + " S3_USE_HTTPS=0";
  auto r = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", endpoint + " awsAnonymousCredential=true");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 100000u);
  auto refused = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", endpoint + " awsAnonymousCredential=false");
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
}

// Keys are requested as themselves: a space, '+' and '%' are URI-encoded once (s3rver checks
// the SigV4 signature over that path and decodes it to the key).
// KServe's storage spec (`storage: {key: …}` or the serving.kserve.io/storageSecretName
// annotation): the secret's JSON entry arrives as STORAGE_CONFIG, with STORAGE_OVERRIDE_CONFIG
// (the spec's parameters) over it, and answers for the S3 variables (kserve_storage 0.21.0,
// Storage._update_with_storage_spec). Only "type": "s3" is read; the secret key is masked.
TEST_F(ProgramS3Test, KserveStorageConfigGivesTheS3SettingsAndCredentials) {
  json config = {{"type", "s3"}, {"access_key_id", kS3AccessKey}, {"secret_access_key", "wrong-secret-value"},
                 {"endpoint_url", s3_->endpoint()}, {"region", "us-east-1"}, {"bucket", "models"}};
  std::string args = "--key " + PublicKey() + " --retries 1 s3://models/resnet/m.tar.gz model";
  std::string storage = "STORAGE_CONFIG=" + Quote(config.dump());
  ExpectFailure(Run(args, storage), 4, "SignatureDoesNotMatch");  // the config's own (wrong) secret is used
  auto r = Run(args, storage + " STORAGE_OVERRIDE_CONFIG=" + Quote(json({{"secret_access_key", kS3SecretKey}}).dump()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 100000u);
  ExpectNoSecret(r, {kS3SecretKey, "wrong-secret-value"});
  fs::remove_all(Dest());
  // Another type (hdfs: not a source verify-and-fetch serves) gives nothing: no credentials.
  config["type"] = "hdfs";
  EXPECT_EQ(Run(args, "STORAGE_CONFIG=" + Quote(config.dump())).exit_code, 2);
  // Not JSON: a configuration error naming the variable, not its content.
  auto bad = Run(args, "STORAGE_CONFIG=" + Quote("{\"type\": \"s3\", \"secret_access_key\": \"" + kS3SecretKey + "\""));
  ExpectFailure(bad, 2, "the variable STORAGE_CONFIG is not a JSON object");
  ExpectNoSecret(bad, {kS3SecretKey});
}

// A private S3 behind a certificate of the cluster's own CA, which KServe hands its
// initializer as the global CA bundle (caBundleConfigMapName: the ConfigMap mounted at
// CA_BUNDLE_VOLUME_MOUNT_POINT, cabundle.crt): with it the download is verified TLS; without
// it the system's CAs refuse the server (exit 4). The real S3 server, over https.
TEST_F(ProgramTest, KserveCaBundleReachesAPrivateS3OverHttps) {
  S3rver s3(/*https=*/true);
  if (!s3.skip_reason().empty()) AEGIS_SKIP_WITHOUT_PEER(s3.skip_reason());
  TempDir d;
  WriteArchive(d.File("m.tar.gz"), ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, std::string(5000, 'c')}});
  ASSERT_EQ(RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " m.tar.gz | base64 -w0 > m.tar.gz.sig", d.path()).exit_code, 0);
  for (const char* f : {"m.tar.gz", "m.tar.gz.sig"}) ASSERT_EQ(s3.Put(d.File(f), std::string("private/") + f), "");
  std::string bundle_dir = dir_.File("custom-certs");
  fs::create_directories(bundle_dir);
  fs::copy_file(s3.ca_file(), bundle_dir + "/cabundle.crt");
  std::string env = "AWS_ACCESS_KEY_ID=" + kS3AccessKey + " AWS_SECRET_ACCESS_KEY=" + kS3SecretKey + " S3_ENDPOINT=" +
                    s3.endpoint().substr(8) + " S3_USE_HTTPS=1";
  std::string args = "--key " + PublicKey() + " --retries 1 s3://models/private/m.tar.gz model";
  ExpectFailure(Run(args, env), 4, "certificate");
  auto r = Run(args, env + " CA_BUNDLE_CONFIGMAP_NAME=cabundle CA_BUNDLE_VOLUME_MOUNT_POINT=" + bundle_dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 5000u);
}

TEST_F(ProgramS3Test, KeysWithSpacesAndPlusSignsAreFetched) {
  TempDir d;
  WriteArchive(d.File("m.tar.gz"), ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, std::string(1000, 'k')}});
  ASSERT_EQ(RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " m.tar.gz | base64 -w0 > m.tar.gz.sig", d.path()).exit_code, 0);
  ASSERT_EQ(s3_->Put(d.File("m.tar.gz"), "odd/v%201%2B2%25.tar.gz"), "");
  ASSERT_EQ(s3_->Put(d.File("m.tar.gz.sig"), "odd/v%201%2B2%25.tar.gz.sig"), "");
  auto r = Run("--key " + PublicKey() + " 's3://models/odd/v 1+2%.tar.gz' model", Creds());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 1000u);
}

TEST_F(ProgramS3Test, MissingObjectIsExit3) {
  ExpectFailure(Run("--key " + PublicKey() + " s3://models/resnet/none.tar.gz model", Creds()), 3, "s3://models/resnet/none.tar.gz");
}

TEST_F(ProgramS3Test, KserveEndpointVariablesAndSharedCredentialsWithSessionToken) {
  WriteFile(dir_.File("credentials"), "[serving]\naws_access_key_id = " + kS3AccessKey + "\naws_secret_access_key = " +
                                          kS3SecretKey + "\naws_session_token = SessionTokenValue123\n");
  std::string env = "S3_ENDPOINT=" + s3_->endpoint().substr(7) + " S3_USE_HTTPS=0 AWS_SHARED_CREDENTIALS_FILE=" +
                    dir_.File("credentials") + " AWS_PROFILE=serving";
  auto r = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectNoSecret(r, {kS3SecretKey, "SessionTokenValue123"});
}

TEST_F(ProgramS3Test, WebIdentityTokensAndStsCredentialsNeverAppearInAnyOutput) {
  const std::string web_token = "eyJhbGciOiJSUzI1NiJ9.web-identity-token-value.sig";
  const std::string session = "StsSessionTokenValue456";
  HttpServer sts([&](const HttpRequest&, HttpConnection& c) {
    c.Respond(200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>" +
                       kS3AccessKey + "</AccessKeyId><SecretAccessKey>" + kS3SecretKey + "</SecretAccessKey><SessionToken>" +
                       session + "</SessionToken></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  });
  WriteFile(dir_.File("token"), web_token + "\n");
  std::string env = "AWS_ROLE_ARN=arn:aws:iam::1:role/r AWS_WEB_IDENTITY_TOKEN_FILE=" + dir_.File("token") +
                    " AWS_ENDPOINT_URL_STS=" + sts.Url("") + " AWS_ENDPOINT_URL_S3=" + s3_->endpoint();
  auto ok = Run("--key " + PublicKey() + " s3://models/resnet/m.tar.gz model", env);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(sts.requests(), 1) << "credentials are resolved once for the signature and the artifact";
  ExpectNoSecret(ok, {web_token, session, kS3SecretKey});
  fs::remove_all(Dest());
  auto failed = Run("--key " + OtherPublicKey() + " s3://models/resnet/m.tar.gz model", env);
  ExpectFailure(failed, 5, "does not verify");
  ExpectNoSecret(failed, {web_token, session, kS3SecretKey});
}

}  // namespace
}  // namespace aegis::testing
