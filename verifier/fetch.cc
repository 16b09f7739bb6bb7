#include "verifier/fetch.h"

#include <curl/curl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include <fmt/format.h>

namespace aegis::verifier {
namespace {

// What one attempt ended with.
struct Attempt {
  CURLcode code = CURLE_OK;
  long status = 0;
  long retry_after = -1;  // seconds, from the Retry-After header
  bool restarted = false; // the server ignored Range and sent the whole body
};

struct Transfer {
  std::FILE* file = nullptr;
  MultiHasher* hasher = nullptr;
  uint64_t* bytes = nullptr;
  uint64_t resume_from = 0;
  CURL* curl = nullptr;
  Attempt* attempt = nullptr;
  bool started = false;
  bool write_failed = false;
  uint64_t max_bytes = 0;
  bool too_large = false;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view h(data, size * n);
  if (h.size() > 12 && (h.starts_with("Retry-After:") || h.starts_with("retry-after:"))) {
    std::string v(h.substr(12));
    long secs = std::strtol(v.c_str(), nullptr, 10);
    if (secs > 0) {
      t->attempt->retry_after = secs;
    } else {
      time_t when = curl_getdate(v.c_str(), nullptr);
      if (when > 0) t->attempt->retry_after = std::max<long>(0, static_cast<long>(when - std::time(nullptr)));
    }
  }
  return size * n;
}

size_t OnData(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 206) return len;  // error bodies are not the artifact
  if (!t->started) {
    t->started = true;
    if (status == 200 && t->resume_from > 0) {
      // No Range support: start over.
      std::fflush(t->file);
      if (std::fseek(t->file, 0, SEEK_SET) != 0 || ftruncate(fileno(t->file), 0) != 0) {
        t->write_failed = true;
        return 0;
      }
      t->hasher->Reset();
      *t->bytes = 0;
      t->attempt->restarted = true;
    }
  }
  if (t->max_bytes > 0 && *t->bytes + len > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
  if (std::fwrite(data, 1, len, t->file) != len) {
    t->write_failed = true;
    return 0;
  }
  t->hasher->Update(std::string_view(data, len));
  *t->bytes += len;
  return len;
}

bool Retryable(const Attempt& a) {
  // A certificate the trust store rejects stays rejected: no point waiting for it.
  if (a.code == CURLE_PEER_FAILED_VERIFICATION || a.code == CURLE_SSL_CACERT_BADFILE || a.code == CURLE_SSL_CERTPROBLEM) return false;
  if (a.code != CURLE_OK) return true;  // connection errors, resets, truncation, timeouts
  return a.status >= 500 || a.status == 429;
}

std::string Describe(const Attempt& a, const char* error) {
  if (a.code != CURLE_OK) return fmt::format("{} ({})", curl_easy_strerror(a.code), error[0] ? error : "no detail");
  return fmt::format("HTTP {}", a.status);
}

}  // namespace

Expected<FetchResult> Fetch(const std::string& url, const std::string& out_path, const FetchOptions& o) {
  static const bool init = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)init;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(out_path.c_str(), "wb"), std::fclose);
  auto cleanup = [&] {
    file.reset();
    std::error_code ec;
    std::filesystem::remove(out_path, ec);
  };
  if (!file) return Error{ErrorKind::kIo, out_path, {}, "cannot create the download file"};
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(nullptr, curl_slist_free_all);
  curl_slist* list = nullptr;
  for (const auto& h : o.headers) list = curl_slist_append(list, h.c_str());
  headers.reset(list);

  FetchResult result;
  MultiHasher hasher(o.digests);
  std::mt19937_64 rng(std::random_device{}());
  std::chrono::milliseconds backoff = o.initial_backoff;
  std::string last;
  for (int i = 1; i <= o.max_attempts; ++i) {
    result.attempts = i;
    Attempt attempt;
    Transfer t{file.get(), &hasher, &result.bytes, result.bytes, curl.get(), &attempt, false, false, o.max_bytes, false};
    char error[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, o.follow_redirects ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, url.starts_with("https:") ? "https" : "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::chrono::milliseconds(o.connect_timeout).count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::chrono::milliseconds(o.total_timeout).count()));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.stall_timeout.count()));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnData);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    if (!o.ca_bundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_bundle.c_str());
    if (o.insecure_skip_tls_verify) {
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!o.aws_sigv4.empty()) {
      curl_easy_setopt(c, CURLOPT_AWS_SIGV4, o.aws_sigv4.c_str());
      curl_easy_setopt(c, CURLOPT_USERPWD, o.aws_credentials.c_str());
    }
    std::string range = fmt::format("{}-", result.bytes);
    if (result.bytes > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());

    attempt.code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &attempt.status);
    result.resumed = result.resumed || (result.bytes > 0 && attempt.status == 206);
    if (t.write_failed) {
      cleanup();
      return Error{ErrorKind::kIo, out_path, {}, "cannot write the download (disk full?)"};
    }
    if (t.too_large) {
      cleanup();
      return Error{ErrorKind::kLimit, url, {}, fmt::format("larger than the limit of {} bytes", o.max_bytes)};
    }
    if (attempt.code == CURLE_OK && (attempt.status == 200 || attempt.status == 206)) {
      if (std::fflush(file.get()) != 0 || ::fsync(::fileno(file.get())) != 0) {  // durable: it may be placed as-is
        cleanup();
        return Error{ErrorKind::kIo, out_path, {}, "cannot write the download"};
      }
      result.digests = hasher.Final();
      return result;
    }
    last = Describe(attempt, error);
    if (attempt.code == CURLE_OK && attempt.status == 404) {
      cleanup();
      return Error{ErrorKind::kNotFound, url, {}, "not found (HTTP 404)"};
    }
    if (attempt.code == CURLE_OK && attempt.status == 403) {  // never retried: the identity is refused
      cleanup();
      return Error{ErrorKind::kForbidden, url, {}, fmt::format("access denied: {}", last)};
    }
    if (!Retryable(attempt) || i == o.max_attempts) break;
    std::chrono::milliseconds wait = backoff + std::chrono::milliseconds(rng() % static_cast<uint64_t>(backoff.count() + 1));
    if (attempt.retry_after >= 0) {
      wait = std::min<std::chrono::milliseconds>(std::chrono::seconds(attempt.retry_after), o.max_retry_after);
    }
    if (o.sleep) o.sleep(wait);
    else std::this_thread::sleep_for(wait);
    backoff = std::min(backoff * 2, o.max_backoff);
  }
  cleanup();
  return Error{ErrorKind::kNetwork, url, {},
               fmt::format("download failed after {} attempt(s): {}", result.attempts, last)};
}

}  // namespace aegis::verifier

namespace aegis::verifier {
namespace {
size_t Append(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<std::string*>(user);
  if (s->size() + size * n > (1u << 20)) return 0;  // credential answers are small
  s->append(data, size * n);
  return size * n;
}
}  // namespace

Expected<HttpText> RequestText(const std::string& url, const std::vector<std::string>& headers,
                               const std::string& post_body, std::chrono::seconds timeout, const std::string& ca_bundle) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> hold(list, curl_slist_free_all);
  HttpText out;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::chrono::milliseconds(timeout).count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  if (list != nullptr) curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  if (!post_body.empty()) curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body.c_str());
  if (!ca_bundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_bundle.c_str());
  CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) return Error{ErrorKind::kNetwork, {}, {}, curl_easy_strerror(code)};
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

}  // namespace aegis::verifier
