#include "support/registry.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <ctime>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/peers.h"
#include "util/base64.h"
#include "util/strings.h"

namespace aegis::testing {
namespace {
using nlohmann::json;

std::string B64Url(std::string_view s) {
  std::string e = Base64Encode(s);
  for (char& c : e) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!e.empty() && e.back() == '=') e.pop_back();
  return e;
}


// ES256 over `input` with the PEM key: the JWS form (r || s, 32 bytes each).
std::string SignEs256(const std::string& key_pem, const std::string& input) {
  BIO* bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return {};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string der;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1) {
    der.resize(len);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &len, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1) {
      der.resize(len);
    } else {
      der.clear();
    }
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) return {};
  unsigned char raw[64];
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
  ECDSA_SIG_free(sig);
  return std::string(reinterpret_cast<char*>(raw), sizeof raw);
}

}  // namespace

Registry::Registry(RegistryAuth auth) {
  std::string registry = PeerBinary("registry", "DISTRIBUTION", "registry");
  oras_ = PeerBinary("oras", "ORAS", "oras");
  if (registry.empty() || oras_.empty()) {
    skip_ = "the registry (CNCF Distribution) or oras is not installed (ci/peers.sh)";
    return;
  }
  skip_ = MakeTestServerCertificate(certs_.path(), "registry-test-ca");
  if (!skip_.empty()) return;
  auto made = RunShell(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout token.key -out token.pem -days 2 "
      "-subj /CN=registry-token-issuer 2>/dev/null",
      certs_.path());
  if (made.exit_code != 0) {
    skip_ = "openssl could not make the test certificates: " + made.err;
    return;
  }
  token_ = std::make_unique<HttpServer>(
      [this](const HttpRequest& req, HttpConnection& c) {
        std::string user;
        if (auto it = req.headers.find("authorization"); it != req.headers.end() && it->second.rfind("Basic ", 0) == 0) {
          auto plain = Base64Decode(it->second.substr(6));
          std::string up = plain ? *plain : std::string();
          if (up == "pusher:push-secret") user = "pusher";
          else if (up == "reader:read-secret") user = "reader";
          else return c.Respond(401, R"({"details":"invalid credentials"})");
        }
        std::string scope;
        std::string q = req.target.substr(req.target.find('?') + 1);
        for (size_t at = 0; at < q.size();) {
          size_t amp = q.find('&', at);
          std::string kv = q.substr(at, amp == std::string::npos ? std::string::npos : amp - at);
          if (kv.rfind("scope=", 0) == 0) scope = PercentDecode(kv.substr(6), true);
          if (amp == std::string::npos) break;
          at = amp + 1;
        }
        c.Respond(200, json({{"token", Token(user, scope)}, {"expires_in", 300}}).dump(), {"Content-Type: application/json"});
      },
      TlsConfig{certs_.File("server.pem"), certs_.File("server.key"), ""});
  // A free port can be taken by another suite between FreePort() and the bind: up to three
  // ports are tried, and a failure says what the registry printed.
  std::string auth_config = fmt::format(R"(auth:
  token:
    realm: {}
    service: aegis-test-registry
    issuer: aegis-test-issuer
    rootcertbundle: {}
)",
                                         token_->Url("/token"), certs_.File("token.pem"));
  if (auth == RegistryAuth::kBasic) {
    // Distribution's htpasswd auth takes bcrypt hashes only: glibc's crypt makes them ($2b$), at
    // the lowest cost (every request is checked against it).
    auto hashed = RunShell("python3 -W ignore -c \"import crypt; print('pusher:' + crypt.crypt('push-secret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))); "
                           "print('reader:' + crypt.crypt('read-secret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))\"");
    if (hashed.exit_code != 0 || hashed.out.find("$2b$") == std::string::npos) {
      skip_ = "no bcrypt hash for the registry's htpasswd file: " + hashed.err;
      return;
    }
    WriteFile(work_.File("htpasswd"), hashed.out);
    auth_config = fmt::format("auth:\n  htpasswd:\n    realm: aegis-test-registry\n    path: {}\n", work_.File("htpasswd"));
  }
  std::string said;
  for (int attempt = 0; attempt < 3; ++attempt) {
    int port = FreePort();
    host_ = "127.0.0.1:" + std::to_string(port);
    WriteFile(work_.File("config.yml"), fmt::format(R"(version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  inmemory: {{}}
http:
  addr: {0}
  tls:
    certificate: {1}
    key: {2}
{3})",
                                                    host_, certs_.File("server.pem"), certs_.File("server.key"), auth_config));
    server_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        "sh", "-c",
        "OTEL_TRACES_EXPORTER=none \"$0\" serve \"$1\" 2>&1 | tee \"$2\" | "
        "{ while IFS= read -r l; do case \"$l\" in *'listening on'*) echo READY; break;; esac; done; cat >/dev/null; }",
        registry, work_.File("config.yml"), work_.File("registry.log")});
    auto line = server_->ReadLine(20000);
    if (line && *line == "READY") return;
    said = ReadFile(work_.File("registry.log"));
    server_.reset();
  }
  skip_ = "the registry did not start: " + said.substr(said.size() > 600 ? said.size() - 600 : 0);
}

