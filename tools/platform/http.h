// The one HTTP client (libcurl) every outside system goes through: object stores, credential
// endpoints, Vault and the Kubernetes API. It knows transports, TLS and timeouts; what an
// answer means (retries, resume, status codes) belongs to its callers. No curl type leaks
// out of this header, so layers that never speak HTTP never link libcurl.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.h"
#include "platform/net_error.h"

namespace aegis::platform {

struct TlsConfig {
  std::string ca_file;          // PEM file of trusted CAs; empty: the system's
  std::string ca_pem;           // PEM text of trusted CAs (kubeconfig data); wins over ca_file
  std::string extra_ca_pem;     // PEM text of CAs trusted besides those (KServe's CA bundle)
  std::string client_cert_pem;  // client certificate and key (PEM text), both or neither
  std::string client_key_pem;
  bool insecure_skip_verify = false;  // callers warn loudly
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; a control character refuses the request
  std::string body;                  // sent when non-empty
  TlsConfig tls;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(60)};
  std::chrono::seconds stall_timeout{0};  // less than 1 byte/s for this long aborts; 0: off
  bool follow_redirects = false;          // at most 5; never from https to http
  std::string aws_sigv4;                  // CURLOPT_AWS_SIGV4 provider string, or empty
  std::string aws_credentials;            // "KEY:SECRET" for SigV4 (never logged)
  uint64_t range_from = 0;                // > 0: ask for the body from this offset on
  uint64_t range_to = 0;                  // > 0: … up to this offset (inclusive): bytes=from-to
  const std::atomic<bool>* stop = nullptr;  // set (by a signal handler): abort the exchange
};

// How one exchange ended. `failure` is empty when a complete response arrived (any status).
struct HttpOutcome {
  long status = 0;                 // of the last response; 0 when none arrived
  long retry_after_seconds = -1;   // from Retry-After (seconds or an HTTP date)
  std::string link;                // the Link header (RFC 8288: paginated APIs' next page)
  std::string error_code;          // X-Error-Code (Hugging Face) or x-ms-error-code (Azure)
  std::string www_authenticate;    // the challenge of a 401 (a registry's Bearer realm)
  std::string content_type;
  std::string content_range;       // of a 206: "bytes FIRST-LAST/TOTAL"
  std::string location;            // Location (a registry's upload URL; redirects are not followed by it)
  std::string oci_subject;         // OCI-Subject: the registry indexed a manifest's subject (referrers API)
  std::string failure;             // what went wrong on the way (connection, TLS, timeout, …)
  bool failure_is_permanent = false;  // retrying cannot help (the peer's certificate is refused)
  bool aborted_by_sink = false;       // the sink returned false
  bool interrupted = false;           // `stop` was set
};

// Receives the body chunk by chunk, with the status of the response it belongs to (sinks
// keep only the statuses they want). Returning false aborts the transfer.
using BodySink = std::function<bool(long status, std::string_view chunk)>;

struct HttpText {
  long status = 0;
  std::string body;
  std::string link;        // the Link header, if any
  std::string error_code;  // the server's error-code header, if any
  std::string www_authenticate;
  std::string content_type;
  std::string location;
  std::string oci_subject;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One exchange; connections are kept alive between the exchanges of one client.
  HttpOutcome Send(const HttpRequest& request, const BodySink& sink);

  // A small answer kept in memory: NetError::kNetwork when no complete response arrived or
  // the body exceeds `max_body` bytes, ErrorKind::kInterrupted when `stop` was set; any HTTP
  // status is returned.
  Expected<HttpText> SendForText(const HttpRequest& request, size_t max_body);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace aegis::platform
