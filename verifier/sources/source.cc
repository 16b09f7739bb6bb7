#include "verifier/sources/source.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "platform/net_error.h"
#include "verifier/common/parallel.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/workspace.h"
#include "verifier/sources/backends.h"

namespace aegis::verifier {
namespace fs = std::filesystem;

namespace {

struct TreeItem {
  std::string rel, uri;
  uint64_t size;
};

// The listed objects under the prefix as the tree's files, each a path the tree can hold and
// within the limits; a name that is both a file and a directory refuses the tree.
Expected<std::vector<TreeItem>> TreeItems(const TreeListing& listing, const ExtractLimits& limits,
                                          const std::string& shown, TreeResult& result) {
  std::vector<TreeItem> items;
  for (const ListedObject& o : listing.objects) {
    if (o.key.rfind(listing.prefix, 0) != 0) continue;  // not under the prefix (a server that ignores it)
    std::string rel = o.key.substr(listing.prefix.size());
    if (rel.empty() || rel.back() == '/') continue;  // the prefix itself, or a folder marker
    if (auto bad = BadTreePath(rel, limits.max_path_bytes)) {
      return Error{
          VerifyError::kArchive, shown, {}, fmt::format("object {:?} cannot be a file of the model: {}", o.key, *bad)};
    }
    if (o.size > limits.max_file_bytes) {
      return Error{ErrorKind::kLimit,
                   shown,
                   {},
                   fmt::format("object {:?} is larger than {} bytes", o.key, limits.max_file_bytes)};
    }
    result.bytes += o.size;
    if (result.bytes > limits.max_total_bytes) {
      return Error{ErrorKind::kLimit,
                   shown,
                   {},
                   fmt::format("the objects under the prefix exceed {} bytes", limits.max_total_bytes)};
    }
    items.push_back({rel, listing.uri_of(o.key), o.size});
  }
  if (items.empty()) return Error{NetError::kNotFound, shown, {}, "no object under the prefix"};
  std::sort(items.begin(), items.end(), [](const TreeItem& a, const TreeItem& b) { return a.rel < b.rel; });
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    if (items[i + 1].rel.rfind(items[i].rel + "/", 0) == 0 || items[i + 1].rel == items[i].rel) {
      return Error{VerifyError::kArchive, shown, {}, fmt::format("{:?} is both a file and a directory", items[i].rel)};
    }
  }
  return items;
}

Status MakeTreeDirectories(const std::string& dir, const std::vector<TreeItem>& items) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const TreeItem& item : items) {
    size_t slash = item.rel.rfind('/');
    if (slash != std::string::npos) fs::create_directories(dir + "/" + item.rel.substr(0, slash), ec);
    if (ec) return Error{ErrorKind::kIo, dir, {}, "cannot create the model directory: " + ec.message()};
  }
  return Ok{};
}

}  // namespace

Expected<TreeListing> Source::List(const Location& loc, const ExtractLimits&) {
  return Error{ErrorKind::kUsage,
               loc.Display(),
               {},
               "not a model directory URI (s3://, gs:// or Azure Blob, ending in '/'; hf://OWNER/MODEL)"};
}

Status Source::EndpointAllowed(const std::string& endpoint, const Location& loc, const char* setting) const {
  if (endpoint.rfind("http://", 0) == 0 && !settings_.allow_http) {
    return Error{ErrorKind::kUsage,
                 loc.Display(),
                 {},
                 fmt::format("{} is http:// (not encrypted); pass --allow-insecure-http to use it", setting)};
  }
  return Ok{};
}

