#include "support/http_server.h"

#include <csignal>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace aegis::testing {

bool HttpConnection::Send(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ssl_ != nullptr ? SSL_write(ssl_, bytes.data() + off, static_cast<int>(bytes.size() - off))
                                : send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

void HttpConnection::Respond(int status, const std::string& body, const std::vector<std::string>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n";
  for (const auto& h : headers) head += h + "\r\n";
  Send(head + "\r\n" + body);
}

void HttpConnection::Reset() {
  linger l{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd_);
  fd_ = -1;
}

void HttpConnection::WaitForClientClose(int max_seconds) {
  pollfd p{fd_, POLLIN, 0};
  char buf[256];
  for (int waited = 0; waited < max_seconds * 10; ++waited) {
    if (poll(&p, 1, 100) > 0 && recv(fd_, buf, sizeof buf, 0) <= 0) return;
  }
}

HttpServer::HttpServer(Handler handler) : handler_(std::move(handler)) { Start(); }

// Writing to a client that went away (SSL_write has no MSG_NOSIGNAL) must be an error for
// the handler, not a SIGPIPE that ends the whole test binary.
static const bool kIgnoreSigpipe = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

HttpServer::HttpServer(Handler handler, const TlsConfig& tls) : handler_(std::move(handler)) {
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (SSL_CTX_use_certificate_chain_file(ctx_, tls.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx_, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error("test HTTPS server: cannot load the certificate");
  }
  if (!tls.client_ca_file.empty()) {
    SSL_CTX_load_verify_locations(ctx_, tls.client_ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });  // checked per request below
    // Clients resume TLS sessions (libcurl does across requests, as Go's API server allows);
    // with peer verification on, OpenSSL refuses a resumption without a session id context.
    static const unsigned char kContext[] = "aegis-test";
    SSL_CTX_set_session_id_context(ctx_, kContext, sizeof kContext - 1);
  }
  Start();
}

void HttpServer::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("test HTTP server: cannot listen");
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

HttpServer::~HttpServer() {
  stop_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  thread_.join();
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

std::string HttpServer::Url(const std::string& path) const {
  return (ctx_ != nullptr ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) + path;
}

std::vector<HttpRequest> HttpServer::Log() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

void HttpServer::Serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    timeval tv{5, 0};  // a client that never speaks does not block the server
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SSL* ssl = nullptr;
    std::string client_cn;
    if (ctx_ != nullptr) {
      ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        SSL_free(ssl);
        close(fd);
        continue;
      }
      if (X509* peer = SSL_get1_peer_certificate(ssl)) {
        if (SSL_get_verify_result(ssl) == X509_V_OK) {
          char cn[256] = {};
          X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
          client_cn = cn;
        }
        X509_free(peer);
      }
    }
    auto receive = [&](char* b, size_t n) -> ssize_t {
      return ssl != nullptr ? SSL_read(ssl, b, static_cast<int>(n)) : recv(fd, b, n, 0);
    };
    std::string raw;
    char buf[4096];
    while (raw.find("\r\n\r\n") == std::string::npos && raw.size() < 65536) {
      ssize_t n = receive(buf, sizeof buf);
      if (n <= 0) break;
      raw.append(buf, static_cast<size_t>(n));
    }
    HttpRequest req;
    req.client_cn = client_cn;
    size_t line_end = raw.find("\r\n");
    std::string first = raw.substr(0, line_end);
    size_t s1 = first.find(' '), s2 = first.rfind(' ');
    if (s1 != std::string::npos && s2 > s1) {
      req.method = first.substr(0, s1);
      req.target = first.substr(s1 + 1, s2 - s1 - 1);
    }
    size_t pos = line_end + 2;
    while (pos < raw.size()) {
      size_t end = raw.find("\r\n", pos);
      if (end == std::string::npos || end == pos) break;
      std::string h = raw.substr(pos, end - pos);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        size_t v = h.find_first_not_of(' ', colon + 1);
        req.headers[name] = v == std::string::npos ? "" : h.substr(v);
      }
      pos = end + 2;
    }
    size_t head_end = raw.find("\r\n\r\n");
    if (head_end != std::string::npos) req.body = raw.substr(head_end + 4);
    if (auto cl = req.headers.find("content-length"); cl != req.headers.end()) {
      size_t want = std::min<size_t>(std::stoul(cl->second), 1 << 20);
      while (req.body.size() < want) {
        ssize_t n = receive(buf, sizeof buf);
        if (n <= 0) break;
        req.body.append(buf, static_cast<size_t>(n));
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      log_.push_back(req);
    }
    ++requests_;
    HttpConnection conn(fd, ssl);
    handler_(req, conn);
    if (ssl != nullptr) {
      if (conn.fd() >= 0) SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    if (conn.fd() >= 0) close(conn.fd());
  }
}

}  // namespace aegis::testing
