#include "platform/http.h"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "platform/net_error.h"

namespace aegis::platform {

struct HttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

namespace {

struct Exchange {
  CURL* curl = nullptr;
  const BodySink* sink = nullptr;
  HttpOutcome* outcome = nullptr;
  const std::atomic<bool>* stop = nullptr;
};

// CURLOPT_SSL_CTX_FUNCTION (OpenSSL backend): called once curl has loaded its CA file, so the
// certificates of `pem` extend that store instead of replacing it.
CURLcode AddCertificates(CURL*, void* ssl_ctx, void* pem) {
  const auto* text = static_cast<const std::string*>(pem);
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  BIO* bio = BIO_new_mem_buf(text->data(), static_cast<int>(text->size()));
  if (bio == nullptr) return CURLE_OUT_OF_MEMORY;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert);  // a duplicate of a system CA is harmless
    X509_free(cert);
  }
  BIO_free(bio);
  ERR_clear_error();  // the end of the PEM text is reported as an error: not one for curl to see
  return CURLE_OK;
}

bool HasControlCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string_view h(data, size * n);
  auto has_name = [&h](std::string_view name) {
    return h.size() > name.size() &&
           std::equal(name.begin(), name.end(), h.begin(), [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? b + 32 : b); });
  };
  if (h.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect)
    x->outcome->link.clear();
    x->outcome->error_code.clear();
    x->outcome->www_authenticate.clear();
    x->outcome->content_type.clear();
    x->outcome->content_range.clear();
    x->outcome->location.clear();
    x->outcome->oci_subject.clear();
  }
  auto value = [&h](size_t name_size) {
    std::string_view v = h.substr(name_size);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
    return v;
  };
  for (std::string_view name : {std::string_view("x-error-code:"), std::string_view("x-ms-error-code:")}) {
    if (has_name(name)) x->outcome->error_code = std::string(value(name.size()).substr(0, 64));
  }
  if (has_name("www-authenticate:")) x->outcome->www_authenticate = std::string(value(17).substr(0, 2048));
  if (has_name("content-type:")) x->outcome->content_type = std::string(value(13).substr(0, 256));
  if (has_name("content-range:")) x->outcome->content_range = std::string(value(14).substr(0, 128));
  if (has_name("location:")) x->outcome->location = std::string(value(9).substr(0, 4096));
  if (has_name("oci-subject:")) x->outcome->oci_subject = std::string(value(12).substr(0, 128));
  constexpr std::string_view kLink = "link:";
  if (has_name(kLink) && x->outcome->link.size() < 8192) {
    std::string_view v = value(kLink.size());
    x->outcome->link += (x->outcome->link.empty() ? "" : ", ") + std::string(v);
  }
  constexpr std::string_view kName = "retry-after:";
  if (h.size() > kName.size() && std::equal(kName.begin(), kName.end(), h.begin(),
                                             [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? b + 32 : b); })) {
    std::string v(h.substr(kName.size()));
    long secs = std::strtol(v.c_str(), nullptr, 10);
    if (secs > 0) {
      x->outcome->retry_after_seconds = secs;
    } else {
      time_t when = curl_getdate(v.c_str(), nullptr);
      if (when > 0) x->outcome->retry_after_seconds = std::max<long>(0, static_cast<long>(when - std::time(nullptr)));
    }
  }
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  long status = 0;
  curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
  if (!(*x->sink)(status, std::string_view(data, size * n))) {
    x->outcome->aborted_by_sink = true;
    return 0;
  }
  return size * n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* x = static_cast<Exchange*>(user);
  if (x->stop != nullptr && x->stop->load()) {
    x->outcome->interrupted = true;
    return 1;  // aborts the transfer
  }
  return 0;
}

bool Permanent(CURLcode code) {
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM ||
         code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT;
}

}  // namespace

HttpClient::HttpClient() : handle_(std::make_unique<Handle>()) {
  static const bool init = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)init;
}

HttpClient::~HttpClient() = default;

