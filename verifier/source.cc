#include "verifier/source.h"
#include "verifier/workspace.h"
#include "util/strings.h"
#include "platform/net_error.h"
#include "platform/fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "verifier/gcs.h"
#include "verifier/kserve_contract.h"
#include "verifier/listing.h"
#include "verifier/oci_tree.h"
#include "verifier/parallel.h"
#include "verifier/verify_error.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

using platform::Fd;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string LocalPath(const std::string& uri) { return StartsWith(uri, "file://") ? uri.substr(7) : uri; }


}  // namespace

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
      return Error{ErrorKind::kUsage, DisplayUri(uri), {}, "http:// is not encrypted; pass --allow-insecure-http to use it"};
    }
    return Scheme::kHttp;
  }
  if (StartsWith(uri, "file://")) {
    if (!StartsWith(uri, "file:///")) return Error{ErrorKind::kUsage, uri, {}, "file:// URIs must be local (file:///path)"};
    return Scheme::kFile;
  }
  if (size_t colon = uri.find("://"); colon != std::string::npos && uri.find('/') > colon) {
    return Error{ErrorKind::kUsage, DisplayUri(uri), {},
                 fmt::format("unsupported scheme {}:// (s3, gs, hf, oci, https, http, file)", uri.substr(0, colon))};
  }
  return Scheme::kFile;
}

std::string WithSuffix(const std::string& uri, const std::string& suffix) {
  if (StartsWith(uri, "http://") || StartsWith(uri, "https://")) {
    size_t q = uri.find_first_of("?#");
    if (q != std::string::npos) return uri.substr(0, q) + suffix + uri.substr(q);
  }
  return uri + suffix;
}

std::string BaseName(const std::string& uri) {
  std::string path = uri;
  if (StartsWith(uri, "http://") || StartsWith(uri, "https://")) path = path.substr(0, path.find_first_of("?#"));
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty() || name == "." || name == "..") return "model";
  return name;
}

std::string DisplayUri(const std::string& uri) { return RedactUri(uri); }

Expected<FetchResult> CopyLocal(const std::string& path, const std::string& out_path, DigestSet digests, uint64_t max_bytes) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) {
    if (errno == ENOENT) return Error{NetError::kNotFound, path, {}, "not found"};
    return Error{ErrorKind::kIo, path, {}, fmt::format("cannot open: {}", std::strerror(errno))};
  }
  Fd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.get() < 0) return Error{ErrorKind::kIo, out_path, {}, fmt::format("cannot create: {}", std::strerror(errno))};
  auto fail = [&](Error e) {
    ::close(out.release());
    ::unlink(out_path.c_str());
    return e;
  };
  FetchResult r;
  r.attempts = 1;
  MultiHasher hasher(digests);
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(Error{ErrorKind::kIo, path, {}, fmt::format("read error: {}", std::strerror(errno))});
    if (n == 0) break;
    r.bytes += static_cast<uint64_t>(n);
    if (max_bytes > 0 && r.bytes > max_bytes) {
      return fail(Error{ErrorKind::kLimit, path, {}, fmt::format("larger than the limit of {} bytes", max_bytes)});
    }
    hasher.Update(std::string_view(buf.data(), static_cast<size_t>(n)));
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out.get(), buf.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return fail(Error{ErrorKind::kIo, out_path, {}, fmt::format("write error: {}", std::strerror(errno))});
      done += w;
    }
  }
  if (::close(out.release()) != 0) {  // placement makes what it places durable (Workspace::Place)
    ::unlink(out_path.c_str());
    return Error{ErrorKind::kIo, out_path, {}, "write error on close"};
  }
  r.digests = hasher.Final();
  return r;
}

