#include "verifier/sources/azure_blob.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include <fmt/format.h>

#include "util/base64.h"
#include "util/strings.h"

namespace aegis::verifier {
namespace {

constexpr std::string_view kHostSuffix = ".blob.core.windows.net";

// Storage account names: 3–24 lower-case letters and digits.
bool ValidAccount(std::string_view a) {
  if (a.size() < 3 || a.size() > 24) return false;
  return std::all_of(a.begin(), a.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); });
}

// Container names: 3–63 lower-case letters, digits and single hyphens, starting and ending
// with a letter or digit; or the special $root and $web.
bool ValidContainer(std::string_view c) {
  if (c == "$root" || c == "$web") return true;
  if (c.size() < 3 || c.size() > 63 || c.front() == '-' || c.back() == '-' || c.find("--") != std::string_view::npos) return false;
  return std::all_of(c.begin(), c.end(),
                     [](char x) { return std::islower(static_cast<unsigned char>(x)) || std::isdigit(static_cast<unsigned char>(x)) || x == '-'; });
}

// A blob name as a URL path: each segment percent-encoded, the slashes kept.
std::string EncodePath(std::string_view name) {
  std::string out;
  size_t at = 0;
  for (;;) {
    size_t slash = name.find('/', at);
    out += PercentEncode(name.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at));
    if (slash == std::string_view::npos) return out;
    out += '/';
    at = slash + 1;
  }
}

std::string HttpDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02d} {} {} {:02d}:{:02d}:{:02d} GMT", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool IsAzureBlobUri(const std::string& uri) {
  if (uri.rfind("https://", 0) != 0) return false;
  std::string host = Lower(uri.substr(8, uri.find_first_of("/?#", 8) - 8));
  return host.size() > kHostSuffix.size() && host.compare(host.size() - kHostSuffix.size(), kHostSuffix.size(), kHostSuffix) == 0;
}

Expected<AzureBlobLocation> ResolveAzureBlob(const std::string& uri, const platform::Env& env) {
  const std::string shown = RedactUri(uri);
  if (!IsAzureBlobUri(uri)) return Error{ErrorKind::kUsage, shown, {}, "not an Azure Blob URI (https://ACCOUNT.blob.core.windows.net/…)"};
  if (uri.find('#') != std::string::npos) return Error{ErrorKind::kUsage, shown, {}, "an Azure Blob URI with a fragment"};
  size_t path_at = uri.find_first_of("/?", 8);
  AzureBlobLocation loc;
  loc.account = Lower(uri.substr(8, uri.find('.', 8) - 8));
  if (!ValidAccount(loc.account)) {
    return Error{ErrorKind::kUsage, shown, {}, fmt::format("{:?} is not a storage account name (3-24 lower-case letters and digits)", loc.account)};
  }
  std::string path, query;
  if (path_at != std::string::npos) {
    size_t q = uri.find('?', path_at);
    path = uri.substr(path_at, q == std::string::npos ? std::string::npos : q - path_at);
    if (q != std::string::npos) query = uri.substr(q + 1);
  }
  if (!query.empty()) {
    // A SAS carries its signature in sig=; any other query would be sent unsigned and unexplained.
    if (("&" + query).find("&sig=") == std::string::npos) {
      return Error{ErrorKind::kUsage, shown, {}, "a query that is not a shared access signature (no sig=)"};
    }
    loc.sas = query;
  }
  if (path.size() < 2) return Error{ErrorKind::kUsage, shown, {}, "no container (https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB)"};
  path = PercentDecode(path.substr(1));
  size_t slash = path.find('/');
  loc.container = path.substr(0, slash);
  loc.blob = slash == std::string::npos ? std::string() : path.substr(slash + 1);
  if (!ValidContainer(loc.container)) {
    return Error{ErrorKind::kUsage, shown, {}, fmt::format("{:?} is not a container name (3-63 lower-case letters, digits and hyphens)", loc.container)};
  }
  if (loc.blob.find('\n') != std::string::npos || loc.blob.find('\r') != std::string::npos) {
    return Error{ErrorKind::kUsage, shown, {}, "a blob name with a line break is not accepted"};
  }
  loc.endpoint = fmt::format("https://{}{}", loc.account, kHostSuffix);
  auto cs = AzureConnectionString(env);
  if (!cs) return cs.error();
  if (auto a = cs->find("AccountName"); a != cs->end() && a->second == loc.account) {
    if (auto e = cs->find("BlobEndpoint"); e != cs->end() && !e->second.empty()) {
      loc.endpoint = e->second;
    } else if (auto s = cs->find("EndpointSuffix"); s != cs->end() && !s->second.empty()) {
      auto p = cs->find("DefaultEndpointsProtocol");
      loc.endpoint = fmt::format("{}://{}.blob.{}", p == cs->end() ? "https" : p->second, loc.account, s->second);
    }
    while (!loc.endpoint.empty() && loc.endpoint.back() == '/') loc.endpoint.pop_back();
  }
  return loc;
}

std::string AzureBlobUrl(const AzureBlobLocation& loc, const std::string& blob) {
  return fmt::format("{}/{}/{}", loc.endpoint, loc.container, EncodePath(blob));
}

std::string AzureBlobUri(const AzureBlobLocation& loc, const std::string& blob) {
  return fmt::format("https://{}{}/{}/{}{}", loc.account, kHostSuffix, loc.container, EncodePath(blob), loc.sas.empty() ? "" : "?" + loc.sas);
}

