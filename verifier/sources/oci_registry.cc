#include "verifier/sources/oci_registry.h"

#include <arpa/inet.h>
#include <sys/utsname.h>

#include <cctype>
#include <cstring>
#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "platform/http.h"
#include "platform/net_error.h"
#include "util/base64.h"
#include "util/file_io.h"
#include "util/json_access.h"
#include "util/strings.h"
#include "verifier/common/crypto.h"
#include "verifier/common/storage_error.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {
namespace {
using nlohmann::json;

constexpr size_t kManifestLimit = 4u << 20;  // the spec's recommended manifest limit
constexpr const char* kAccept =
    "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

bool IsDigest(std::string_view d) {
  return d.size() == 71 && d.substr(0, 7) == "sha256:" && d.substr(7).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Repository path components (distribution-spec): [a-z0-9]+ joined by '.', '_', '__' or '-'s.
bool ValidRepository(std::string_view repo) {
  if (repo.empty() || repo.size() > 255) return false;
  size_t at = 0;
  for (;;) {
    size_t slash = repo.find('/', at);
    std::string_view part = repo.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at);
    if (part.empty() || !std::isalnum(static_cast<unsigned char>(part.front())) || !std::isalnum(static_cast<unsigned char>(part.back()))) {
      return false;
    }
    for (char c : part) {
      if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    if (slash == std::string_view::npos) return true;
    at = slash + 1;
  }
}

bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > 128 || !(std::isalnum(static_cast<unsigned char>(t.front())) || t.front() == '_')) return false;
  for (char c : t) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
  }
  return true;
}

// key="value" parameters of a WWW-Authenticate challenge.
std::string ChallengeParam(std::string_view challenge, std::string_view key) {
  for (size_t at = 0; (at = challenge.find(key, at)) != std::string_view::npos; at += key.size()) {
    bool starts = at == 0 || challenge[at - 1] == ' ' || challenge[at - 1] == ',';
    size_t eq = at + key.size();
    if (!starts || eq + 1 >= challenge.size() || challenge[eq] != '=' || challenge[eq + 1] != '"') continue;
    size_t end = challenge.find('"', eq + 2);
    if (end == std::string_view::npos) return {};
    return std::string(challenge.substr(eq + 2, end - eq - 2));
  }
  return {};
}

// host[:port] of an https:// URL.
std::string RealmHost(const std::string& url) {
  std::string rest = url.substr(8);
  return rest.substr(0, rest.find_first_of("/?#"));
}

// host[:port] or [v6][:port] → the host.
std::string HostName(const std::string& host_port) {
  if (!host_port.empty() && host_port[0] == '[') return host_port.substr(1, host_port.find(']') - 1);
  if (host_port.find(':') != host_port.rfind(':')) return host_port;  // a bare IPv6 literal
  return host_port.substr(0, host_port.find(':'));
}

// An IP literal in a loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 — cloud
// metadata —, fe80::/10) or unspecified range. A registry's token realm there is refused
// unless it is on the registry's own host, as ORAS and go-containerregistry (cosign, crane;
// validateRealmURL, which also wants the same port) refuse it: a registry must not send the
// pod's credentials, or the pod, to an internal service. Names are not resolved for this.
bool IsInternalAddress(const std::string& host_port) {
  std::string host = HostName(host_port);
  unsigned char a[16];
  if (inet_pton(AF_INET, host.c_str(), a) == 1) {
    return a[0] == 127 || a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 169 && a[1] == 254) || (a[0] == 0);
  }
  if (inet_pton(AF_INET6, host.c_str(), a) == 1) {
    static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char unspecified[16] = {};
    return std::memcmp(a, loopback, 16) == 0 || std::memcmp(a, unspecified, 16) == 0 || (a[0] & 0xFE) == 0xFC ||
           (a[0] == 0xFE && (a[1] & 0xC0) == 0x80);
  }
  return false;
}

std::string Arch() {
  utsname u{};
  if (::uname(&u) != 0) return "amd64";
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  return m;
}

