#include "support/azurite.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <filesystem>

#include "platform/http.h"
#include "util/base64.h"
#include "util/strings.h"
#include "verifier/sources/azure_auth.h"
#include "verifier/sources/azure_blob.h"

namespace aegis::testing {

Azurite::Azurite(bool https_with_oauth) {
  std::string bin = SourcePath("tests/azurite/node_modules/.bin/azurite-blob");
  if (!HaveCommand("node") || !std::filesystem::exists(bin)) {
    skip_ = "node or tests/azurite/node_modules (npm ci --prefix tests/azurite) missing";
    return;
  }
  std::vector<std::string> argv = {bin, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
                                   "--disableTelemetry", "--silent"};
  if (https_with_oauth) {
    skip_ = MakeTestServerCertificate(certs_.path(), "azurite-test-ca");
    if (!skip_.empty()) return;
    for (const char* a : {"--cert", "server.pem", "--key", "server.key", "--oauth", "basic"}) {
      argv.emplace_back(std::string(a).find('.') != std::string::npos ? certs_.File(a) : a);
    }
  }
  server_ = std::make_unique<ChildProcess>(argv, work_.path());
  const std::string said = "successfully listens on ";
  for (;;) {
    auto line = server_->ReadLine(30000);
    if (!line) {
      skip_ = "azurite did not start";
      return;
    }
    if (size_t at = line->find(said); at != std::string::npos) {
      endpoint_ = line->substr(at + said.size()) + "/" + verifier::kAzuriteAccount;
      return;
    }
  }
}

std::string Azurite::ConnectionString() const {
  return std::string("DefaultEndpointsProtocol=") + (endpoint_.rfind("https", 0) == 0 ? "https" : "http") +
         ";AccountName=" + verifier::kAzuriteAccount + ";AccountKey=" + verifier::kAzuriteKey + ";BlobEndpoint=" + endpoint_ + ";";
}

std::string Azurite::Send(const std::string& method, const std::string& path_and_query, const std::string& body,
                          std::vector<std::pair<std::string, std::string>> headers) const {
  platform::HttpRequest request;
  request.method = method;
  request.url = endpoint_ + path_and_query;
  request.body = body;
  request.tls.ca_file = certs_.File("ca.pem");
  char date[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  headers.emplace_back("x-ms-date", date);
  headers.emplace_back("x-ms-version", verifier::kAzureApiVersion);
  headers.emplace_back("Content-Length", std::to_string(body.size()));
  auto auth = verifier::SharedKeyAuthorization(method, request.url, headers, verifier::kAzuriteAccount, verifier::kAzuriteKey);
  if (!auth) return auth.error().message;
  for (const auto& [name, value] : headers) request.headers.push_back(name + ": " + value);
  request.headers.push_back("Authorization: " + *auth);
  platform::HttpClient client;
  auto r = client.SendForText(request, 1 << 20);
  if (!r) return method + " " + path_and_query + ": " + r.error().message;
  if (r->status / 100 != 2) return method + " " + path_and_query + ": HTTP " + std::to_string(r->status) + " " + r->body;
  return {};
}

std::string Azurite::CreateContainer(const std::string& name, bool public_access) const {
  std::vector<std::pair<std::string, std::string>> headers;
  if (public_access) headers.emplace_back("x-ms-blob-public-access", "container");
  return Send("PUT", "/" + name + "?restype=container", "", headers);
}

std::string Azurite::Put(const std::string& file, const std::string& container, const std::string& blob) const {
  std::string path;
  for (size_t at = 0;;) {  // each segment percent-encoded, as the verifier requests it
    size_t slash = blob.find('/', at);
    path += PercentEncode(blob.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
    if (slash == std::string::npos) break;
    path += '/';
    at = slash + 1;
  }
  return Send("PUT", "/" + container + "/" + path, ReadFile(file),
              {{"x-ms-blob-type", "BlockBlob"}, {"Content-Type", "application/octet-stream"}});
}

std::string Azurite::AccountSas(const std::string& permissions, const std::string& expiry) const {
  const std::string version = "2021-08-06", services = "b", types = "sco", protocol = "https,http";
  std::string to_sign = std::string(verifier::kAzuriteAccount) + "\n" + permissions + "\n" + services + "\n" + types + "\n\n" + expiry +
                        "\n\n" + protocol + "\n" + version + "\n\n";
  auto key = Base64Decode(verifier::kAzuriteKey);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()), reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(),
       mac, &len);
  std::string sig = Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), len));
  return "sv=" + version + "&ss=" + services + "&srt=" + types + "&sp=" + permissions + "&se=" + PercentEncode(expiry) +
         "&spr=" + PercentEncode(protocol) + "&sig=" + PercentEncode(sig);
}

}  // namespace aegis::testing