std::string Registry::Token(const std::string& user, const std::string& scope) const {
  // scope: repository:NAME:ACTIONS
  json access = json::array();
  size_t first = scope.find(':'), last = scope.rfind(':');
  if (!user.empty() && first != std::string::npos && last > first) {
    std::set<std::string> allowed = user == "pusher" ? std::set<std::string>{"pull", "push"} : std::set<std::string>{"pull"};
    json actions = json::array();
    std::string list = scope.substr(last + 1);
    for (size_t at = 0; at <= list.size();) {
      size_t comma = list.find(',', at);
      std::string a = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
      if (allowed.count(a) != 0) actions.push_back(a);
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
    access.push_back({{"type", scope.substr(0, first)}, {"name", scope.substr(first + 1, last - first - 1)}, {"actions", actions}});
  }
  std::string cert = ReadFile(certs_.File("token.pem"));
  std::string b64;
  for (std::string line; !cert.empty();) {
    size_t nl = cert.find('\n');
    line = cert.substr(0, nl);
    cert = nl == std::string::npos ? "" : cert.substr(nl + 1);
    if (line.rfind("-----", 0) != 0) b64 += line;
  }
  long now = static_cast<long>(std::time(nullptr));
  json header = {{"alg", "ES256"}, {"typ", "JWT"}, {"x5c", json::array({b64})}};
  json claims = {{"iss", "aegis-test-issuer"}, {"sub", user},     {"aud", "aegis-test-registry"}, {"exp", now + 300},
                 {"nbf", now - 10},            {"iat", now - 10}, {"jti", std::to_string(now) + user}, {"access", access}};
  std::string input = B64Url(header.dump()) + "." + B64Url(claims.dump());
  return input + "." + B64Url(SignEs256(ReadFile(certs_.File("token.key")), input));
}

std::string Registry::Push(const std::string& dir, const std::string& ref, const std::vector<std::string>& files) const {
  std::string cmd = "HOME=" + work_.path() + " " + oras_ + " push --no-tty --ca-file " + ca_file() + " -u pusher -p push-secret " + host_ + "/" + ref;
  for (const auto& f : files) cmd += " '" + f + "'";
  auto r = RunShell(cmd + " 2>&1", dir);
  return r.exit_code == 0 ? "" : "oras push failed: " + r.out + r.err;
}

std::string Registry::PushImage(const std::vector<std::string>& layers, const std::string& ref) const {
  if (!HaveCommand("buildah")) return "buildah is not installed";
  std::filesystem::create_directories(work_.File("certs.d"));
  std::filesystem::copy_file(ca_file(), work_.File("certs.d/ca.crt"), std::filesystem::copy_options::overwrite_existing);
  std::string name = "localhost/aegis-test-" + std::to_string(std::hash<std::string>{}(ref + host_));
  // Each directory is committed on top of the last image: one layer each.
  std::string script = "set -e; from=scratch; ";
  for (const auto& layer : layers) {
    script += "ctr=$(buildah from --quiet $from); buildah copy --quiet $ctr '" + layer + "' / >/dev/null; buildah commit --quiet $ctr " +
              name + " >/dev/null; buildah rm $ctr >/dev/null; from=" + name + "; ";
  }
  script += "buildah push --quiet --cert-dir " + work_.File("certs.d") + " --creds pusher:push-secret " + name + " docker://" + host_ + "/" +
            ref + " >/dev/null; buildah rmi " + name + " >/dev/null 2>&1 || true";
  auto run = RunShell(script + " 2>&1");
  return run.exit_code == 0 ? "" : "buildah could not build or push the image: " + run.out + run.err;
}

std::optional<std::string> Registry::Oras(const std::string& args) const {
  std::string login = args.rfind("cp ", 0) == 0
                          ? " --from-ca-file " + ca_file() + " --to-ca-file " + ca_file() +
                                " --from-username pusher --from-password push-secret --to-username pusher --to-password push-secret"
                          : " --ca-file " + ca_file() + " -u pusher -p push-secret";
  auto r = RunShell("HOME=" + work_.path() + " " + oras_ + " " + args + login);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "oras " << args << ": " << r.out << r.err;
    return std::nullopt;
  }
  return r.out;
}

