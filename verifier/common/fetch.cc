#include "verifier/common/fetch.h"

#include "platform/http.h"
#include "platform/net_error.h"
#include "verifier/common/storage_error.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

namespace aegis::verifier {
namespace {

constexpr uint64_t kToEnd = 0;  // a span open at its end
constexpr uint64_t kMaxObjectBytes = uint64_t{1} << 46;  // 64 TiB: no model is larger

bool WriteAt(int fd, std::string_view data, uint64_t offset) {
  while (!data.empty()) {
    ssize_t w = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data.remove_prefix(static_cast<size_t>(w));
    offset += static_cast<uint64_t>(w);
  }
  return true;
}

// One span of the object: bytes [from, to] (to = kToEnd: to the end), with what its attempts
// received so far; each attempt asks for what is still missing.
struct Span {
  uint64_t from = 0;
  uint64_t to = kToEnd;
  uint64_t received = 0;
  bool accept_whole = false;  // a 200 (Range ignored) is the whole object: start over at 0
  bool whole = false;         // … and it was
  uint64_t total = 0;         // the object's size, from a 206's Content-Range (0: unknown)
  int attempts = 0;
  bool resumed = false;
  bool unsatisfiable = false;  // answered 416
};

// Where one attempt's body goes: written at its offset, hashed on the way when `hasher` is set.
struct Transfer {
  int fd = -1;
  Span* span = nullptr;
  MultiHasher* hasher = nullptr;
  uint64_t max_bytes = 0;
  bool asked_range = false;
  bool started = false;
  bool write_failed = false;
  bool too_large = false;
  bool overlong = false;        // more than the asked range
  bool range_ignored = false;   // a 200 to a ranged request that must not restart
  const std::function<void(uint64_t)>* on_bytes = nullptr;
  std::string error_body;       // the start of an error response: its code explains the refusal