Error RegistryError(const std::string& shown, const std::string& what, long status, const std::string& body) {
  std::string code;
  if (auto j = ParseJsonBounded(body, 16); j && j->is_object()) {
    if (const json* errors = JsonAt(*j, {"errors"}); errors != nullptr && errors->is_array() && !errors->empty()) {
      code = JsonStringOr((*errors)[0], {"code"});
    }
  }
  std::string msg = fmt::format("{}: HTTP {}{}", what, status, code.empty() ? "" : " " + Printable(Abbreviate(code, 64)));
  if (status == 404) return Error{NetError::kNotFound, shown, {}, msg};
  if (status == 401 || status == 403) return Error{NetError::kForbidden, shown, {}, msg};
  return Error{NetError::kNetwork, shown, {}, msg};
}

}  // namespace

std::string OciReference::Display() const {
  return fmt::format("oci://{}/{}{}", registry, repository, digest.empty() ? ":" + tag : "@" + digest);
}

bool IsOciUri(const std::string& uri) { return uri.rfind("oci://", 0) == 0; }

Expected<OciReference> ParseOciReference(const std::string& uri) {
  auto usage = [&](const std::string& what) { return Error{ErrorKind::kUsage, uri, {}, what}; };
  if (!IsOciUri(uri)) return usage("not an oci:// reference");
  std::string rest = uri.substr(6);
  size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0) return usage("expected oci://REGISTRY/REPOSITORY[:TAG|@sha256:DIGEST]");
  OciReference ref;
  ref.registry = rest.substr(0, slash);
  for (char c : ref.registry) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':')) return usage("an invalid registry host");
  }
  std::string name = rest.substr(slash + 1);
  if (size_t at = name.find('@'); at != std::string::npos) {
    ref.digest = name.substr(at + 1);
    name.resize(at);
    if (!IsDigest(ref.digest)) return usage("the digest must be sha256:<64 lower-case hex digits>");
  }
  if (size_t colon = name.rfind(':'); colon != std::string::npos && name.find('/', colon) == std::string::npos) {
    ref.tag = name.substr(colon + 1);
    name.resize(colon);
    if (!ValidTag(ref.tag)) return usage(fmt::format("{:?} is not a tag", ref.tag));
  }
  if (!ValidRepository(name)) return usage(fmt::format("{:?} is not a repository name (lower-case letters, digits, '.', '_', '-', '/')", name));
  ref.repository = name;
  if (ref.digest.empty() && ref.tag.empty()) ref.tag = "latest";
  if (!ref.digest.empty()) ref.tag.clear();  // the digest decides
  return ref;
}

Expected<std::optional<RegistryCredential>> ResolveRegistryCredential(const platform::Env& env, const std::string& registry) {
  std::vector<std::pair<std::string, bool>> files;  // path, must exist
  if (auto f = env("REGISTRY_AUTH_FILE")) files.emplace_back(*f, true);
  if (auto d = env("DOCKER_CONFIG")) files.emplace_back(*d + "/config.json", true);
  else if (auto h = env("HOME")) files.emplace_back(*h + "/.docker/config.json", false);
  for (const auto& [path, required] : files) {
    auto text = ReadInput(path, 1 << 20);
    if (!text) {
      if (!required && text.error().kind == ErrorKind::kIo) continue;
      return Error{ErrorKind::kUsage, path, {}, "the registry credentials file cannot be read: " + text.error().message};
    }
    auto j = ParseJsonBounded(*text, 32);
    if (!j || !j->is_object()) return Error{ErrorKind::kUsage, path, {}, "not a docker config (JSON with \"auths\")"};
    const json* auths = JsonAt(*j, {"auths"});
    if (auths == nullptr || !auths->is_object()) continue;
    for (const auto& [key, entry] : auths->items()) {
      // Keys are a host, a host:port, or a URL (https://host/v1/ for Docker Hub's old form).
      std::string host = key;
      if (size_t scheme = host.find("://"); scheme != std::string::npos) host = host.substr(scheme + 3);
      host = host.substr(0, host.find('/'));
      if (host != registry) continue;
      RegistryCredential c{JsonStringOr(entry, {"username"}), JsonStringOr(entry, {"password"}), path};
      if (std::string auth = JsonStringOr(entry, {"auth"}); !auth.empty()) {
        auto decoded = Base64Decode(auth);
        size_t colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos) return Error{ErrorKind::kUsage, path, {}, fmt::format("the entry for {} is not base64 user:password", registry)};
        c.username = decoded->substr(0, colon);
        c.password = decoded->substr(colon + 1);
      }
      if (c.username.empty()) continue;
      return std::optional<RegistryCredential>(c);
    }
  }
  return std::optional<RegistryCredential>();
}