HttpOutcome HttpClient::Send(const HttpRequest& r, const BodySink& sink) {
  HttpOutcome outcome;
  for (const auto& h : r.headers) {
    if (HasControlCharacter(h)) {
      outcome.failure = "a request header contains a control character (a line break?): refusing to send it";
      outcome.failure_is_permanent = true;
      return outcome;
    }
  }
  if (handle_->curl == nullptr) handle_->curl = curl_easy_init();
  CURL* c = handle_->curl;
  if (c == nullptr) {
    outcome.failure = "cannot initialise libcurl";
    outcome.failure_is_permanent = true;
    return outcome;
  }
  curl_easy_reset(c);  // keeps the connection cache, forgets the last request's options
  curl_slist* list = nullptr;
  for (const auto& h : r.headers) list = curl_slist_append(list, h.c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(list, curl_slist_free_all);

  Exchange x{c, &sink, &outcome, r.stop};
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method == "GET" ? nullptr : r.method.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, r.follow_redirects ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, r.url.starts_with("https:") ? "https" : "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(r.total_timeout.count()));
  if (r.stall_timeout.count() > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(r.stall_timeout.count()));
  }
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (r.stop != nullptr) {
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
  if (list != nullptr) curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  if (!r.body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }
  curl_blob ca{const_cast<char*>(r.tls.ca_pem.data()), r.tls.ca_pem.size(), CURL_BLOB_NOCOPY};
  if (!r.tls.ca_pem.empty()) curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca);
  else if (!r.tls.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, r.tls.ca_file.c_str());
  if (!r.tls.extra_ca_pem.empty()) {
    curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, AddCertificates);
    curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &r.tls.extra_ca_pem);
  }
  curl_blob cert{const_cast<char*>(r.tls.client_cert_pem.data()), r.tls.client_cert_pem.size(), CURL_BLOB_NOCOPY};
  curl_blob key{const_cast<char*>(r.tls.client_key_pem.data()), r.tls.client_key_pem.size(), CURL_BLOB_NOCOPY};
  if (!r.tls.client_cert_pem.empty()) {
    curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (r.tls.insecure_skip_verify) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!r.aws_sigv4.empty()) {
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4, r.aws_sigv4.c_str());
    curl_easy_setopt(c, CURLOPT_USERPWD, r.aws_credentials.c_str());
  }
  std::string range = r.range_to > 0 ? fmt::format("{}-{}", r.range_from, r.range_to) : fmt::format("{}-", r.range_from);
  if (r.range_from > 0 || r.range_to > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());

  CURLcode code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &outcome.status);
  if (outcome.interrupted) {
    outcome.failure = "interrupted";
    outcome.failure_is_permanent = true;
  } else if (code != CURLE_OK && !outcome.aborted_by_sink) {
    outcome.failure = fmt::format("{} ({})", curl_easy_strerror(code), error[0] != '\0' ? error : "no detail");
    outcome.failure_is_permanent = Permanent(code);
  } else if (outcome.aborted_by_sink) {
    outcome.failure = "the transfer was stopped by the receiver";
  }
  // The blobs and the header list point into this frame and `r`: forget them before returning.
  curl_easy_reset(c);
  return outcome;
}

Expected<HttpText> HttpClient::SendForText(const HttpRequest& request, size_t max_body) {
  HttpText text;
  bool too_large = false;
  auto outcome = Send(request, [&](long, std::string_view chunk) {
    if (text.body.size() + chunk.size() > max_body) {
      too_large = true;
      return false;
    }
    text.body.append(chunk);
    return true;
  });
  if (outcome.interrupted) return Error{ErrorKind::kInterrupted, {}, {}, "interrupted"};
  if (too_large) return Error{NetError::kNetwork, {}, {}, fmt::format("the answer exceeds {} bytes", max_body)};
  if (!outcome.failure.empty()) return Error{NetError::kNetwork, {}, {}, outcome.failure};
  text.status = outcome.status;
  text.link = outcome.link;
  text.error_code = outcome.error_code;
  text.www_authenticate = outcome.www_authenticate;
  text.content_type = outcome.content_type;
  text.location = outcome.location;
  text.oci_subject = outcome.oci_subject;
  return text;
}

}  // namespace aegis::platform