Expected<FetchResult> Sources::Get(const std::string& uri, const std::string& out_path, DigestSet digests, uint64_t max_bytes,
                                   std::function<void(uint64_t, uint64_t)> on_final, bool in_parts) {
  auto scheme = SchemeOf(uri, allow_http_);
  if (!scheme) return scheme.error();
  FetchOptions o = options_;
  o.digests = digests;
  o.on_final = std::move(on_final);
  o.max_bytes = max_bytes;
  if (!in_parts) o.parts = 1;
  Expected<FetchResult> r = Error{};
  switch (*scheme) {
    case Scheme::kFile: return CopyLocal(LocalPath(uri), out_path, digests, max_bytes);
    case Scheme::kS3: r = GetS3(uri, out_path, o); break;
    case Scheme::kGs: r = GetGs(uri, out_path, o); break;
    case Scheme::kAzureBlob: r = GetAzure(uri, out_path, o); break;
    case Scheme::kHf: {
      auto loc = ResolveHf(uri, env_);
      if (!loc) return loc.error();
      if (Status s = EndpointAllowed(loc->endpoint, uri, "HF_ENDPOINT"); !s) return s.error();
      if (Status s = ResolveHfToken(); !s) return s.error();
      r = FetchHfFile(uri, out_path, env_, hf_token_, o);
      break;
    }
    case Scheme::kOci: return Error{ErrorKind::kUsage, uri, {}, "an oci:// reference is a model directory, not one file"};
    case Scheme::kHttps:
    case Scheme::kHttp: {
      auto headers = HostHeaders(uri, env_);  // KServe's <host>-headers
      if (!headers) return headers.error();
      o.headers.insert(o.headers.end(), headers->begin(), headers->end());
      r = Fetch(uri, out_path, o);
      break;
    }
  }
  // Downloads name the URI (without a query); s3:// and gs:// name theirs already, and a
  // credential source that failed names its own file or endpoint.
  if (!r && (*scheme == Scheme::kHttps || *scheme == Scheme::kHttp || r.error().file.empty())) {
    Error e = r.error();
    e.file = DisplayUri(uri);
    return e;
  }
  return r;
}

Status Sources::ResolveAws() {
  if (resolved_ || anonymous_) return Ok{};
  auto c = ResolveCredentials(env_);
  if (!c) return c.error();
  credentials_ = *c;
  if (credentials_) credential_source_ = credentials_->source;
  resolved_ = true;
  return Ok{};
}

Expected<FetchResult> Sources::GetS3(const std::string& uri, const std::string& out_path, const FetchOptions& o) {
  if (Status s = ResolveAws(); !s) return s.error();
  return FetchS3With(uri, out_path, env_, anonymous_ ? std::nullopt : credentials_, o, anonymous_);
}

Status Sources::ResolveGoogle() {
  if (google_resolved_) return Ok{};
  if (anonymous_) {
    google_source_ = "anonymous (--anonymous)";
  } else {
    auto t = ResolveGoogleCredentials(env_);
    if (!t) return t.error();
    google_token_ = *t;
    google_source_ = google_token_ ? google_token_->source
                                   : "anonymous: no Google credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server)";
  }
  google_resolved_ = true;
  return Ok{};
}

Expected<FetchResult> Sources::GetGs(const std::string& uri, const std::string& out_path, const FetchOptions& o) {
  if (Status s = ResolveGoogle(); !s) return s.error();
  return FetchGcs(uri, out_path, env_, google_token_, o);
}

Expected<AzureCredential> Sources::AzureCredentialFor(const AzureBlobLocation& loc) {
  if (!loc.sas.empty()) {
    // Recorded once, before any tree's threads start (they find it and write nothing).
    if (azure_uri_sas_.count(loc.account) == 0) azure_uri_sas_.insert(loc.account);
    return AzureCredential{AzureCredential::Kind::kSas, loc.sas, "shared access signature (in the URI)"};
  }
  if (auto it = azure_.find(loc.account); it != azure_.end()) return it->second;
  AzureCredential cred{AzureCredential::Kind::kAnonymous, {}, "anonymous (--anonymous)"};
  if (!anonymous_) {
    auto c = ResolveAzureCredential(env_, loc.account, "");
    if (!c) return c.error();
    cred = *c;
  }
  azure_[loc.account] = cred;
  return cred;
}

std::string Sources::AzureCredentialSources() const {
  std::string out;
  for (const auto& [account, cred] : azure_) out += (out.empty() ? "" : "; ") + account + ": " + cred.source;
  for (const auto& account : azure_uri_sas_) out += (out.empty() ? "" : "; ") + account + ": shared access signature (in the URI)";
  return out;
}

Status Sources::EndpointAllowed(const std::string& endpoint, const std::string& uri, const char* setting) const {
  if (StartsWith(endpoint, "http://") && !allow_http_) {
    return Error{ErrorKind::kUsage, DisplayUri(uri), {},
                 fmt::format("{} is http:// (not encrypted); pass --allow-insecure-http to use it", setting)};
  }
  return Ok{};
}

