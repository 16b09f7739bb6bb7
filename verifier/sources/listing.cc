#include "verifier/sources/listing.h"

#include <cctype>
#include <cstdlib>
#include <chrono>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "util/strings.h"

#include "platform/http.h"
#include "platform/net_error.h"
#include "util/json_access.h"
#include "verifier/common/storage_error.h"
#include "verifier/sources/gcs.h"

namespace aegis::verifier {
namespace {

constexpr size_t kPageLimit = 16u << 20;  // one page of a listing (1000 keys) is far smaller

std::string XmlUnescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    std::string_view entity = semi == std::string_view::npos ? std::string_view() : s.substr(i + 1, semi - i - 1);
    if (entity == "amp") out += '&';
    else if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (entity.size() > 1 && entity[0] == '#') {
      // A numeric reference; one that is not a number is kept as text (never a throw).
      bool hex = entity[1] == 'x';
      std::string digits(entity.substr(hex ? 2 : 1));
      char* end = nullptr;
      unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || end == nullptr || *end != '\0' || cp == 0 || cp >= 0x80) {
        out += '&';
        continue;
      }
      out += static_cast<char>(cp);
    } else {
      out += '&';
      continue;
    }
    i = semi;
  }
  return out;
}

// The text of each <tag>…</tag> in `xml` from `at` on, within [at, end).
std::string Tag(std::string_view xml, std::string_view tag) {
  std::string open = fmt::format("<{}>", tag), close = fmt::format("</{}>", tag);
  size_t a = xml.find(open);
  if (a == std::string_view::npos) return {};
  a += open.size();
  size_t b = xml.find(close, a);
  return b == std::string_view::npos ? std::string() : XmlUnescape(xml.substr(a, b - a));
}

std::optional<uint64_t> Number(const std::string& s) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoull(s);
}

Error TooMany(const std::string& uri, uint64_t max) {
  return Error{ErrorKind::kLimit, uri, {}, fmt::format("more than {} objects under the prefix", max)};
}

// What keeps a listing finite against a server that never ends it (docs/VERIFIER.md, "Limits"):
// pages that list something are bounded by the object limit; a page that lists nothing may come
// kMaxEmptyPages times; a continuation token is never followed twice; the whole listing ends by
// the download deadline (--timeout).
class PageGuard {
 public:
  static constexpr int kMaxEmptyPages = 100;

  PageGuard(std::string uri, std::chrono::milliseconds deadline)
      : uri_(std::move(uri)), deadline_(std::chrono::steady_clock::now() + deadline), limit_(deadline) {}

  // After a page that listed `added` objects, before following `token` to the next one.
  Status Next(size_t added, const std::string& token) {
    if (added == 0 && ++empty_ > kMaxEmptyPages) {
      return Error{ErrorKind::kLimit, uri_, {}, fmt::format("listing: more than {} pages without an object", kMaxEmptyPages)};
    }
    if (!seen_.insert(token).second) {
      return Error{NetError::kNetwork, uri_, {}, "listing: the server sent a continuation token it sent before"};
    }
    if (std::chrono::steady_clock::now() > deadline_) {
      return Error{ErrorKind::kLimit, uri_, {},
                   fmt::format("listing: not finished within {:g}s (--timeout)", static_cast<double>(limit_.count()) / 1000)};
    }
    return Ok{};
  }

 private:
  std::string uri_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::milliseconds limit_;
  int empty_ = 0;
  std::set<std::string> seen_;
};

}  // namespace