Status RegistryClient::Authorize(const std::string& challenge) {
  const std::string shown = ref_.Display();
  std::string scheme = challenge.substr(0, challenge.find(' '));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string basic = credential_ ? "Basic " + Base64Encode(credential_->username + ":" + credential_->password) : std::string();
  if (scheme == "basic") {
    if (!credential_) return Error{NetError::kForbidden, shown, {}, "the registry asks for credentials and none are configured"};
    authorization_ = basic;
    auth_summary_ = fmt::format("Basic, user {} ({})", credential_->username, credential_->source);
    return Ok{};
  }
  if (scheme != "bearer") return Error{NetError::kForbidden, shown, {}, "the registry asks for an unknown authentication scheme"};
  std::string realm = ChallengeParam(challenge, "realm"), service = ChallengeParam(challenge, "service");
  if (realm.rfind("https://", 0) != 0) return Error{NetError::kForbidden, shown, {}, "the registry's token realm is not https://"};
  if (std::string host = RealmHost(realm); HostName(host) != HostName(ref_.registry) && IsInternalAddress(host)) {
    return Error{NetError::kForbidden, shown, {}, fmt::format("the registry's token realm is at {}, a loopback, private or link-local address", host)};
  }
  std::string scope = ChallengeParam(challenge, "scope");
  if (scope.empty()) scope = "repository:" + ref_.repository + ":pull";
  platform::HttpRequest request;
  request.url = fmt::format("{}{}service={}&scope={}", realm, realm.find('?') == std::string::npos ? "?" : "&", PercentEncode(service),
                            PercentEncode(scope));
  if (credential_) request.headers.push_back("Authorization: " + basic);
  request.tls.ca_file = options_.ca_bundle;
  request.tls.extra_ca_pem = options_.extra_ca_pem;
  request.tls.insecure_skip_verify = options_.insecure_skip_tls_verify;
  request.connect_timeout = options_.connect_timeout;
  request.total_timeout = std::chrono::seconds(30);
  platform::HttpClient client;
  auto r = client.SendForText(request, 1 << 20);
  if (!r) return Error{NetError::kNetwork, RedactUri(realm), {}, "registry token: " + r.error().message};
  if (r->status != 200) {
    return Error{r->status / 100 == 4 ? NetError::kForbidden : NetError::kNetwork, shown, {},
                 fmt::format("the registry's token service refused {}: HTTP {}", credential_ ? "the credentials" : "anonymous access", r->status)};
  }
  auto j = ParseJsonBounded(r->body, 16);
  std::string token = j ? JsonStringOr(*j, {"token"}) : std::string();
  if (token.empty() && j) token = JsonStringOr(*j, {"access_token"});
  if (token.empty()) return Error{NetError::kNetwork, shown, {}, "the registry's token service answered no token"};
  authorization_ = "Bearer " + token;
  auth_summary_ = credential_ ? fmt::format("Bearer token for {} ({})", credential_->username, credential_->source) : "Bearer token, anonymous";
  return Ok{};
}

