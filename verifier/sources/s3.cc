#include "verifier/sources/s3.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "util/strings.h"
#include "platform/http.h"
#include "platform/net_error.h"

namespace aegis::verifier {
namespace {

constexpr size_t kCredentialAnswerLimit = 1u << 20;  // credential answers are small

bool Truthy(const std::optional<std::string>& v) {
  return v && (*v == "1" || *v == "true" || *v == "True" || *v == "TRUE");
}

bool Falsy(const std::optional<std::string>& v) {
  return v && (*v == "0" || *v == "false" || *v == "False" || *v == "FALSE");
}

}  // namespace

S3Location ResolveS3Bucket(const std::string& bucket, const Env& env) {
  S3Location loc;
  loc.region = env("AWS_REGION").value_or(env("AWS_DEFAULT_REGION").value_or("us-east-1"));
  std::optional<std::string> endpoint = env("AWS_ENDPOINT_URL_S3");
  if (!endpoint) endpoint = env("AWS_ENDPOINT_URL");
  if (!endpoint) {
    if (auto kserve = env("S3_ENDPOINT")) {
      // KServe's form: a host[:port] and S3_USE_HTTPS ("0" means plain HTTP).
      bool https = !(env("S3_USE_HTTPS") == std::optional<std::string>("0"));
      endpoint = kserve->find("://") == std::string::npos ? (https ? "https://" : "http://") + *kserve : *kserve;
    }
  }
  if (endpoint) {
    while (!endpoint->empty() && endpoint->back() == '/') endpoint->pop_back();
    // Custom endpoints (MinIO, Ceph, s3rver) are path-style unless asked otherwise.
    loc.path_style = !Truthy(env("S3_USER_VIRTUAL_BUCKET"));
    if (loc.path_style) {
      loc.url = fmt::format("{}/{}/", *endpoint, bucket);
    } else {
      size_t scheme = endpoint->find("://") + 3;
      loc.url = fmt::format("{}{}.{}/", endpoint->substr(0, scheme), bucket, endpoint->substr(scheme));
    }
    return loc;
  }
  loc.url = fmt::format("https://{}.s3.{}.amazonaws.com/", bucket, loc.region);
  return loc;
}

Expected<S3Location> ResolveS3(const std::string& uri, const Env& env) {
  if (!uri.starts_with("s3://")) return Error{ErrorKind::kUsage, {}, {}, fmt::format("not an s3:// URI: {}", uri)};
  std::string rest = uri.substr(5);
  size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= rest.size()) {
    return Error{ErrorKind::kUsage, {}, {}, fmt::format("expected s3://BUCKET/KEY, got {}", uri)};
  }
  S3Location loc = ResolveS3Bucket(rest.substr(0, slash), env);
  // Each segment of the key URI-encoded once, as SigV4's canonical URI for S3 is: a key with a
  // space, '+' or '%' (a model directory's file names) is requested as itself.
  std::string key = rest.substr(slash + 1);
  for (size_t at = 0;;) {
    size_t next = key.find('/', at);
    loc.url += PercentEncode(key.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos) break;
    loc.url += '/';
    at = next + 1;
  }
  return loc;
}

std::optional<AwsCredentials> StaticCredentials(const Env& env) {
  auto id = env("AWS_ACCESS_KEY_ID"), secret = env("AWS_SECRET_ACCESS_KEY");
  if (id && secret) return AwsCredentials{*id, *secret, env("AWS_SESSION_TOKEN").value_or(""), "environment"};
  std::string path;
  if (auto f = env("AWS_SHARED_CREDENTIALS_FILE")) {
    path = *f;
  } else if (auto home = env("HOME")) {
    path = *home + "/.aws/credentials";
  } else {
    return std::nullopt;
  }
  std::string profile = env("AWS_PROFILE").value_or("default");
  std::ifstream in(path);
  if (!in) return std::nullopt;
  AwsCredentials c;
  bool in_profile = false;
  for (std::string line; std::getline(in, line);) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      in_profile = Trim(line.substr(1, line.size() - 2)) == profile;
      continue;
    }
    size_t eq = line.find('=');
    if (!in_profile || eq == std::string::npos) continue;
    std::string k = Trim(line.substr(0, eq)), v = Trim(line.substr(eq + 1));
    if (k == "aws_access_key_id") c.access_key_id = v;
    if (k == "aws_secret_access_key") c.secret_access_key = v;
    if (k == "aws_session_token") c.session_token = v;
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty()) return std::nullopt;
  c.source = fmt::format("shared credentials file (profile {})", profile);
  return c;
}

}  // namespace aegis::verifier

