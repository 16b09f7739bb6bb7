#include "support/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace aegis::testing {

bool HttpConnection::Send(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
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

HttpServer::HttpServer(Handler handler) : handler_(std::move(handler)) {
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
}

std::string HttpServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
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
    std::string raw;
    char buf[4096];
    while (raw.find("\r\n\r\n") == std::string::npos && raw.size() < 65536) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      raw.append(buf, static_cast<size_t>(n));
    }
    HttpRequest req;
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
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.body.append(buf, static_cast<size_t>(n));
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      log_.push_back(req);
    }
    ++requests_;
    HttpConnection conn(fd);
    handler_(req, conn);
    if (conn.fd() >= 0) close(conn.fd());
  }
}

}  // namespace aegis::testing