Expected<platform::HttpText> RegistryClient::Exchange(const Call& call) {
  const std::string shown = ref_.Display();
  platform::HttpRequest request;
  request.method = call.method;
  request.url = call.url.rfind("https://", 0) == 0 ? call.url : Base() + call.url;
  request.body = call.body;
  request.tls.ca_file = options_.ca_bundle;
  request.tls.extra_ca_pem = options_.extra_ca_pem;
  request.tls.insecure_skip_verify = options_.insecure_skip_tls_verify;
  request.connect_timeout = options_.connect_timeout;
  request.total_timeout = std::chrono::seconds(60);
  platform::HttpClient client;
  std::mt19937_64 rng(std::random_device{}());
  auto backoff = options_.initial_backoff;
  bool authorized = false;
  for (int attempt = 1;; ++attempt) {
    request.headers = {kAccept};
    if (!call.content_type.empty()) request.headers.push_back("Content-Type: " + call.content_type);
    if (!authorization_.empty()) request.headers.push_back("Authorization: " + authorization_);
    auto r = client.SendForText(request, call.limit);
    // Retried like a download: no answer, 5xx, 429.
    if ((!r || r->status >= 500 || r->status == 429) && attempt < options_.max_attempts) {
      auto wait = backoff + std::chrono::milliseconds(rng() % static_cast<uint64_t>(backoff.count() + 1));
      if (options_.sleep) options_.sleep(wait);
      else std::this_thread::sleep_for(wait);
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    if (!r) return Error{NetError::kNetwork, shown, {}, fmt::format("{}: {} (after {} attempts)", call.what, r.error().message, attempt)};
    // A challenge is answered once per call (a push asks for a wider scope than the pull before).
    if (r->status == 401 && !authorized && !r->www_authenticate.empty()) {
      if (Status s = Authorize(r->www_authenticate); !s) return s.error();
      authorized = true;
      continue;
    }
    if (r->status != call.expect) {
      Error e = RegistryError(shown, call.what, r->status, r->body);
      if (r->status == 401 && !credential_) {
        e.message += fmt::format(" (refused anonymously: no credentials for {} in REGISTRY_AUTH_FILE, DOCKER_CONFIG or ~/.docker/config.json)",
                                 ref_.registry);
      }
      return e;
    }
    return std::move(*r);
  }
}

Expected<std::string> RegistryClient::GetText(const std::string& path, const char* what, size_t limit, std::string* media_type) {
  auto r = Exchange(Call{"GET", path, {}, {}, what, limit, 200});
  if (!r) return r.error();
  *media_type = r->content_type.substr(0, r->content_type.find(';'));
  return std::move(r->body);
}

Expected<std::string> RegistryClient::PushBlob(const std::string& bytes) {
  std::string digest = "sha256:" + Hex(Sha256(bytes));
  auto started = Exchange(Call{"POST", "/blobs/uploads/", {}, {}, "blob upload", 1 << 16, 202});
  if (!started) return started.error();
  std::string location = started->location;
  if (location.empty()) return Error{NetError::kNetwork, ref_.Display(), {}, "blob upload: the registry gave no upload location"};
  if (location.front() == '/') location = "https://" + ref_.registry + location;  // relative to the registry
  if (location.rfind("https://" + ref_.registry + "/", 0) != 0) {
    return Error{NetError::kNetwork, ref_.Display(), {}, "blob upload: the upload location is not on the registry"};
  }
  location += (location.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + PercentEncode(digest);
  auto put = Exchange(Call{"PUT", location, bytes, "application/octet-stream", "blob upload", 1 << 16, 201});
  if (!put) return put.error();
  return digest;
}

Expected<bool> RegistryClient::PushManifest(const std::string& reference, const std::string& bytes, const std::string& media_type) {
  auto put = Exchange(Call{"PUT", "/manifests/" + reference, bytes, media_type, "manifest upload", 1 << 16, 201});
  if (!put) return put.error();
  return !put->oci_subject.empty();
}

Expected<RawManifest> RegistryClient::GetRawManifest(const std::string& reference) {
  RawManifest m;
  auto body = GetText("/manifests/" + reference, "manifest", kManifestLimit, &m.media_type);
  if (!body) return body.error();
  m.bytes = std::move(*body);
  m.digest = "sha256:" + Hex(Sha256(m.bytes));
  if (IsDigest(reference) && m.digest != reference) {
    return Error{VerifyError::kSignature, ref_.Display(), {},
                 fmt::format("the registry served a manifest whose digest is {}, not {}", m.digest, reference)};
  }
  return m;
}

Expected<std::optional<std::string>> RegistryClient::GetReferrers(const std::string& digest) {
  std::string media_type;
  auto body = GetText("/referrers/" + digest, "referrers", kManifestLimit, &media_type);
  if (!body && body.error().kind == NetError::kNotFound) return std::optional<std::string>();
  if (!body) return body.error();
  return std::optional<std::string>(std::move(*body));
}

Expected<OciManifest> RegistryClient::GetManifest() {
  const std::string shown = ref_.Display();
  std::string reference = ref_.digest.empty() ? ref_.tag : ref_.digest;
  for (int depth = 0; depth < 2; ++depth) {
    auto raw = GetRawManifest(reference);
    if (!raw) return raw.error();
    const std::string& digest = raw->digest;
    const std::string& media_type = raw->media_type;
    const std::string* body = &raw->bytes;
    auto j = ParseJsonBounded(*body, 32, kManifestLimit);
    if (!j || !j->is_object()) return Error{NetError::kNetwork, shown, {}, "manifest: not JSON"};
    std::string type = JsonStringOr(*j, {"mediaType"}, media_type);
    if (const json* manifests = JsonAt(*j, {"manifests"}); manifests != nullptr && manifests->is_array()) {
      // An index: this machine's linux manifest (or the only one).
      std::string pick;
      for (const json& m : *manifests) {
        if (JsonStringOr(m, {"platform", "os"}) == "linux" && JsonStringOr(m, {"platform", "architecture"}) == Arch()) {
          pick = JsonStringOr(m, {"digest"});
          break;
        }
      }
      if (pick.empty() && manifests->size() == 1) pick = JsonStringOr((*manifests)[0], {"digest"});
      if (!IsDigest(pick)) return Error{NetError::kNotFound, shown, {}, fmt::format("the index has no manifest for linux/{}", Arch())};
      reference = pick;
      continue;
    }
    const json* layers = JsonAt(*j, {"layers"});
    if (layers == nullptr || !layers->is_array()) return Error{NetError::kNetwork, shown, {}, "manifest: no layers"};
    OciManifest m{digest, type, JsonStringOr(*j, {"artifactType"}, JsonStringOr(*j, {"config", "mediaType"})), {}};
    for (const json& l : *layers) {
      OciLayer layer{JsonStringOr(l, {"mediaType"}), JsonStringOr(l, {"digest"}), 0,
                     JsonStringOr(l, {"annotations", "org.opencontainers.image.title"}),
                     JsonStringOr(l, {"annotations", "io.deis.oras.content.unpack"}) == "true"};
      const json* size = JsonAt(l, {"size"});
      if (!IsDigest(layer.digest) || size == nullptr || !size->is_number_unsigned()) {
        return Error{NetError::kNetwork, shown, {}, "manifest: a layer without a sha256 digest or a size"};
      }
      layer.size = size->get<uint64_t>();
      m.layers.push_back(std::move(layer));
    }
    return m;
  }
  return Error{NetError::kNetwork, shown, {}, "manifest: an index inside an index"};
}

Expected<FetchResult> RegistryClient::GetBlob(const std::string& digest, uint64_t size, const std::string& out_path) {
  const std::string shown = ref_.Display();
  FetchOptions o = options_;
  o.max_bytes = size == 0 ? 1 : size;
  if (!authorization_.empty()) o.headers.push_back("Authorization: " + authorization_);
  auto r = Fetch(Base() + "/blobs/" + digest, out_path, o);
  if (!r) {
    Error e = r.error();
    e.file = shown;
    if (e.kind == ErrorKind::kLimit) e.kind = VerifyError::kSignature;
    e.message = "blob " + digest + ": " + e.message;
    return e;
  }
  if ("sha256:" + Hex(r->digests.sha256) != digest) {
    return Error{VerifyError::kSignature, shown, {}, fmt::format("blob {}: the registry served other bytes (sha256:{})", digest, Hex(r->digests.sha256))};
  }
  return r;
}

}  // namespace aegis::verifier