Expected<TreeResult> Source::GetTree(const Location& loc, const std::string& dir, const ExtractLimits& limits,
                                     int parallel) {
  auto listing = List(loc, limits);
  if (!listing) return listing.error();
  TreeResult result;
  auto items = TreeItems(*listing, limits, loc.Display(), result);
  if (!items) return items.error();
  AEGIS_TRY(MakeTreeDirectories(dir, *items));
  // Downloads `parallel` at a time; the first failure stops the rest.
  AEGIS_TRY(ParallelFor(items->size(), parallel, [&](size_t i) -> Status {
    const TreeItem& item = (*items)[i];
    auto at = Location::Parse(item.uri, settings_.allow_http);  // a listed object enters here
    if (!at) return at.error();
    std::string path = dir + "/" + item.rel;
    // The listed size bounds the download: an object replaced by a larger one is refused.
    auto got = GetObject(*this, settings_, *at, path, DigestSet{false, false}, item.size == 0 ? 1 : item.size);
    if (!got) return got.error();
    std::error_code pec;
    fs::permissions(path, fs::perms(0644), fs::perm_options::replace, pec);
    if (pec) return Error{ErrorKind::kIo, path, {}, "cannot set permissions: " + pec.message()};
    StartWriteback(path);  // placed as-is: on disk before placement (Workspace::Place's syncfs)
    return Ok{};
  }));
  result.files = items->size();
  return result;
}

Expected<FetchResult> GetObject(Source& source, const SourceSettings& settings, const Location& loc,
                                const std::string& out_path, DigestSet digests, uint64_t max_bytes,
                                std::function<void(uint64_t, uint64_t)> on_final, bool in_parts) {
  FetchOptions o = settings.options;
  o.digests = digests;
  o.on_final = std::move(on_final);
  o.max_bytes = max_bytes;
  if (!in_parts) o.parts = 1;
  auto r = source.Get(loc, out_path, o);
  // Downloads name the URI (without a query); s3:// and gs:// name theirs already, and a
  // credential source that failed names its own file or endpoint.
  bool http = loc.scheme() == Scheme::kHttps || loc.scheme() == Scheme::kHttp;
  if (!r && (http || r.error().file.empty())) {
    Error e = r.error();
    e.file = loc.Display();
    return e;
  }
  return r;
}

// The registration: one line per scheme.
Sources::Sources(SourceSettings settings) : settings_(std::move(settings)) {
  sources_[static_cast<size_t>(Scheme::kS3)] = MakeS3Source(settings_);
  sources_[static_cast<size_t>(Scheme::kGs)] = MakeGcsSource(settings_);
  sources_[static_cast<size_t>(Scheme::kAzureBlob)] = MakeAzureSource(settings_);
  sources_[static_cast<size_t>(Scheme::kHf)] = MakeHfSource(settings_);
  sources_[static_cast<size_t>(Scheme::kOci)] = MakeOciSource(settings_);
  sources_[static_cast<size_t>(Scheme::kHttps)] = MakeHttpSource(settings_);
  sources_[static_cast<size_t>(Scheme::kHttp)] = MakeHttpSource(settings_);
  sources_[static_cast<size_t>(Scheme::kFile)] = MakeFileSource(settings_);
}

Expected<FetchResult> Sources::Get(const Location& loc, const std::string& out_path, DigestSet digests,
                                   uint64_t max_bytes, std::function<void(uint64_t, uint64_t)> on_final,
                                   bool in_parts) {
  return GetObject(For(loc.scheme()), settings_, loc, out_path, digests, max_bytes, std::move(on_final), in_parts);
}

Expected<TreeResult> Sources::GetTree(const Location& loc, const std::string& dir, const ExtractLimits& limits,
                                      int parallel) {
  if (!loc.IsTree()) {
    return Error{ErrorKind::kUsage,
                 loc.Display(),
                 {},
                 "not a model directory URI (s3://, gs:// or Azure Blob, ending in '/'; hf://OWNER/MODEL)"};
  }
  return For(loc.scheme()).GetTree(loc, dir, limits, parallel);
}

Expected<RegistryClient> Sources::OciClient(const Location& loc) { return MakeRegistryClient(settings_, loc); }

std::vector<SourceSummary> Sources::Summaries() const {
  std::vector<SourceSummary> out;
  for (const auto& source : sources_) {
    SourceSummary s = source->Summary();
    if (!s.text.empty()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace aegis::verifier