Expected<platform::HttpText> GetApiPage(const std::string& what, const std::string& uri, const std::string& url, const FetchOptions& o) {
  platform::HttpRequest request;
  request.url = url;
  request.tls.ca_file = o.ca_bundle;
  request.tls.extra_ca_pem = o.extra_ca_pem;
  request.tls.insecure_skip_verify = o.insecure_skip_tls_verify;
  request.connect_timeout = o.connect_timeout;
  request.total_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(120));
  request.stall_timeout = o.stall_timeout;
  request.aws_sigv4 = o.aws_sigv4;
  request.aws_credentials = o.aws_credentials;
  platform::HttpClient client;
  std::mt19937_64 rng(std::random_device{}());
  auto backoff = o.initial_backoff;
  std::string last;
  for (int attempt = 1;; ++attempt) {
    request.headers = o.headers;
    if (o.authorize) {
      for (std::string& h : o.authorize(url, 0, 0)) request.headers.push_back(std::move(h));
    }
    auto r = client.SendForText(request, kPageLimit);
    if (r && r->status == 200) return r;
    if (r && r->status == 404) return Error{NetError::kNotFound, uri, {}, what + ": " + DescribeStorageError(r->status, r->body, r->error_code)};
    if (r && (r->status == 401 || r->status == 403)) {
      return Error{NetError::kForbidden, uri, {}, what + " refused: " + DescribeStorageError(r->status, r->body, r->error_code)};
    }
    last = r ? DescribeStorageError(r->status, r->body, r->error_code) : r.error().message;
    bool retry = !r || r->status >= 500 || r->status == 429;
    if (!retry || attempt >= o.max_attempts) break;
    auto wait = backoff + std::chrono::milliseconds(rng() % static_cast<uint64_t>(backoff.count() + 1));
    if (o.sleep) o.sleep(wait);
    else std::this_thread::sleep_for(wait);
    backoff = std::min(backoff * 2, o.max_backoff);
  }
  return Error{NetError::kNetwork, uri, {}, what + " failed: " + last};
}

std::optional<std::pair<std::string, std::string>> SplitBucketUri(const std::string& uri) {
  for (const char* scheme : {"s3://", "gs://"}) {
    std::string_view s(scheme);
    if (uri.rfind(scheme, 0) != 0) continue;
    std::string rest = uri.substr(s.size());
    size_t slash = rest.find('/');
    std::string bucket = rest.substr(0, slash);
    if (bucket.empty()) return std::nullopt;
    return std::make_pair(bucket, slash == std::string::npos ? std::string() : rest.substr(slash + 1));
  }
  return std::nullopt;
}

Expected<std::vector<ListedObject>> ListS3(const std::string& uri, const platform::Env& env, const std::optional<AwsCredentials>& creds,
                                           FetchOptions options, bool anonymous, uint64_t max_objects) {
  auto split = SplitBucketUri(uri);
  if (!split || uri.rfind("s3://", 0) != 0) return Error{ErrorKind::kUsage, uri, {}, "expected s3://BUCKET/PREFIX/"};
  S3Location loc = ResolveS3Bucket(split->first, env);
  // Path-style: GET /bucket?list-type=2 (the form S3 documents; servers that check SigV4
  // canonicalise the bucket path without a trailing slash). Virtual-hosted: GET /?list-type=2.
  if (loc.path_style && loc.url.back() == '/') loc.url.pop_back();
  if (Status s = SignS3Requests(uri, loc.region, env, creds, options, anonymous); !s) return s.error();
  std::vector<ListedObject> out;
  std::string token;
  PageGuard guard(uri, options.total_timeout);
  for (;;) {
    size_t before = out.size();
    // Parameters in the order SigV4 canonicalises them (sorted by name).
    std::string url = loc.url + "?" + (token.empty() ? "" : "continuation-token=" + PercentEncode(token) + "&") +
                      "list-type=2&prefix=" + PercentEncode(split->second);
    auto page = GetApiPage("listing", uri, url, options);
    if (!page) return page.error();
    std::string_view xml = page->body;
    if (xml.find("<ListBucketResult") == std::string_view::npos) {
      return Error{NetError::kNetwork, uri, {}, "listing: the answer is not a ListBucketResult"};
    }
    for (size_t at = 0;;) {
      size_t a = xml.find("<Contents>", at);
      if (a == std::string_view::npos) break;
      size_t b = xml.find("</Contents>", a);
      if (b == std::string_view::npos) break;
      std::string_view entry = xml.substr(a, b - a);
      auto size = Number(Tag(entry, "Size"));
      std::string key = Tag(entry, "Key");
      if (key.empty() || !size) return Error{NetError::kNetwork, uri, {}, "listing: an entry without Key or Size"};
      out.push_back({key, *size});
      if (out.size() > max_objects) return TooMany(uri, max_objects);
      at = b;
    }
    if (Tag(xml, "IsTruncated") != "true") break;
    token = Tag(xml, "NextContinuationToken");
    if (token.empty()) return Error{NetError::kNetwork, uri, {}, "listing: truncated without a continuation token"};
    if (Status s = guard.Next(out.size() - before, token); !s) return s.error();
  }
  return out;
}

