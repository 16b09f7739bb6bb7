// A tiny HTTP/1.1 server on 127.0.0.1 for tests: each request goes to a handler that
// scripts the response, including the faults real object stores show (resets, truncated
// bodies, stalls). One connection at a time per thread; Connection: close.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace aegis::testing {

struct HttpRequest {
  std::string client_cn;  // TLS: the verified client certificate's CN, or empty
  std::string method;
  std::string target;  // path and query
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // up to Content-Length
};

class HttpConnection {
 public:
  explicit HttpConnection(int fd, ssl_st* ssl = nullptr) : fd_(fd), ssl_(ssl) {}
  // Writes raw bytes; false when the peer is gone.
  bool Send(const std::string& bytes);
  // A complete response with Content-Length.
  void Respond(int status, const std::string& body, const std::vector<std::string>& headers = {});
  // Closes the socket with a TCP reset (SO_LINGER 0).
  void Reset();
  // Waits until the client closes the connection (bounded): for stall tests.
  void WaitForClientClose(int max_seconds);
  int fd() const { return fd_; }

 private:
  int fd_;
  ssl_st* ssl_;
};

// HTTPS: the server's certificate and key (PEM files) and, optionally, the CA whose client
// certificates are accepted (requested, not required: requests carry client_cn).
struct TlsConfig {
  std::string cert_file, key_file, client_ca_file;
};

class HttpServer {
 public:
  using Handler = std::function<void(const HttpRequest&, HttpConnection&)>;
  explicit HttpServer(Handler handler);
  HttpServer(Handler handler, const TlsConfig& tls);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::string Url(const std::string& path) const;  // http(s)://127.0.0.1:PORT/path
  int requests() const { return requests_.load(); }
  std::vector<HttpRequest> Log() const;

 private:
  void Start();
  void Serve();
  Handler handler_;
  ssl_ctx_st* ctx_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::vector<HttpRequest> log_;
  std::thread thread_;
};

}  // namespace aegis::testing