Status Sources::ResolveHfToken() {
  if (hf_resolved_) return Ok{};
  if (!anonymous_) {
    auto t = verifier::ResolveHfToken(env_);
    if (!t) return t.error();
    hf_token_ = *t;
  }
  hf_summary_ = hf_token_ ? "token " + hf_token_->source : std::string("anonymous (no HF_TOKEN or token file)");
  hf_resolved_ = true;
  return Ok{};
}

Expected<RegistryClient> Sources::OciClient(const std::string& uri) {
  auto ref = ParseOciReference(uri);
  if (!ref) return ref.error();
  std::optional<RegistryCredential> credential;
  if (!anonymous_) {
    auto c = ResolveRegistryCredential(env_, ref->registry);
    if (!c) return c.error();
    credential = *c;
  }
  FetchOptions one_stream = options_;
  one_stream.parts = 1;  // blobs are fetched `parallel` at a time, each in one request
  return RegistryClient(*ref, credential, one_stream);
}

Expected<TreeResult> Sources::GetOciTree(const std::string& uri, const std::string& dir, const ExtractLimits& limits, int parallel) {
  auto made = OciClient(uri);
  if (!made) return made.error();
  RegistryClient& client = *made;
  auto manifest = client.GetManifest();
  oci_summary_ = client.AuthSummary();
  if (!manifest) return manifest.error();
  oci_summary_ += "; manifest " + manifest->digest;
  return FetchOciTree(client, *manifest, dir, dir + ".oci", limits, parallel);
}

Expected<FetchResult> Sources::GetAzure(const std::string& uri, const std::string& out_path, const FetchOptions& o) {
  auto loc = ResolveAzureBlob(uri, env_);
  if (!loc) return loc.error();
  auto cred = AzureCredentialFor(*loc);
  if (!cred) return cred.error();
  if (Status s = EndpointAllowed(loc->endpoint, uri, "the connection string's BlobEndpoint"); !s) return s.error();
  return FetchAzureBlob(uri, out_path, env_, *cred, o);
}

std::string LocalPathOf(const std::string& uri) {
  auto scheme = SchemeOf(uri, true);
  return scheme && *scheme == Scheme::kFile ? LocalPath(uri) : std::string();
}

Expected<TreeResult> CopyLocalTree(const std::string& src, const std::string& dst, const ExtractLimits& limits) {
  std::error_code ec;
  fs::create_directories(dst, ec);
  if (ec) return Error{ErrorKind::kIo, dst, {}, "cannot create the model directory: " + ec.message()};
  TreeResult result;
  uint64_t entries = 0;
  auto it = fs::recursive_directory_iterator(src, fs::directory_options::none, ec);
  if (ec) return Error{ErrorKind::kIo, src, {}, "cannot read the model directory: " + ec.message()};
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Error{ErrorKind::kIo, src, {}, "cannot read the model directory: " + ec.message()};
    const fs::path& path = it->path();
    std::string rel = fs::relative(path, src, ec).generic_string();
    if (ec || rel.empty() || rel.size() > limits.max_path_bytes) {
      return Error{VerifyError::kArchive, path.string(), {}, fmt::format("a path longer than {} bytes", limits.max_path_bytes)};
    }
    if (++entries > limits.max_entries) {
      return Error{ErrorKind::kLimit, src, {}, fmt::format("more than {} entries in the model directory", limits.max_entries)};
    }
    fs::file_status st = it->symlink_status(ec);
    if (fs::is_directory(st)) {
      fs::create_directory(dst + "/" + rel, ec);
      if (ec) return Error{ErrorKind::kIo, dst + "/" + rel, {}, "cannot create: " + ec.message()};
      continue;
    }
    if (!fs::is_regular_file(st)) {
      return Error{VerifyError::kArchive, path.string(), {},
                   fs::is_symlink(st) ? "a symbolic link: a model directory is copied without links"
                                      : "neither a file nor a directory"};
    }
    auto got = CopyLocal(path.string(), dst + "/" + rel, DigestSet{false, false}, limits.max_file_bytes);
    if (!got) return got.error();
    ++result.files;
    result.bytes += got->bytes;
    if (result.bytes > limits.max_total_bytes) {
      return Error{ErrorKind::kLimit, src, {}, fmt::format("the model directory exceeds {} bytes", limits.max_total_bytes)};
    }
    fs::permissions(dst + "/" + rel, fs::perms(0644), fs::perm_options::replace, ec);
    if (ec) return Error{ErrorKind::kIo, dst + "/" + rel, {}, "cannot set permissions: " + ec.message()};
  }
  return result;
}