Expected<std::string> SharedKeyAuthorization(const std::string& method, const std::string& url,
                                             const std::vector<std::pair<std::string, std::string>>& headers,
                                             const std::string& account, const std::string& key_base64) {
  auto key = Base64Decode(key_base64);
  if (!key || key->empty()) return Error{ErrorKind::kUsage, "account key", {}, "the account key is not base64"};
  std::map<std::string, std::string> standard, ms;
  for (const auto& [name, value] : headers) {
    std::string n = Lower(name);
    (n.rfind("x-ms-", 0) == 0 ? ms : standard)[n] = Trim(value);
  }
  auto header = [&](const char* name) -> std::string {
    auto it = standard.find(name);
    if (it == standard.end()) return {};
    return std::string(name) == "content-length" && it->second == "0" ? std::string() : it->second;
  };
  std::string to_sign = method + "\n";
  for (const char* name : {"content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
                           "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"}) {
    to_sign += header(name) + "\n";
  }
  for (const auto& [name, value] : ms) to_sign += name + ":" + value + "\n";
  size_t scheme_end = url.find("://");
  size_t path_at = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  size_t q = url.find('?');
  std::string path = path_at == std::string::npos || (q != std::string::npos && path_at > q) ? "/" : url.substr(path_at, q == std::string::npos ? std::string::npos : q - path_at);
  to_sign += "/" + account + path;
  if (q != std::string::npos) {
    std::map<std::string, std::vector<std::string>> params;
    std::string_view query(url);
    query.remove_prefix(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view kv = query.substr(0, amp);
      size_t eq = kv.find('=');
      params[Lower(PercentDecode(kv.substr(0, eq), true))].push_back(eq == std::string_view::npos ? std::string() : PercentDecode(kv.substr(eq + 1), true));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
    for (auto& [name, values] : params) {
      std::sort(values.begin(), values.end());
      std::string joined;
      for (const std::string& v : values) joined += (joined.empty() ? "" : ",") + v;
      to_sign += "\n" + name + ":" + joined;
    }
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()), reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), mac,
           &mac_len) == nullptr) {
    return Error{ErrorKind::kUsage, "account key", {}, "HMAC-SHA256 failed"};
  }
  return fmt::format("SharedKey {}:{}", account, Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), mac_len)));
}

Expected<std::vector<std::string>> AzureAuthHeaders(const std::string& url, const AzureBlobLocation& loc, const AzureCredential& cred,
                                                    uint64_t range_from, uint64_t range_to) {
  std::vector<std::string> out = {fmt::format("x-ms-version: {}", kAzureApiVersion)};
  switch (cred.kind) {
    case AzureCredential::Kind::kAnonymous:
    case AzureCredential::Kind::kSas: return out;  // the SAS is in the URL
    case AzureCredential::Kind::kBearer: out.push_back("Authorization: Bearer " + cred.secret); return out;
    case AzureCredential::Kind::kSharedKey: break;
  }
  std::string date = HttpDate();
  std::vector<std::pair<std::string, std::string>> signed_headers = {{"x-ms-version", kAzureApiVersion}, {"x-ms-date", date}};
  if (range_to > 0) signed_headers.emplace_back("Range", fmt::format("bytes={}-{}", range_from, range_to));
  else if (range_from > 0) signed_headers.emplace_back("Range", fmt::format("bytes={}-", range_from));
  auto auth = SharedKeyAuthorization("GET", url, signed_headers, loc.account, cred.secret);
  if (!auth) return auth.error();
  out.push_back("x-ms-date: " + date);
  out.push_back("Authorization: " + *auth);
  return out;
}

Expected<FetchOptions> AzureFetchOptions(const AzureBlobLocation& loc, const AzureCredential& cred, FetchOptions options) {
  if (cred.kind == AzureCredential::Kind::kSharedKey) {
    if (auto key = Base64Decode(cred.secret); !key || key->empty()) {
      return Error{ErrorKind::kUsage, cred.source, {}, "the account key is not base64"};
    }
  }
  if (cred.kind != AzureCredential::Kind::kAnonymous) options.follow_redirects = false;  // credentials stay with the account
  options.authorize = [loc, cred](const std::string& url, uint64_t range_from, uint64_t range_to) {
    auto h = AzureAuthHeaders(url, loc, cred, range_from, range_to);
    return h ? *h : std::vector<std::string>();
  };
  return options;
}

Expected<FetchResult> FetchAzureBlob(const std::string& uri, const std::string& out_path, const platform::Env& env,
                                     const AzureCredential& cred, FetchOptions options) {
  auto loc = ResolveAzureBlob(uri, env);
  if (!loc) return loc.error();
  if (loc->blob.empty() || loc->blob.back() == '/') {
    return Error{ErrorKind::kUsage, RedactUri(uri), {}, "no blob name (https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB)"};
  }
  auto o = AzureFetchOptions(*loc, cred, std::move(options));
  if (!o) return o.error();
  std::string sas = cred.kind == AzureCredential::Kind::kSas ? cred.secret : std::string();
  std::string url = AzureBlobUrl(*loc, loc->blob) + (sas.empty() ? "" : "?" + sas);
  auto r = Fetch(url, out_path, *o);
  if (!r) {
    Error e = r.error();
    e.file = RedactUri(uri);
    return e;
  }
  return r;
}

}  // namespace aegis::verifier
