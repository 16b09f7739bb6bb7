// verify-and-fetch and `aegis verify` fetching Azure Blob URIs (KServe's
// https://ACCOUNT.blob.core.windows.net/CONTAINER/PATH) from the real emulator, Azurite
// (tests/support/azurite.h), which checks every Shared Key and SAS signature and, over https,
// the bearer tokens' issuer, audience and lifetime. The Entra ID token endpoint and IMDS are
// in-test servers answering with the request and response shapes Microsoft documents
// (learn.microsoft.com: "Microsoft identity platform and the OAuth 2.0 client credentials
// flow", its client-assertion form for workload identity federation, and "How to use managed
// identities for Azure resources on an Azure VM to acquire an access token"): no real Entra
// ID can run here.
#include <ctime>

#include "platform/http.h"
#include "support/azurite.h"
#include "support/http_server.h"
#include "util/base64.h"
#include "util/strings.h"
#include "verifier/common/fetch.h"
#include "verifier/program_fixture.h"
#include "verifier/sources/azure_blob.h"

namespace aegis::testing {
namespace {

std::string Uri(const std::string& container, const std::string& blob) {
  return "https://devstoreaccount1.blob.core.windows.net/" + container + "/" + blob;
}

class AzureTest : public ServerProgramTest<AzureTest, Azurite> {
 protected:
  static void SetUpTestSuite() {
    MakeData();
    StartServer();
    if (!ServerUp()) return;
    ASSERT_EQ(server_->CreateContainer("models"), "");
    ASSERT_EQ(server_->CreateContainer("public", /*public_access=*/true), "");
    std::string archive = data_->File("m.tar.gz");
    WriteArchive(archive, ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, Weights(300000)}});
    auto sig = RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " m.tar.gz | base64 -w0 > m.tar.gz.sig", data_->path());
    ASSERT_EQ(sig.exit_code, 0) << sig.err;
    std::string bad = ReadFile(archive);
    bad[bad.size() / 2] ^= 1;
    WriteFile(data_->File("bad.tar.gz"), bad);
    for (const std::string container : {"models", "public"}) {
      ASSERT_EQ(server_->Put(archive, container, "resnet/m.tar.gz"), "");
      ASSERT_EQ(server_->Put(archive + ".sig", container, "resnet/m.tar.gz.sig"), "");
    }
    ASSERT_EQ(server_->Put(data_->File("bad.tar.gz"), "models", "tampered/m.tar.gz"), "");
    ASSERT_EQ(server_->Put(archive + ".sig", "models", "tampered/m.tar.gz.sig"), "");
    // Model directories: signed; and signed, then one more object added.
    for (const std::string name : {"tree/v1", "planted/v1"}) {
      SignedModel(data_->path(), name, PrivateKey());
      for (const auto& e : fs::recursive_directory_iterator(data_->File(name))) {
        if (!e.is_regular_file()) continue;
        ASSERT_EQ(
            server_->Put(e.path().string(), "models", name + "/" + fs::relative(e.path(), data_->File(name)).string()),
            "");
      }
    }
    WriteFile(data_->File("planted.py"), "import os\n");
    ASSERT_EQ(server_->Put(data_->File("planted.py"), "models", "planted/v1/planted.py"), "");
  }
  // Routed to Azurite by the connection string; no IMDS (a closed port).
  static std::string Routed(const std::string& connection_string) {
    return "AZURE_STORAGE_CONNECTION_STRING=" + Quote(connection_string) + " AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:1";
  }
  // The account and its endpoint without a credential.
  static std::string EndpointOnly() {
    return std::string("AccountName=devstoreaccount1;BlobEndpoint=") + server_->endpoint();
  }
  RunResult Fetch(const std::string& uri, const std::string& env, const std::string& extra = "") {
    return Run("--allow-insecure-http --key " + PublicKey() + " " + extra + " " + Quote(uri) + " model", env);
  }
  // The location of a blob of container "models", reached through Azurite's connection string.
  static Expected<verifier::AzureBlobLocation> InAzurite(const std::string& blob) {
    return verifier::ResolveAzureBlob(Uri("models", blob), [](const std::string& name) -> std::optional<std::string> {
      if (name == "AZURE_STORAGE_CONNECTION_STRING") return server_->ConnectionString();
      return std::nullopt;
    });
  }
};