namespace {
// Where the path of a directory-capable URI ends (its query starts).
size_t PathEnd(const std::string& uri) { return IsAzureBlobUri(uri) ? std::min(uri.find('?'), uri.size()) : uri.size(); }
}  // namespace

bool HasDirectoryForm(const std::string& uri) {
  return (StartsWith(uri, "s3://") || StartsWith(uri, "gs://")) ? SplitBucketUri(uri).has_value()
                                                                 : IsAzureBlobUri(uri) || IsHfUri(uri) || IsOciUri(uri);
}

bool IsTreeUri(const std::string& uri) {
  if (IsOciUri(uri)) return true;
  if (IsHfUri(uri)) {  // a repository (OWNER/MODEL[@REV]), not one of its files
    size_t slash = uri.find('/', 5);
    return slash != std::string::npos && uri.find('/', slash + 1) == std::string::npos;
  }
  if (!HasDirectoryForm(uri)) return false;
  size_t end = PathEnd(uri);
  return end > 5 && uri[end - 1] == '/';
}

std::string AsTreeUri(const std::string& uri) {
  if (IsTreeUri(uri) || IsHfUri(uri) || IsOciUri(uri)) return uri;
  size_t end = PathEnd(uri);
  return uri.substr(0, end) + "/" + uri.substr(end);
}

std::string WithoutTrailingSlash(const std::string& uri) {
  if (IsHfUri(uri) || IsOciUri(uri)) return uri;
  size_t end = PathEnd(uri);
  if (end == 0 || uri[end - 1] != '/') return uri;
  return uri.substr(0, end - 1) + uri.substr(end);
}

// A listed name as a path inside the tree: relative, no empty, "." or ".." component, no
// control character, within the path limit.
std::optional<std::string> BadTreePath(const std::string& rel, size_t max_bytes) {
  if (rel.size() > max_bytes) return fmt::format("longer than {} bytes", max_bytes);
  for (char c : rel) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::string("a control character");
  }
  size_t at = 0;
  for (;;) {
    size_t slash = rel.find('/', at);
    std::string part = rel.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
    if (part.empty() || part == "." || part == "..") return fmt::format("the component {:?}", part);
    if (slash == std::string::npos) return std::nullopt;
    at = slash + 1;
  }
}


Expected<Sources::TreeListing> Sources::ListHfTree(const std::string& uri, const ExtractLimits& limits) {
  auto loc = ResolveHf(uri, env_);
  if (!loc) return loc.error();
  if (!loc->pinned && !allow_unpinned_) {
    return Error{ErrorKind::kUsage, uri, {},
                 fmt::format("revision {:?} is not a commit (40 hex digits): a branch or tag can move between pod starts; pin the "
                             "commit, or pass --allow-unpinned-revision",
                             loc->revision.empty() ? "main" : loc->revision)};
  }
  AEGIS_TRY(EndpointAllowed(loc->endpoint, uri, "HF_ENDPOINT"));
  AEGIS_TRY(ResolveHfToken());
  std::string commit = loc->revision;
  if (!loc->pinned) {
    auto c = HfCommit(*loc, hf_token_, options_);
    if (!c) return c.error();
    commit = *c;
    hf_summary_ += fmt::format("; revision {} resolved to {} (unpinned)", loc->revision.empty() ? "main" : loc->revision, commit);
  }
  auto objects = ListHf(*loc, commit, hf_token_, options_, limits.max_entries);
  if (!objects) return objects.error();
  return TreeListing{"", [repo = loc->repo, commit](const std::string& key) { return HfFileUri(repo, commit, key); }, std::move(*objects)};
}

