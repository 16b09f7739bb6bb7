#include "verifier/sources/location.h"

#include <fmt/format.h>

#include "util/strings.h"
#include "verifier/sources/azure_blob.h"
#include "verifier/sources/hf_hub.h"
#include "verifier/sources/oci_registry.h"

namespace aegis::verifier {
namespace {

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

bool IsHttp(Scheme s) { return s == Scheme::kHttps || s == Scheme::kHttp || s == Scheme::kAzureBlob; }

// Which scheme serves `uri`, in the order the schemes are recognized (Azure Blob and plain
// https share a prefix: the host decides).
Expected<Scheme> SchemeOf(const std::string& uri, bool allow_http) {
  if (uri.empty()) return Error{ErrorKind::kUsage, {}, {}, "empty URI"};
  if (StartsWith(uri, "s3://")) return Scheme::kS3;
  if (StartsWith(uri, "gs://")) return Scheme::kGs;
  if (IsAzureBlobUri(uri)) return Scheme::kAzureBlob;
  if (IsHfUri(uri)) return Scheme::kHf;
  if (IsOciUri(uri)) return Scheme::kOci;
  if (StartsWith(uri, "https://")) return Scheme::kHttps;
  if (StartsWith(uri, "http://")) {
    if (!allow_http) {
      return Error{
          ErrorKind::kUsage, RedactUri(uri), {}, "http:// is not encrypted; pass --allow-insecure-http to use it"};
    }
    return Scheme::kHttp;
  }
  if (StartsWith(uri, "file://")) {
    if (!StartsWith(uri, "file:///"))
      return Error{ErrorKind::kUsage, uri, {}, "file:// URIs must be local (file:///path)"};
    return Scheme::kFile;
  }
  if (size_t colon = uri.find("://"); colon != std::string::npos && uri.find('/') > colon) {
    return Error{ErrorKind::kUsage,
                 RedactUri(uri),
                 {},
                 fmt::format("unsupported scheme {}:// (s3, gs, hf, oci, https, http, file)", uri.substr(0, colon))};
  }
  return Scheme::kFile;
}

// "first/rest" of what follows the scheme's "://", up to `end`.
std::pair<std::string, std::string> SplitFirst(const std::string& uri, size_t end) {
  size_t start = uri.find("://") + 3;
  std::string rest = uri.substr(start, end - start);
  size_t slash = rest.find('/');
  if (slash == std::string::npos) return {rest, ""};
  return {rest.substr(0, slash), rest.substr(slash + 1)};
}

}  // namespace

Expected<Location> Location::Parse(const std::string& uri, bool allow_http) {
  auto scheme = SchemeOf(uri, allow_http);
  if (!scheme) return scheme.error();
  return Location(*scheme, uri);
}

Location::Location(Scheme scheme, std::string uri) : scheme_(scheme), uri_(std::move(uri)) {
  switch (scheme_) {
    case Scheme::kFile: path_ = StartsWith(uri_, "file://") ? uri_.substr(7) : uri_; break;
    case Scheme::kS3:
    case Scheme::kGs:
    case Scheme::kHttps:
    case Scheme::kHttp: std::tie(container_, path_) = SplitFirst(uri_, PathEnd()); break;
    case Scheme::kAzureBlob: {  // https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB
      auto [host, rest] = SplitFirst(uri_, PathEnd());
      size_t slash = rest.find('/');
      container_ = host.substr(0, host.find('.')) + "/" + rest.substr(0, slash);
      path_ = slash == std::string::npos ? "" : rest.substr(slash + 1);
      break;
    }
    case Scheme::kHf: {  // hf://OWNER/MODEL[@REVISION][/PATH]
      auto [owner, rest] = SplitFirst(uri_, uri_.size());
      size_t slash = rest.find('/');
      std::string model = rest.substr(0, slash);
      path_ = slash == std::string::npos ? "" : rest.substr(slash + 1);
      if (size_t at = model.find('@'); at != std::string::npos) {
        revision_ = model.substr(at + 1);
        model.resize(at);
      }
      container_ = owner + "/" + model;
      break;
    }
    case Scheme::kOci: {  // oci://REGISTRY/REPOSITORY[:TAG|@DIGEST]
      std::string ref = uri_.substr(6);
      size_t at = ref.find('@'), colon = ref.rfind(':');
      if (at != std::string::npos) {
        revision_ = ref.substr(at + 1);
        ref.resize(at);
      } else if (colon != std::string::npos && colon > ref.rfind('/')) {
        revision_ = ref.substr(colon + 1);
        ref.resize(colon);
      }
      container_ = ref;
      break;
    }
  }
}

size_t Location::PathEnd() const {
  return IsHttp(scheme_) ? std::min(uri_.find_first_of("?#"), uri_.size()) : uri_.size();
}

std::string Location::Display() const { return RedactUri(uri_); }

bool Location::HasDirectoryForm() const {
  switch (scheme_) {
    case Scheme::kS3:
    case Scheme::kGs: return !container_.empty();
    case Scheme::kAzureBlob:
    case Scheme::kHf:
    case Scheme::kOci: return true;
    default: return false;
  }
}

bool Location::IsTree() const {
  if (scheme_ == Scheme::kOci) return true;
  if (scheme_ == Scheme::kHf) return uri_.find('/', 5) != std::string::npos && path_.empty() && uri_.back() != '/';
  if (!HasDirectoryForm()) return false;
  size_t end = PathEnd();
  return end > 5 && uri_[end - 1] == '/';
}

Location Location::AsTree() const {
  if (IsTree() || scheme_ == Scheme::kHf || scheme_ == Scheme::kOci) return *this;
  size_t end = PathEnd();
  return Respelled(uri_.substr(0, end) + "/" + uri_.substr(end));
}

Location Location::WithoutTrailingSlash() const {
  if (scheme_ == Scheme::kHf || scheme_ == Scheme::kOci) return *this;
  size_t end = PathEnd();
  if (end == 0 || uri_[end - 1] != '/') return *this;
  return Respelled(uri_.substr(0, end - 1) + uri_.substr(end));
}

Location Location::WithSuffix(std::string_view suffix) const {
  size_t end = PathEnd();
  return Respelled(uri_.substr(0, end) + std::string(suffix) + uri_.substr(end));
}

std::string Location::BaseName() const {
  std::string path = uri_.substr(0, PathEnd());
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty() || name == "." || name == "..") return "model";
  return name;
}

}  // namespace aegis::verifier