TEST_F(AzureTest, ConnectionStringKeySignsAndTheModelIsVerifiedAndPlaced) {
  auto r = Fetch(Uri("models", "resnet/m.tar.gz"), Routed(server_->ConnectionString()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(Dest() + "/model.bin"), Weights(300000));
  EXPECT_NE(r.err.find("signature fetched uri=" + Uri("models", "resnet/m.tar.gz.sig")), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("azure credentials source=\"devstoreaccount1: account key (AZURE_STORAGE_CONNECTION_STRING)\""), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find(std::string(verifier::kAzuriteKey).substr(0, 20)), std::string::npos) << "the account key is shown";
}

TEST_F(AzureTest, AnHttpEndpointNeedsTheInsecureFlag) {
  auto r = Run("--key " + PublicKey() + " " + Uri("models", "resnet/m.tar.gz") + " model",
               Routed(server_->ConnectionString()));
  ExpectFailure(r, 2, "BlobEndpoint is http://");
}

TEST_F(AzureTest, KserveAccountKeyVariableAndItsRefusal) {
  auto r = Fetch(Uri("models", "resnet/m.tar.gz"), Routed(EndpointOnly()) + " AZURE_STORAGE_ACCESS_KEY=" + verifier::kAzuriteKey);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("account key (AZURE_STORAGE_ACCESS_KEY)"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  // Another (valid base64) key: Azurite refuses the signature, exit 4, the key never shown.
  std::string wrong = Base64Encode(std::string(64, 'k'));
  r = Fetch(Uri("models", "resnet/m.tar.gz"), Routed(EndpointOnly()) + " AZURE_STORAGE_KEY=" + wrong);
  ExpectFailure(r, 4, "access denied");
  for (const std::string& out : {r.out, r.err, Reason()}) EXPECT_EQ(out.find(wrong.substr(0, 16)), std::string::npos);
  ExpectFailure(Fetch(Uri("models", "resnet/m.tar.gz"), Routed(EndpointOnly()) + " AZURE_STORAGE_KEY=not-base64!"), 2,
                "the account key is not base64");
}

TEST_F(AzureTest, MissingBlobIsExit3AndTamperedIsExit5) {
  ExpectFailure(Fetch(Uri("models", "resnet/none.tar.gz"), Routed(server_->ConnectionString())), 3,
                Uri("models", "resnet/none.tar.gz"));
  ExpectFailure(Fetch(Uri("models", "tampered/m.tar.gz"), Routed(server_->ConnectionString())), 5, "does not verify");
  ExpectFailure(Fetch(Uri("nocontainer", "resnet/m.tar.gz"), Routed(server_->ConnectionString())), 3, "nocontainer");
}

// A SAS in the URI (as a storageUri may carry it), or in AZURE_STORAGE_SAS_TOKEN; Azurite
// checks its signature. The signature never appears in any output.
TEST_F(AzureTest, SharedAccessSignaturesAreUsedAndNeverShown) {
  std::string sas = server_->AccountSas("rl", "2099-01-01T00:00:00Z");
  std::string sig = sas.substr(sas.find("&sig=") + 5);
  auto r = Fetch(Uri("models", "resnet/m.tar.gz") + "?" + sas, Routed(EndpointOnly()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("devstoreaccount1: shared access signature (in the URI)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("uri=" + Uri("models", "resnet/m.tar.gz") + "?<redacted>"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(sig.substr(0, 12)), std::string::npos) << "the SAS signature is shown";
  fs::remove_all(Dest());
  r = Fetch(Uri("models", "tree/v1/"), Routed(EndpointOnly()) + " AZURE_STORAGE_SAS_TOKEN=" + Quote("?" + sas));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  EXPECT_NE(r.err.find("shared access signature (AZURE_STORAGE_SAS_TOKEN)"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  // A SAS whose signature was made with another key, and one without list permission.
  std::string forged = sas.substr(0, sas.find("&sig=") + 5) + PercentEncode(Base64Encode(std::string(32, 'x')));
  ExpectFailure(Fetch(Uri("models", "resnet/m.tar.gz") + "?" + forged, Routed(EndpointOnly())), 4, "access denied");
  ExpectFailure(
      Fetch(Uri("models", "tree/v1/") + "?" + server_->AccountSas("r", "2099-01-01T00:00:00Z"), Routed(EndpointOnly())),
      4, "listing refused");
  ExpectFailure(Fetch(Uri("models", "resnet/m.tar.gz") + "?sv=2021-08-06&sp=r", Routed(EndpointOnly())), 2, "not a shared access signature");
}

// Without any credential the verifier reads anonymously, as KServe does: a public container
// serves, a private one refuses.
TEST_F(AzureTest, AnonymousReadsPublicContainersOnly) {
  auto r = Fetch(Uri("public", "resnet/m.tar.gz"), Routed(EndpointOnly()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("devstoreaccount1: anonymous: no Azure credentials"), std::string::npos) << r.err;
  ExpectFailure(Fetch(Uri("models", "resnet/m.tar.gz"), Routed(EndpointOnly())), 4, "access denied");
}

TEST_F(AzureTest, ModelDirectoryIsListedFetchedVerifiedAndPlaced) {
  auto r = Fetch(Uri("models", "tree/v1/"), Routed(server_->ConnectionString()), "--parallel 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  EXPECT_EQ(ReadFile(Dest() + "/1/model.onnx"), Weights(150000));
  EXPECT_NE(r.err.find("model directory fetched uri=" + Uri("models", "tree/v1/") + " files=4"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  // KServe's form, without the slash.
  r = Fetch(Uri("models", "tree/v1"), Routed(server_->ConnectionString()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Placed(Dest()), kSigned);
  fs::remove_all(Dest());
  ExpectFailure(Fetch(Uri("models", "planted/v1/"), Routed(server_->ConnectionString())), 5, "planted.py");
  ExpectFailure(Fetch(Uri("models", "none/"), Routed(server_->ConnectionString())), 3, "no object under the prefix");
}

TEST_F(AzureTest, AegisVerifyChecksTheDirectoryWithoutPlacingIt) {
  std::string cmd = "env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + Routed(server_->ConnectionString()) + " " +
                    AEGIS_BIN + " verify --allow-insecure-http --key " + PublicKey() + " " + Uri("models", "tree/v1/");
  auto r = RunShell(cmd, dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  cmd = "env -i PATH=/usr/bin:/bin HOME=" + dir_.path() + " " + Routed(server_->ConnectionString()) + " " + AEGIS_BIN +
        " verify --allow-insecure-http --key " + PublicKey() + " " + Uri("models", "planted/v1/");
  r = RunShell(cmd, dir_.path());
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("planted.py"), std::string::npos) << r.out << r.err;
}

// A resumed download asks for the rest with Range, which Shared Key signs: Azurite accepts
// the signature and answers 206 with the rest of the blob.
TEST_F(AzureTest, ARangedRequestIsSignedWithItsRange) {
  auto loc = InAzurite("resnet/m.tar.gz.sig");
  ASSERT_TRUE(loc.ok()) << loc.error().message;
  verifier::AzureCredential key{verifier::AzureCredential::Kind::kSharedKey, verifier::kAzuriteKey, "test"};
  platform::HttpRequest request;
  request.url = verifier::AzureBlobUrl(*loc, loc->blob);
  request.range_from = 10;
  auto headers = verifier::AzureAuthHeaders(request.url, *loc, key, 10);
  ASSERT_TRUE(headers.ok());
  request.headers = *headers;
  platform::HttpClient client;
  auto r = client.SendForText(request, 1 << 20);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 206) << r->body;
  EXPECT_EQ(r->body, ReadFile(data_->File("m.tar.gz.sig")).substr(10));
  // The same headers for another range: the signature no longer matches.
  request.range_from = 11;
  r = client.SendForText(request, 1 << 20);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
}

// One blob in parts: every ranged GET carries its own Shared Key signature over its Range.
TEST_F(AzureTest, ABlobInPartsIsSignedPartByPart) {
  auto loc = InAzurite("resnet/m.tar.gz");
  ASSERT_TRUE(loc.ok()) << loc.error().message;
  verifier::AzureCredential key{verifier::AzureCredential::Kind::kSharedKey, verifier::kAzuriteKey, "test"};
  verifier::FetchOptions base;
  base.parts = 3;
  base.part_bytes = 1000;
  base.max_attempts = 1;
  auto o = verifier::AzureFetchOptions(*loc, key, base);
  ASSERT_TRUE(o.ok()) << o.error().message;
  std::string expected = ReadFile(data_->File("m.tar.gz"));
  ASSERT_GT(expected.size(), 2000u);
  auto r = verifier::Fetch(verifier::AzureBlobUrl(*loc, loc->blob), data_->File("in-parts"), *o);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->parts, static_cast<int>((expected.size() + 999) / 1000));
  EXPECT_EQ(ReadFile(data_->File("in-parts")), expected);
}

// Azurite over https with its OAuth check: Entra ID tokens (service principal, workload
// identity) and managed identity (IMDS).
class AzureOAuthTest : public ServerProgramTest<AzureOAuthTest, Azurite> {
 protected:
  static void SetUpTestSuite() {
    MakeData();
    StartServer(/*https_with_oauth=*/true);
    if (!ServerUp()) return;
    ASSERT_EQ(server_->CreateContainer("models"), "");
    std::string archive = data_->File("m.tar.gz");
    WriteArchive(archive, ArchiveFormat::kTarGz, {{"model.bin", AE_IFREG, 0644, Weights(100000)}});
    auto sig = RunShell("openssl dgst -sha256 -sign " + PrivateKey() + " m.tar.gz | base64 -w0 > m.tar.gz.sig", data_->path());
    ASSERT_EQ(sig.exit_code, 0) << sig.err;
    ASSERT_EQ(server_->Put(archive, "models", "resnet/m.tar.gz"), "");
    ASSERT_EQ(server_->Put(archive + ".sig", "models", "resnet/m.tar.gz.sig"), "");
  }
  // An access token as Entra ID issues it for Azure Storage (claims Azurite checks; the
  // signature part is not checked by Azurite, so it is not a real one).
  static std::string AccessToken(long lifetime = 3600, const std::string& aud = "https://storage.azure.com") {
    long now = static_cast<long>(std::time(nullptr));
    auto b64url = [](const std::string& s) {
      std::string e = Base64Encode(s);
      for (char& c : e) c = c == '+' ? '-' : c == '/' ? '_' : c;
      while (!e.empty() && e.back() == '=') e.pop_back();
      return e;
    };
    json claims = {{"aud", aud}, {"iss", "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"},
                   {"iat", now - 60}, {"nbf", now - 60}, {"exp", now + lifetime}, {"oid", "fetcher"}};
    return b64url(R"({"alg":"RS256","typ":"JWT"})") + "." + b64url(claims.dump()) + "." + b64url("not-a-real-signature");
  }
  static std::string Form(const std::string& body, const std::string& name) {
    for (size_t at = 0; at < body.size();) {
      size_t amp = body.find('&', at);
      std::string kv = body.substr(at, amp == std::string::npos ? std::string::npos : amp - at);
      if (kv.rfind(name + "=", 0) == 0) return kv.substr(name.size() + 1);
      if (amp == std::string::npos) break;
      at = amp + 1;
    }
    return {};
  }
  RunResult Fetch(const std::string& env) {
    return Run("--ca-bundle " + server_->ca_file() + " --key " + PublicKey() + " " + Uri("models", "resnet/m.tar.gz") +
                   " model",
               "AZURE_STORAGE_CONNECTION_STRING=" +
                   Quote("AccountName=devstoreaccount1;BlobEndpoint=" + server_->endpoint()) + " " + env);
  }
};

// The client-credentials grant at {authority}/{tenant}/oauth2/v2.0/token for
// https://storage.azure.com/.default; a wrong secret is invalid_client (HTTP 401).
TEST_F(AzureOAuthTest, ServicePrincipalTokenReadsThePrivateContainer) {
  std::string token = AccessToken();
  HttpServer entra([&](const HttpRequest& req, HttpConnection& c) {
    bool ok = req.method == "POST" && req.target == "/tenant-1/oauth2/v2.0/token" && Form(req.body, "grant_type") == "client_credentials" &&
              Form(req.body, "client_id") == "app-1" && Form(req.body, "scope") == "https%3A%2F%2Fstorage.azure.com%2F.default";
    if (!ok) return c.Respond(400, R"({"error":"invalid_request"})");
    if (Form(req.body, "client_secret") != "s3cret-value") return c.Respond(401, R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."})");
    c.Respond(200, json({{"token_type", "Bearer"}, {"expires_in", 3599}, {"access_token", token}}).dump());
  });
  std::string sp = "AZURE_AUTHORITY_HOST=" + entra.Url("") + " AZURE_TENANT_ID=tenant-1 AZURE_CLIENT_ID=app-1 ";
  auto r = Fetch(sp + "AZURE_CLIENT_SECRET=s3cret-value");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(Dest() + "/model.bin"), Weights(100000));
  EXPECT_NE(r.err.find("service principal app-1 (AZURE_CLIENT_ID)"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  // KServe's own variable names.
  r = Fetch("AZURE_AUTHORITY_HOST=" + entra.Url("") + " AZ_TENANT_ID=tenant-1 AZ_CLIENT_ID=app-1 AZ_CLIENT_SECRET=s3cret-value");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::remove_all(Dest());
  r = Fetch(sp + "AZURE_CLIENT_SECRET=wrong-value");
  ExpectFailure(r, 4, "service principal token: the endpoint refused the credentials: HTTP 401 invalid_client");
  for (const std::string& out : {r.out, r.err, Reason()}) {
    EXPECT_EQ(out.find("wrong-value"), std::string::npos);
    EXPECT_EQ(out.find("AADSTS"), std::string::npos) << "descriptions may quote what was sent";
  }
  ExpectFailure(Fetch("AZURE_AUTHORITY_HOST=" + entra.Url("") + " AZURE_TENANT_ID=../x AZURE_CLIENT_ID=a AZURE_CLIENT_SECRET=b"), 2,
                "is not an Entra ID tenant");
}

// Azurite checks the bearer token it is sent: an expired one, or one for another audience,
// is refused (exit 4), so the token really reaches the store.
TEST_F(AzureOAuthTest, TokensAzureStorageWouldNotAcceptAreRefused) {
  for (const std::string& token : {AccessToken(-120), AccessToken(3600, "https://management.azure.com")}) {
    HttpServer entra([&](const HttpRequest&, HttpConnection& c) {
      c.Respond(200, json({{"token_type", "Bearer"}, {"expires_in", 3599}, {"access_token", token}}).dump());
    });
    ExpectFailure(Fetch("AZURE_AUTHORITY_HOST=" + entra.Url("") + " AZURE_TENANT_ID=t AZURE_CLIENT_ID=a AZURE_CLIENT_SECRET=b"), 4,
                  "access denied");
  }
}

// AKS Workload Identity: the projected service-account token is the client assertion.
TEST_F(AzureOAuthTest, WorkloadIdentityFederatedTokenIsTheClientAssertion) {
  std::string token = AccessToken();
  WriteFile(dir_.File("azure-identity-token"), "eyJhbGciOiJSUzI1NiJ9.projected-sa-token.sig\n");
  HttpServer entra([&](const HttpRequest& req, HttpConnection& c) {
    bool ok = Form(req.body, "client_assertion_type") == "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer" &&
              Form(req.body, "client_assertion") == "eyJhbGciOiJSUzI1NiJ9.projected-sa-token.sig" && Form(req.body, "client_id") == "wi-app" &&
              Form(req.body, "client_secret").empty() && req.target == "/tenant-2/oauth2/v2.0/token";
    if (!ok) return c.Respond(400, R"({"error":"invalid_client"})");
    c.Respond(200, json({{"token_type", "Bearer"}, {"expires_in", 3599}, {"access_token", token}}).dump());
  });
  std::string wi = "AZURE_AUTHORITY_HOST=" + entra.Url("") + "/ AZURE_TENANT_ID=tenant-2 AZURE_CLIENT_ID=wi-app ";
  auto r = Fetch(wi + "AZURE_FEDERATED_TOKEN_FILE=" + dir_.File("azure-identity-token"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("workload identity wi-app (AZURE_FEDERATED_TOKEN_FILE)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("projected-sa-token"), std::string::npos);
  fs::remove_all(Dest());
  ExpectFailure(Fetch(wi + "AZURE_FEDERATED_TOKEN_FILE=/var/run/none/token"), 2, "/var/run/none/token");
}

// Managed identity: IMDS's token endpoint, which requires the Metadata header.
TEST_F(AzureOAuthTest, ManagedIdentityTokenComesFromImds) {
  std::string token = AccessToken();
  HttpServer imds([&](const HttpRequest& req, HttpConnection& c) {
    if (req.headers.count("metadata") == 0 || req.headers.at("metadata") != "true") return c.Respond(400, R"({"error":"invalid_request"})");
    if (req.target.rfind("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F", 0) != 0) {
      return c.Respond(400, R"({"error":"invalid_resource"})");
    }
    c.Respond(200, json({{"access_token", token}, {"expires_on", "1900000000"}, {"resource", "https://storage.azure.com/"},
                         {"token_type", "Bearer"}})
                       .dump());
  });
  auto r = Fetch("AZURE_POD_IDENTITY_AUTHORITY_HOST=" + imds.Url(""));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("managed identity (IMDS"), std::string::npos) << r.err;
  fs::remove_all(Dest());
  // No identity assigned (IMDS answers 400): anonymous, which the private container refuses.
  HttpServer none([](const HttpRequest&, HttpConnection& c) { c.Respond(400, R"({"error":"invalid_request","error_description":"Identity not found"})"); });
  r = Fetch("AZURE_POD_IDENTITY_AUTHORITY_HOST=" + none.Url(""));
  ExpectFailure(r, 4, "access denied");
  EXPECT_NE(r.err.find("anonymous: no Azure credentials"), std::string::npos) << r.err;
}

// KServe's storage-initializer contract over a private HTTPS server (Azurite with its OAuth
// check on; the blob as a plain https:// URL, no Azure scheme): the headers KServe hands the
// initializer in `<host>-headers` (from a secret's https-host/headers, pkg/credentials/https)
// and its cluster-wide CA bundle (the ConfigMap KServe mounts at CA_BUNDLE_VOLUME_MOUNT_POINT,
// cabundle.crt), read as kserve_storage 0.21.0 reads them. Without either, the same download fails.
TEST_F(AzureOAuthTest, KserveHostHeadersAndCaBundleReachAPrivateHttpsServer) {
  std::string token = AccessToken();
  std::string url = server_->endpoint() + "/models/resnet/m.tar.gz";
  std::string args = "--key " + PublicKey() + " --retries 1 " + url + " model";
  std::string bundle_dir = dir_.File("custom-certs");
  fs::create_directories(bundle_dir);
  fs::copy_file(server_->ca_file(), bundle_dir + "/cabundle.crt");
  std::string ca = "CA_BUNDLE_CONFIGMAP_NAME=cabundle CA_BUNDLE_VOLUME_MOUNT_POINT=" + bundle_dir + " ";
  std::string headers = Quote("127.0.0.1-headers=" + json({{"Authorization", "Bearer " + token}, {"x-ms-version", "2021-08-06"}}).dump());
  auto r = Run(args, ca + headers);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::file_size(Dest() + "/model.bin"), 100000u);
  EXPECT_NE(r.err.find("configmap=cabundle"), std::string::npos) << r.err;
  for (const std::string* text : {&r.out, &r.err}) EXPECT_EQ(text->find(token), std::string::npos) << "a header value is shown";
  fs::remove_all(Dest());
  ExpectFailure(Run(args, ca), 4, "HTTP 403 AuthorizationFailure");  // no headers: the server refuses
  ExpectFailure(Run(args, headers), 4, "certificate");  // no CA bundle: the system's CAs do not know this server
  // A configured bundle that is not there, and headers that are not a JSON object of strings:
  // configuration errors (exit 2) naming what is wrong, never a header's value.
  ExpectFailure(Run(args, "CA_BUNDLE_CONFIGMAP_NAME=cabundle CA_BUNDLE_VOLUME_MOUNT_POINT=" + dir_.File("none") + " " + headers), 2,
                dir_.File("none") + "/cabundle.crt");
  auto bad = Run(args, ca + Quote("127.0.0.1-headers={\"Authorization\": [\"" + token + "\"]}"));
  ExpectFailure(bad, 2, "127.0.0.1-headers: the value of \"Authorization\" is not a string");
  EXPECT_EQ(Reason().find(token), std::string::npos);
}

}  // namespace
}  // namespace aegis::testing