  bool Take(long status, std::string_view data) {
    if (status != 200 && status != 206) {  // error bodies are not the artifact
      if (error_body.size() < 4096) error_body.append(data.substr(0, 4096 - error_body.size()));
      return true;
    }
    if (!started) {
      started = true;
      if (status == 200 && asked_range) {
        if (!span->accept_whole) return !(range_ignored = true);
        if (::ftruncate(fd, 0) != 0) return !(write_failed = true);
        if (hasher != nullptr) hasher->Reset();
        *span = Span{0, kToEnd, 0, true, true, 0, span->attempts, false, false};
      }
    }
    uint64_t end = span->from + span->received + data.size();  // one past this chunk
    if (span->to != kToEnd && end > span->to + 1) return !(overlong = true);
    if (max_bytes > 0 && end > max_bytes) return !(too_large = true);
    if (!WriteAt(fd, data, span->from + span->received)) return !(write_failed = true);
    if (hasher != nullptr) hasher->Update(data);
    span->received += data.size();
    if (on_bytes != nullptr && *on_bytes) (*on_bytes)(data.size());
    return true;
  }
};

bool Retryable(const platform::HttpOutcome& a) {
  // A certificate the trust store rejects stays rejected: no point waiting for it.
  if (!a.failure.empty()) return !a.failure_is_permanent;  // connection errors, resets, truncation, timeouts
  return a.status >= 500 || a.status == 429;
}

std::string Describe(const platform::HttpOutcome& a, std::string_view body) {
  return a.failure.empty() ? DescribeStorageError(a.status, body, a.error_code) : a.failure;
}

// "bytes FIRST-LAST/TOTAL" (RFC 9110 §14.4); nullopt for anything else (incl. "*" totals).
struct ContentRange {
  uint64_t first, last, total;
};
std::optional<ContentRange> ParseContentRange(std::string_view v) {
  if (v.rfind("bytes ", 0) != 0) return std::nullopt;
  v.remove_prefix(6);
  ContentRange r{};
  auto number = [&v](uint64_t& out, char stop) {
    const char* end = v.data() + v.size();
    auto [p, ec] = std::from_chars(v.data(), end, out);
    if (ec != std::errc() || p == v.data()) return false;
    v.remove_prefix(static_cast<size_t>(p - v.data()));
    if (stop == '\0') return v.empty();
    if (v.empty() || v.front() != stop) return false;
    v.remove_prefix(1);
    return true;
  };
  if (!number(r.first, '-') || !number(r.last, '/') || !number(r.total, '\0')) return std::nullopt;
  if (r.last < r.first || r.last >= r.total) return std::nullopt;
  return r;
}

platform::HttpClient& ThreadClient() {
  // One client per thread: its connections are reused by the retries and by the next
  // download of this thread (a model directory's files from one host: no new TLS handshake
  // per file). curl reuses a connection only for the same host, port and TLS settings.
  thread_local platform::HttpClient client;
  return client;
}

// Fetches one span with retries, each attempt resuming where the last stopped.
Status FetchSpan(const std::string& url, const std::string& out_path, int fd, const FetchOptions& o, Span& span,
                 MultiHasher* hasher, const std::atomic<bool>* stop) {
  platform::HttpRequest request;
  request.url = url;
  request.connect_timeout = o.connect_timeout;
  request.total_timeout = o.total_timeout;
  request.stall_timeout = o.stall_timeout;
  request.follow_redirects = o.follow_redirects;
  request.tls.ca_file = o.ca_bundle;
  request.tls.extra_ca_pem = o.extra_ca_pem;
  request.tls.insecure_skip_verify = o.insecure_skip_tls_verify;
  request.aws_sigv4 = o.aws_sigv4;
  request.aws_credentials = o.aws_credentials;
  request.stop = stop;

  std::mt19937_64 rng(std::random_device{}());
  std::chrono::milliseconds backoff = o.initial_backoff;
  std::string last;
  for (int i = 1; i <= o.max_attempts; ++i) {
    span.attempts = i;
    Transfer t;
    t.fd = fd;
    t.span = &span;
    t.hasher = hasher;
    t.max_bytes = o.max_bytes;
    t.on_bytes = &o.on_bytes;
    request.range_from = span.from + span.received;
    request.range_to = span.to;
    t.asked_range = request.range_from > 0 || request.range_to != kToEnd;
    request.headers = o.headers;
    if (o.authorize) {
      for (std::string& h : o.authorize(url, request.range_from, request.range_to)) request.headers.push_back(std::move(h));
    }
    auto attempt = ThreadClient().Send(request, [&t](long status, std::string_view data) { return t.Take(status, data); });
    span.resumed = span.resumed || (request.range_from > span.from && attempt.status == 206);
    if (attempt.interrupted) return Error{ErrorKind::kInterrupted, url, {}, "interrupted"};
    if (t.write_failed) return Error{ErrorKind::kIo, out_path, {}, "cannot write the download (disk full?)"};
    if (t.too_large) return Error{ErrorKind::kLimit, url, {}, fmt::format("larger than the limit of {} bytes", o.max_bytes)};
    if (t.overlong) return Error{NetError::kNetwork, url, {}, "the server sent more than the byte range asked for"};
    if (t.range_ignored) return Error{NetError::kNetwork, url, {}, "the server stopped honouring byte ranges"};
    bool complete = attempt.failure.empty();
    if (complete && attempt.status == 206 && attempt.content_range.empty() && span.to == kToEnd) {
      return Ok{};  // a resumed stream from a server that does not say which range: the digest decides
    }
    if (complete && attempt.status == 206) {
      auto cr = ParseContentRange(attempt.content_range);
      if (!cr || cr->first != request.range_from) {
        return Error{NetError::kNetwork, url, {}, fmt::format("a partial answer with an unexpected Content-Range {:?}", attempt.content_range)};
      }
      if (span.total != 0 && cr->total != span.total) {
        return Error{NetError::kNetwork, url, {}, "the object changed during the download (its size differs between parts)"};
      }
      if (span.total == 0 && o.on_size) o.on_size(cr->total);
      span.total = cr->total;
      uint64_t want_last = span.to == kToEnd ? cr->total - 1 : std::min(span.to, cr->total - 1);
      if (cr->last != want_last || span.from + span.received != want_last + 1) {
        return Error{NetError::kNetwork, url, {}, fmt::format("a partial answer that ends early (Content-Range {:?})", attempt.content_range)};
      }
      return Ok{};
    }
    if (complete && attempt.status == 200) return Ok{};
    last = Describe(attempt, t.error_body);
    if (complete && attempt.status == 404) return Error{NetError::kNotFound, url, {}, "not found (HTTP 404)"};
    if (complete && (attempt.status == 403 || attempt.status == 401)) {  // never retried: the identity is refused
      return Error{NetError::kForbidden, url, {}, fmt::format("access denied: {}", last)};
    }
    if (complete && attempt.status == 416) {
      span.unsatisfiable = true;  // an empty object has no first part
      return Error{NetError::kNetwork, url, {}, "the object changed during the download (a part lies beyond its end)"};
    }
    if (!Retryable(attempt) || i == o.max_attempts) break;
    std::chrono::milliseconds wait = backoff + std::chrono::milliseconds(rng() % static_cast<uint64_t>(backoff.count() + 1));
    if (attempt.retry_after_seconds >= 0) {
      wait = std::min<std::chrono::milliseconds>(std::chrono::seconds(attempt.retry_after_seconds), o.max_retry_after);
    }
    if (o.sleep) o.sleep(wait);
    else std::this_thread::sleep_for(wait);
    backoff = std::min(backoff * 2, o.max_backoff);
  }
  return Error{NetError::kNetwork, url, {}, fmt::format("download failed after {} attempt(s): {}", span.attempts, last)};
}

// Hashes bytes [from, to) of the file, one buffer at a time.
Status HashRange(int fd, uint64_t from, uint64_t to, std::vector<char>& buffer, MultiHasher& hasher, const std::string& out_path) {
  for (uint64_t at = from; at < to;) {
    ssize_t r = ::pread(fd, buffer.data(), static_cast<size_t>(std::min<uint64_t>(buffer.size(), to - at)), static_cast<off_t>(at));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Error{ErrorKind::kIo, out_path, {}, "cannot read back the download"};
    hasher.Update(std::string_view(buffer.data(), static_cast<size_t>(r)));
    at += static_cast<uint64_t>(r);
  }
  return Ok{};
}

// Parts 1…n-1 of an object whose first part is in the file: fetched `o.parts` at a time,
// while this thread hashes the file in order as its prefix completes (memory: one buffer).
Status FetchRemainingParts(const std::string& url, const std::string& out_path, int fd, const FetchOptions& o,
                           uint64_t total, MultiHasher& hasher, FetchResult& result) {
  const uint64_t part = o.part_bytes;
  const size_t n = static_cast<size_t>((total + part - 1) / part);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<char> done(n, 0);
  done[0] = 1;
  std::optional<Error> failure;
  std::atomic<bool> stop{false};
  std::atomic<size_t> next{1};
  std::atomic<int> attempts{0};
  auto worker = [&] {
    for (size_t i = next++; i < n && !stop; i = next++) {
      Span span{i * part, std::min(total, (i + 1) * part) - 1, 0, false, false, total, 0, false, false};
      Status s = FetchSpan(url, out_path, fd, o, span, nullptr, &stop);
      attempts += span.attempts - 1;
      std::lock_guard<std::mutex> lock(mu);
      if (!s) {
        if (!failure) failure = s.error();
        stop = true;
      } else {
        done[i] = 1;
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (int t = 0; t < std::min<int>(o.parts, static_cast<int>(n) - 1); ++t) workers.emplace_back(worker);
  std::vector<char> buffer(1 << 20);
  Status hashed = Ok{};
  for (size_t i = 0; i < n && hashed; ++i) {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return done[i] || failure.has_value(); });
      if (!done[i]) break;
    }
    hashed = HashRange(fd, i * part, std::min(total, (i + 1) * part), buffer, hasher, out_path);
    if (!hashed) stop = true;
    else if (o.on_final) o.on_final(total, std::min(total, (i + 1) * part));
  }
  for (auto& w : workers) w.join();
  result.attempts += attempts;
  result.parts = static_cast<int>(n);
  if (!hashed) return hashed;  // a local read error stopped the workers: it is the cause
  if (failure) return *failure;
  return Ok{};
}

}  // namespace

Expected<FetchResult> Fetch(const std::string& url, const std::string& out_path, const FetchOptions& o) {
  int fd = ::open(out_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error{ErrorKind::kIo, out_path, {}, "cannot create the download file"};
  auto fail = [&](Error e) -> Expected<FetchResult> {
    ::close(fd);
    std::error_code ec;
    std::filesystem::remove(out_path, ec);
    return e;
  };
  FetchResult result;
  MultiHasher hasher(o.digests);
  bool in_parts = o.parts > 1 && o.part_bytes > 0;
  // The first (or only) span: in parts, the first part, hashed with the rest afterwards.
  Span first{0, in_parts ? o.part_bytes - 1 : kToEnd, 0, true, false, 0, 0, false, false};
  Status s = FetchSpan(url, out_path, fd, o, first, in_parts ? nullptr : &hasher, nullptr);
  if (!s && first.unsatisfiable && in_parts) {  // an empty object: ask for it whole
    in_parts = false;
    first = Span{0, kToEnd, 0, true, false, 0, first.attempts, false, false};
    s = FetchSpan(url, out_path, fd, o, first, &hasher, nullptr);
  }
  result.attempts = first.attempts;
  result.resumed = first.resumed;
  if (!s) return fail(s.error());
  result.bytes = first.received;
  if (in_parts) {
    // A whole answer (200) or an object of one part is the download; else the remaining parts.
    uint64_t total = first.whole || first.total == 0 ? first.received : first.total;
    if (o.max_bytes > 0 && total > o.max_bytes) {
      return fail(Error{ErrorKind::kLimit, url, {}, fmt::format("larger than the limit of {} bytes", o.max_bytes)});
    }
    if (total > kMaxObjectBytes) {  // a server's claim, before anything is sized by it
      return fail(Error{ErrorKind::kLimit, url, {}, fmt::format("the server claims {} bytes, more than {} bytes", total, kMaxObjectBytes)});
    }
    std::vector<char> buffer(1 << 20);
    Status rest = total == first.received ? HashRange(fd, 0, total, buffer, hasher, out_path)
                                          : FetchRemainingParts(url, out_path, fd, o, total, hasher, result);
    if (!rest) return fail(rest.error());
    result.bytes = total;
  }
  if (::close(fd) != 0) {  // placement makes what it places durable (Workspace::Place)
    std::error_code ec;
    std::filesystem::remove(out_path, ec);
    return Error{ErrorKind::kIo, out_path, {}, "cannot write the download"};
  }
  result.digests = hasher.Final();
  if (o.on_final) o.on_final(result.bytes, result.bytes);
  return result;
}

}  // namespace aegis::verifier