Expected<Sources::TreeListing> Sources::ListAzureTree(const std::string& uri, const ExtractLimits& limits) {
  auto loc = ResolveAzureBlob(uri, env_);
  if (!loc) return loc.error();
  AEGIS_TRY(EndpointAllowed(loc->endpoint, uri, "the connection string's BlobEndpoint"));
  auto cred = AzureCredentialFor(*loc);
  if (!cred) return cred.error();
  auto objects = ListAzureBlobs(uri, *loc, *cred, options_, limits.max_entries);
  if (!objects) return objects.error();
  return TreeListing{loc->blob, [loc = *loc](const std::string& key) { return AzureBlobUri(loc, key); }, std::move(*objects)};
}

Expected<Sources::TreeListing> Sources::ListBucketTree(const std::string& uri, const ExtractLimits& limits) {
  auto split = SplitBucketUri(uri);
  const std::string scheme = uri.substr(0, 5), bucket = split->first;
  Expected<std::vector<ListedObject>> objects = Error{};
  if (scheme == "s3://") {
    AEGIS_TRY(ResolveAws());
    objects = ListS3(uri, env_, anonymous_ ? std::nullopt : credentials_, options_, anonymous_, limits.max_entries);
  } else {
    AEGIS_TRY(ResolveGoogle());
    objects = ListGcs(uri, env_, google_token_, options_, limits.max_entries);
  }
  if (!objects) return objects.error();
  return TreeListing{split->second, [scheme, bucket](const std::string& key) { return scheme + bucket + "/" + key; }, std::move(*objects)};
}

namespace {

struct TreeItem {
  std::string rel, uri;
  uint64_t size;
};

// The listed objects under the prefix as the tree's files, each a path the tree can hold and
// within the limits; a name that is both a file and a directory refuses the tree.
Expected<std::vector<TreeItem>> TreeItems(const Sources::TreeListing& listing, const ExtractLimits& limits, const std::string& shown,
                                          TreeResult& result) {
  std::vector<TreeItem> items;
  for (const ListedObject& o : listing.objects) {
    if (o.key.rfind(listing.prefix, 0) != 0) continue;  // not under the prefix (a server that ignores it)
    std::string rel = o.key.substr(listing.prefix.size());
    if (rel.empty() || rel.back() == '/') continue;  // the prefix itself, or a folder marker
    if (auto bad = BadTreePath(rel, limits.max_path_bytes)) {
      return Error{VerifyError::kArchive, shown, {}, fmt::format("object {:?} cannot be a file of the model: {}", o.key, *bad)};
    }
    if (o.size > limits.max_file_bytes) {
      return Error{ErrorKind::kLimit, shown, {}, fmt::format("object {:?} is larger than {} bytes", o.key, limits.max_file_bytes)};
    }
    result.bytes += o.size;
    if (result.bytes > limits.max_total_bytes) {
      return Error{ErrorKind::kLimit, shown, {}, fmt::format("the objects under the prefix exceed {} bytes", limits.max_total_bytes)};
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

Expected<TreeResult> Sources::GetTree(const std::string& prefix_uri, const std::string& dir, const ExtractLimits& limits, int parallel) {
  if (!IsTreeUri(prefix_uri)) {
    return Error{ErrorKind::kUsage, DisplayUri(prefix_uri), {}, "not a model directory URI (s3://, gs:// or Azure Blob, ending in '/'; hf://OWNER/MODEL)"};
  }
  if (IsOciUri(prefix_uri)) return GetOciTree(prefix_uri, dir, limits, parallel);
  auto listing = IsHfUri(prefix_uri) ? ListHfTree(prefix_uri, limits)
                 : IsAzureBlobUri(prefix_uri) ? ListAzureTree(prefix_uri, limits)
                                              : ListBucketTree(prefix_uri, limits);
  if (!listing) return listing.error();
  TreeResult result;
  auto items = TreeItems(*listing, limits, DisplayUri(prefix_uri), result);
  if (!items) return items.error();
  AEGIS_TRY(MakeTreeDirectories(dir, *items));
  // Downloads `parallel` at a time; the first failure stops the rest.
  AEGIS_TRY(ParallelFor(items->size(), parallel, [&](size_t i) -> Status {
    const TreeItem& item = (*items)[i];
    std::string path = dir + "/" + item.rel;
    // The listed size bounds the download: an object replaced by a larger one is refused.
    auto got = Get(item.uri, path, DigestSet{false, false}, item.size == 0 ? 1 : item.size);
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

}  // namespace aegis::verifier