namespace aegis::verifier {
namespace {

// The text of <Tag>…</Tag> in an STS XML answer.
std::string XmlText(const std::string& xml, const std::string& tag) {
  size_t a = xml.find("<" + tag + ">");
  if (a == std::string::npos) return {};
  a += tag.size() + 2;
  size_t b = xml.find("</" + tag + ">", a);
  return b == std::string::npos ? std::string() : xml.substr(a, b - a);
}

std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Trim(s);
}

Expected<AwsCredentials> WebIdentity(const Env& env, const std::string& role, const std::string& token_file) {
  auto token = ReadSmallFile(token_file);
  if (!token || token->empty()) {
    return Error{ErrorKind::kUsage, token_file, {}, "AWS_WEB_IDENTITY_TOKEN_FILE cannot be read"};
  }
  std::string region = env("AWS_REGION").value_or(env("AWS_DEFAULT_REGION").value_or("us-east-1"));
  std::string endpoint = env("AWS_ENDPOINT_URL_STS").value_or(fmt::format("https://sts.{}.amazonaws.com", region));
  std::string form = fmt::format("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={}&RoleSessionName={}"
                                 "&WebIdentityToken={}",
                                 PercentEncode(role), PercentEncode(env("AWS_ROLE_SESSION_NAME").value_or("aegis-verify-and-fetch")),
                                 PercentEncode(*token));
  platform::HttpRequest request;
  request.method = "POST";
  request.url = endpoint + "/";
  request.headers = {"Content-Type: application/x-www-form-urlencoded"};
  request.body = form;
  request.total_timeout = std::chrono::seconds(20);
  platform::HttpClient client;
  auto r = client.SendForText(request, kCredentialAnswerLimit);
  if (!r) return Error{NetError::kNetwork, endpoint, {}, "STS AssumeRoleWithWebIdentity: " + r.error().message};
  if (r->status != 200) {
    std::string code = XmlText(r->body, "Code");
    return Error{NetError::kNetwork, endpoint, {},
                 fmt::format("STS AssumeRoleWithWebIdentity failed: HTTP {}{}", r->status, code.empty() ? "" : " " + code)};
  }
  AwsCredentials c{XmlText(r->body, "AccessKeyId"), XmlText(r->body, "SecretAccessKey"), XmlText(r->body, "SessionToken"),
                   "web identity (" + role + ")"};
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Error{NetError::kNetwork, endpoint, {}, "STS answered without credentials"};
  }
  return c;
}

Expected<AwsCredentials> Container(const Env& env, const std::string& url) {
  std::vector<std::string> headers;
  std::optional<std::string> token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (auto file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    token = ReadSmallFile(*file);
    if (!token) return Error{ErrorKind::kUsage, *file, {}, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE cannot be read"};
  }
  if (token) headers.push_back("Authorization: " + *token);
  platform::HttpRequest request;
  request.url = url;
  request.headers = headers;
  request.total_timeout = std::chrono::seconds(20);
  platform::HttpClient client;
  auto r = client.SendForText(request, kCredentialAnswerLimit);
  if (!r) return Error{NetError::kNetwork, url, {}, "container credentials: " + r.error().message};
  if (r->status != 200) {
    return Error{NetError::kNetwork, url, {}, fmt::format("container credentials endpoint answered HTTP {}", r->status)};
  }
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  auto str = [&](const char* k) { return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; };
  AwsCredentials c{str("AccessKeyId"), str("SecretAccessKey"), str("Token"), "container credentials"};
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Error{NetError::kNetwork, url, {}, "container credentials endpoint answered without credentials"};
  }
  return c;
}

}  // namespace

Expected<std::optional<AwsCredentials>> ResolveCredentials(const Env& env) {
  if (auto c = StaticCredentials(env)) return std::optional<AwsCredentials>(*c);
  auto role = env("AWS_ROLE_ARN"), token_file = env("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (role && token_file) {
    auto c = WebIdentity(env, *role, *token_file);
    if (!c) return c.error();
    return std::optional<AwsCredentials>(*c);
  }
  std::optional<std::string> url = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!url) {
    if (auto rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) url = "http://169.254.170.2" + *rel;
  }
  if (url) {
    auto c = Container(env, *url);
    if (!c) return c.error();
    return std::optional<AwsCredentials>(*c);
  }
  return std::optional<AwsCredentials>();
}

bool S3TlsVerificationDisabled(const Env& env) { return Falsy(env("S3_VERIFY_SSL")); }

Expected<FetchResult> FetchS3(const std::string& uri, const std::string& out_path, const Env& env,
                              FetchOptions options, bool anonymous) {
  auto resolved = ResolveCredentials(env);
  if (!resolved) return resolved.error();
  return FetchS3With(uri, out_path, env, *resolved, std::move(options), anonymous);
}

Status SignS3Requests(const std::string& uri, const std::string& region, const Env& env, const std::optional<AwsCredentials>& creds,
                      FetchOptions& options, bool anonymous) {
  if (!creds && !anonymous) {
    return Error{ErrorKind::kUsage, uri, {},
                 "no AWS credentials (environment, shared file, web identity or container credentials); "
                 "anonymous access must be asked for"};
  }
  if (creds) {
    options.aws_sigv4 = fmt::format("aws:amz:{}:s3", region);
    options.aws_credentials = creds->access_key_id + ":" + creds->secret_access_key;
    // SHA-256 of the empty body of a GET.
    options.headers.push_back("x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    if (!creds->session_token.empty()) options.headers.push_back("x-amz-security-token: " + creds->session_token);
    // curl re-sends custom headers (the session token) to wherever a redirect points, and S3
    // itself redirects only to say "another region": a signed request never follows one.
    options.follow_redirects = false;
  }
  if (Falsy(env("S3_VERIFY_SSL"))) options.insecure_skip_tls_verify = true;
  if (auto ca = env("AWS_CA_BUNDLE"); ca && !ca->empty() && options.ca_bundle.empty()) options.ca_bundle = *ca;
  return Ok{};
}

Expected<FetchResult> FetchS3With(const std::string& uri, const std::string& out_path, const Env& env,
                                  const std::optional<AwsCredentials>& creds, FetchOptions options, bool anonymous) {
  auto loc = ResolveS3(uri, env);
  if (!loc) return loc.error();
  if (Status s = SignS3Requests(uri, loc->region, env, creds, options, anonymous); !s) return s.error();
  auto r = Fetch(loc->url, out_path, options);
  if (!r) {
    Error e = r.error();
    e.file = uri;  // the s3:// name, never a signed URL
    return e;
  }
  return r;
}

}  // namespace aegis::verifier