Expected<std::vector<ListedObject>> ListGcs(const std::string& uri, const platform::Env& env, const std::optional<GoogleToken>& token,
                                            const FetchOptions& options, uint64_t max_objects) {
  auto split = SplitBucketUri(uri);
  if (!split || uri.rfind("gs://", 0) != 0) return Error{ErrorKind::kUsage, uri, {}, "expected gs://BUCKET/PREFIX/"};
  FetchOptions o = options;
  if (token) o.headers.push_back("Authorization: Bearer " + token->access_token);
  std::vector<ListedObject> out;
  std::string page_token;
  PageGuard guard(uri, options.total_timeout);
  for (;;) {
    size_t before = out.size();
    std::string url = fmt::format("{}/storage/v1/b/{}/o?prefix={}&fields={}{}", GcsEndpoint(env), PercentEncode(split->first),
                                  PercentEncode(split->second), PercentEncode("items(name,size),nextPageToken"),
                                  page_token.empty() ? "" : "&pageToken=" + PercentEncode(page_token));
    auto page = GetApiPage("listing", uri, url, o);
    if (!page) return page.error();
    auto j = ParseJsonBounded(page->body, 64, kPageLimit);
    if (!j || !j->is_object()) return Error{NetError::kNetwork, uri, {}, "listing: the answer is not JSON"};
    if (const nlohmann::json* items = JsonAt(*j, {"items"}); items != nullptr && items->is_array()) {
      for (const nlohmann::json& item : *items) {
        std::string name = JsonStringOr(item, {"name"});
        auto size = Number(JsonStringOr(item, {"size"}));
        if (name.empty() || !size) return Error{NetError::kNetwork, uri, {}, "listing: an item without name or size"};
        out.push_back({name, *size});
        if (out.size() > max_objects) return TooMany(uri, max_objects);
      }
    }
    page_token = JsonStringOr(*j, {"nextPageToken"});
    if (page_token.empty()) break;
    if (Status s = guard.Next(out.size() - before, page_token); !s) return s.error();
  }
  return out;
}

Expected<std::vector<ListedObject>> ListAzureBlobs(const std::string& uri, const AzureBlobLocation& loc, const AzureCredential& cred,
                                                   const FetchOptions& options, uint64_t max_objects) {
  const std::string shown = RedactUri(uri);
  auto o = AzureFetchOptions(loc, cred, options);
  if (!o) return o.error();
  const std::string sas = cred.kind == AzureCredential::Kind::kSas ? cred.secret : std::string();
  std::vector<ListedObject> out;
  std::string marker;
  PageGuard guard(shown, options.total_timeout);
  for (;;) {
    size_t before = out.size();
    std::string url = fmt::format("{}/{}?comp=list&prefix={}&restype=container{}{}", loc.endpoint, loc.container, PercentEncode(loc.blob),
                                  marker.empty() ? "" : "&marker=" + PercentEncode(marker), sas.empty() ? "" : "&" + sas);
    auto page = GetApiPage("listing", shown, url, *o);
    if (!page) return page.error();
    std::string_view xml = page->body;
    if (xml.find("<EnumerationResults") == std::string_view::npos) {
      return Error{NetError::kNetwork, shown, {}, "listing: the answer is not an EnumerationResults"};
    }
    for (size_t at = 0;;) {
      size_t a = xml.find("<Blob>", at);
      if (a == std::string_view::npos) break;
      size_t b = xml.find("</Blob>", a);
      if (b == std::string_view::npos) break;
      std::string_view entry = xml.substr(a, b - a);
      auto size = Number(Tag(entry, "Content-Length"));
      std::string name = Tag(entry, "Name");
      if (name.empty() || !size) return Error{NetError::kNetwork, shown, {}, "listing: a blob without Name or Content-Length"};
      out.push_back({name, *size});
      if (out.size() > max_objects) return TooMany(shown, max_objects);
      at = b;
    }
    marker = Tag(xml, "NextMarker");
    if (marker.empty()) break;
    if (Status s = guard.Next(out.size() - before, marker); !s) return s.error();
  }
  return out;
}

}  // namespace aegis::verifier
