#include "verifier/source.h"
#include "util/strings.h"
#include "platform/net_error.h"
#include "platform/fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "verifier/gcs.h"

namespace aegis::verifier {
namespace {

using platform::Fd;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string LocalPath(const std::string& uri) { return StartsWith(uri, "file://") ? uri.substr(7) : uri; }


}  // namespace

Expected<Scheme> SchemeOf(const std::string& uri, bool allow_http) {
  if (uri.empty()) return Error{ErrorKind::kUsage, {}, {}, "empty URI"};
  if (StartsWith(uri, "s3://")) return Scheme::kS3;
  if (StartsWith(uri, "gs://")) return Scheme::kGs;
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
                 fmt::format("unsupported scheme {}:// (s3, gs, https, http, file)", uri.substr(0, colon))};
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
  if (::fsync(out.get()) != 0 || ::close(out.release()) != 0) {  // durable: it may be placed as-is
    ::unlink(out_path.c_str());
    return Error{ErrorKind::kIo, out_path, {}, "write error on close"};
  }
  r.digests = hasher.Final();
  return r;
}

Expected<FetchResult> Sources::Get(const std::string& uri, const std::string& out_path, DigestSet digests, uint64_t max_bytes) {
  auto scheme = SchemeOf(uri, allow_http_);
  if (!scheme) return scheme.error();
  FetchOptions o = options_;
  o.digests = digests;
  o.max_bytes = max_bytes;
  Expected<FetchResult> r = Error{};
  switch (*scheme) {
    case Scheme::kFile: return CopyLocal(LocalPath(uri), out_path, digests, max_bytes);
    case Scheme::kS3: r = GetS3(uri, out_path, o); break;
    case Scheme::kGs: r = GetGs(uri, out_path, o); break;
    case Scheme::kHttps:
    case Scheme::kHttp: r = Fetch(uri, out_path, o); break;
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

Expected<FetchResult> Sources::GetS3(const std::string& uri, const std::string& out_path, const FetchOptions& o) {
  if (!resolved_ && !anonymous_) {
    auto c = ResolveCredentials(env_);
    if (!c) return c.error();
    credentials_ = *c;
    if (credentials_) credential_source_ = credentials_->source;
    resolved_ = true;
  }
  return FetchS3With(uri, out_path, env_, anonymous_ ? std::nullopt : credentials_, o, anonymous_);
}

Expected<FetchResult> Sources::GetGs(const std::string& uri, const std::string& out_path, const FetchOptions& o) {
  if (!google_resolved_) {
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
  }
  return FetchGcs(uri, out_path, env_, google_token_, o);
}

}  // namespace aegis::verifier