std::string Registry::Cosign(const std::string& cosign, const std::string& args, const std::string& dir) const {
  std::filesystem::create_directories(work_.File("docker"));
  WriteFile(work_.File("docker/config.json"), DockerConfig("pusher", "push-secret"));
  auto r = RunShell("HOME=" + work_.path() + " DOCKER_CONFIG=" + work_.File("docker") + " SSL_CERT_FILE=" + ca_file() +
                        " COSIGN_PASSWORD= COSIGN_YES=true " + cosign + " " + args + " 2>&1",
                    dir);
  return r.exit_code == 0 ? "" : "cosign " + args + ": " + r.out + r.err;
}

std::string Registry::DockerConfig(const std::string& user, const std::string& password) const {
  return json({{"auths", {{host_, {{"auth", Base64Encode(user + ":" + password)}}}}}}).dump();
}

ReferrersRegistry::ReferrersRegistry() {
  std::string binary = PeerBinary("referrers-registry", "GO_CONTAINERREGISTRY", "referrers-registry");
  oras_ = PeerBinary("oras", "ORAS", "oras");
  if (binary.empty() || oras_.empty()) {
    skip_ = "the referrers registry (go-containerregistry) or oras is not installed (ci/peers.sh)";
    return;
  }
  skip_ = MakeTestServerCertificate(certs_.path(), "referrers-registry-test-ca");
  if (!skip_.empty()) return;
  std::string said;
  for (int attempt = 0; attempt < 3; ++attempt) {  // a free port can be taken before the bind
    host_ = "127.0.0.1:" + std::to_string(FreePort());
    server_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        binary, "--address", host_, "--tls-cert", certs_.File("server.pem"), "--tls-key", certs_.File("server.key")});
    auto line = server_->ReadLine(20000);
    if (line && line->rfind("listening on", 0) == 0) return;
    said = line ? *line : "(nothing)";
    server_.reset();
  }
  skip_ = "the referrers registry did not start: " + said;
}

std::optional<std::string> ReferrersRegistry::Oras(const std::string& args) const {
  auto r = RunShell("HOME=" + certs_.path() + " " + oras_ + " " + args + " --ca-file " + ca_file());
  if (r.exit_code != 0) {
    ADD_FAILURE() << "oras " << args << ": " << r.out << r.err;
    return std::nullopt;
  }
  return r.out;
}

}  // namespace aegis::testing
