#include "verifier/fetch.h"

#include "verifier/storage_error.h"
#include "platform/http.h"
#include "platform/net_error.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include <fmt/format.h>

namespace aegis::verifier {
namespace {

// Where one attempt's body goes: the file, hashed on the way, resuming or restarting.
struct Transfer {
  std::FILE* file = nullptr;
  MultiHasher* hasher = nullptr;
  uint64_t* bytes = nullptr;
  uint64_t resume_from = 0;
  uint64_t max_bytes = 0;
  bool started = false;
  bool restarted = false;    // the server ignored Range and sent the whole body
  bool write_failed = false;
  bool too_large = false;

  std::string error_body;  // the start of an error response: its code explains the refusal

  bool Take(long status, std::string_view data) {
    if (status != 200 && status != 206) {  // error bodies are not the artifact
      if (error_body.size() < 4096) error_body.append(data.substr(0, 4096 - error_body.size()));
      return true;
    }
    if (!started) {
      started = true;
      if (status == 200 && resume_from > 0) {  // no Range support: start over
        std::fflush(file);
        if (std::fseek(file, 0, SEEK_SET) != 0 || ftruncate(fileno(file), 0) != 0) return !(write_failed = true);
        hasher->Reset();
        *bytes = 0;
        restarted = true;
      }
    }
    if (max_bytes > 0 && *bytes + data.size() > max_bytes) return !(too_large = true);
    if (std::fwrite(data.data(), 1, data.size(), file) != data.size()) return !(write_failed = true);
    hasher->Update(data);
    *bytes += data.size();
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

}  // namespace

Expected<FetchResult> Fetch(const std::string& url, const std::string& out_path, const FetchOptions& o) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(out_path.c_str(), "wb"), std::fclose);
  auto cleanup = [&] {
    file.reset();
    std::error_code ec;
    std::filesystem::remove(out_path, ec);
  };
  if (!file) return Error{ErrorKind::kIo, out_path, {}, "cannot create the download file"};
  // One client per thread: its connections are reused by the retries and by the next
  // download of this thread (a model directory's files from one host: no new TLS handshake
  // per file). curl reuses a connection only for the same host, port and TLS settings.
  thread_local platform::HttpClient client;
  platform::HttpRequest request;
  request.url = url;
  request.headers = o.headers;
  request.connect_timeout = o.connect_timeout;
  request.total_timeout = o.total_timeout;
  request.stall_timeout = o.stall_timeout;
  request.follow_redirects = o.follow_redirects;
  request.tls.ca_file = o.ca_bundle;
  request.tls.insecure_skip_verify = o.insecure_skip_tls_verify;
  request.aws_sigv4 = o.aws_sigv4;
  request.aws_credentials = o.aws_credentials;

  FetchResult result;
  MultiHasher hasher(o.digests);
  std::mt19937_64 rng(std::random_device{}());
  std::chrono::milliseconds backoff = o.initial_backoff;
  std::string last;
  for (int i = 1; i <= o.max_attempts; ++i) {
    result.attempts = i;
    Transfer t;
    t.file = file.get();
    t.hasher = &hasher;
    t.bytes = &result.bytes;
    t.resume_from = result.bytes;
    t.max_bytes = o.max_bytes;
    request.range_from = result.bytes;
    request.headers = o.headers;
    if (o.authorize) {
      for (std::string& h : o.authorize(url, request.range_from)) request.headers.push_back(std::move(h));
    }
    auto attempt = client.Send(request, [&t](long status, std::string_view data) { return t.Take(status, data); });
    result.resumed = result.resumed || (request.range_from > 0 && attempt.status == 206);
    if (t.write_failed) {
      cleanup();
      return Error{ErrorKind::kIo, out_path, {}, "cannot write the download (disk full?)"};
    }
    if (t.too_large) {
      cleanup();
      return Error{ErrorKind::kLimit, url, {}, fmt::format("larger than the limit of {} bytes", o.max_bytes)};
    }
    bool complete = attempt.failure.empty();
    if (complete && (attempt.status == 200 || attempt.status == 206)) {
      if (std::fflush(file.get()) != 0 || ::fsync(::fileno(file.get())) != 0) {  // durable: it may be placed as-is
        cleanup();
        return Error{ErrorKind::kIo, out_path, {}, "cannot write the download"};
      }
      result.digests = hasher.Final();
      return result;
    }
    last = Describe(attempt, t.error_body);
    if (complete && attempt.status == 404) {
      cleanup();
      return Error{NetError::kNotFound, url, {}, "not found (HTTP 404)"};
    }
    if (complete && (attempt.status == 403 || attempt.status == 401)) {  // never retried: the identity is refused
      cleanup();
      return Error{NetError::kForbidden, url, {}, fmt::format("access denied: {}", last)};
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
  cleanup();
  return Error{NetError::kNetwork, url, {},
               fmt::format("download failed after {} attempt(s): {}", result.attempts, last)};
}

}  // namespace aegis::verifier
