#include "verifier/sources/gcs.h"

#include <cctype>

#include <fmt/format.h>

#include "util/strings.h"

namespace aegis::verifier {
namespace {

// Bucket naming rules (cloud.google.com/storage/docs/buckets#naming): 3–222 characters of
// lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit.
bool ValidBucket(std::string_view b) {
  if (b.size() < 3 || b.size() > 222) return false;
  for (char c : b) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return std::isalnum(static_cast<unsigned char>(b.front())) != 0 && std::isalnum(static_cast<unsigned char>(b.back())) != 0;
}

}  // namespace

std::string GcsEndpoint(const platform::Env& env) {
  if (auto host = env("STORAGE_EMULATOR_HOST")) {
    std::string h = *host;
    while (!h.empty() && h.back() == '/') h.pop_back();
    return h.find("://") == std::string::npos ? "http://" + h : h;
  }
  return "https://storage.googleapis.com";
}

Expected<GcsLocation> ResolveGcs(const std::string& uri, const platform::Env& env) {
  if (uri.rfind("gs://", 0) != 0) return Error{ErrorKind::kUsage, uri, {}, "not a gs:// URI"};
  std::string rest = uri.substr(5);
  size_t slash = rest.find('/');
  GcsLocation loc;
  loc.bucket = rest.substr(0, slash);
  loc.object = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
  if (!ValidBucket(loc.bucket)) {
    return Error{ErrorKind::kUsage, uri, {}, fmt::format("{:?} is not a Cloud Storage bucket name", loc.bucket)};
  }
  if (loc.object.empty()) return Error{ErrorKind::kUsage, uri, {}, "gs:// URI without an object name (gs://bucket/object)"};
  if (loc.object.find_first_of("?#") != std::string::npos || loc.object.find('\n') != std::string::npos) {
    return Error{ErrorKind::kUsage, uri, {}, "an object name with '?', '#' or a newline is not accepted"};
  }
  loc.url = fmt::format("{}/storage/v1/b/{}/o/{}?alt=media", GcsEndpoint(env), loc.bucket, PercentEncode(loc.object));
  return loc;
}

Expected<FetchResult> FetchGcs(const std::string& uri, const std::string& out_path, const platform::Env& env,
                               const std::optional<GoogleToken>& token, FetchOptions options) {
  auto loc = ResolveGcs(uri, env);
  if (!loc) return loc.error();
  if (token) {
    options.headers.push_back("Authorization: Bearer " + token->access_token);
    options.follow_redirects = false;  // curl would carry the bearer token to wherever it points
  }
  auto r = Fetch(loc->url, out_path, options);
  if (!r) {
    Error e = r.error();
    e.file = uri;
    return e;
  }
  return r;
}

}  // namespace aegis::verifier
