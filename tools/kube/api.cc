#include "kube/api.h"

#include "util/json_access.h"

#include <algorithm>
#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

#include "util/file_io.h"
#include "util/strings.h"

namespace aegis::kube {
namespace {
using nlohmann::json;

size_t Append(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<std::string*>(user);
  if (s->size() + size * n > (64u << 20)) return 0;
  s->append(data, size * n);
  return size * n;
}

class HttpKubeApi : public KubeApi {
 public:
  explicit HttpKubeApi(ClusterAccess a) : a_(std::move(a)) {}

  Expected<ApiResponse> Request(const std::string& method, const std::string& path, const json* body) override {
    auto r = Once(method, path, body);
    if (r && r->status == 401 && a_.exec) {  // the plugin's credential expired: run it again
      exec_.reset();
      r = Once(method, path, body);
    }
    return r;
  }

 private:
  Expected<ApiResponse> Once(const std::string& method, const std::string& path, const json* body) {
    std::string token = a_.token, cert = a_.client_cert_pem, key = a_.client_key_pem;
    if (!a_.token_file.empty()) {
      auto t = ReadInput(a_.token_file);
      if (!t) return Error{ErrorKind::kUsage, a_.token_file, {}, "cannot read the token file"};
      token = Trim(*t);
    }
    if (a_.exec) {
      if (!exec_) {
        auto c = RunExecPlugin(*a_.exec);
        if (!c) return c.error();
        exec_ = *c;
      }
      if (!exec_->token.empty()) token = exec_->token;
      if (!exec_->client_cert_pem.empty()) {
        cert = exec_->client_cert_pem;
        key = exec_->client_key_pem;
      }
    }
    // A line break in a token would add header lines of the token's choosing.
    if (std::any_of(token.begin(), token.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; })) {
      return Error{ErrorKind::kUsage, {}, {}, "the bearer token contains a control character (a line break?): refusing to send it"};
    }
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    CURL* c = curl.get();
    std::string url = a_.server;
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += path;
    curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
    std::string auth = "Authorization: Bearer " + token;
    if (!token.empty()) headers = curl_slist_append(headers, auth.c_str());
    std::string payload;
    if (body != nullptr) {
      payload = body->dump();
      headers = curl_slist_append(headers, "Content-Type: application/json");
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.c_str());
    }
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> hold(headers, curl_slist_free_all);
    std::string out;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    curl_blob ca{a_.ca_pem.data(), a_.ca_pem.size(), CURL_BLOB_NOCOPY};
    if (!a_.ca_pem.empty()) curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca);
    curl_blob cert_blob{cert.data(), cert.size(), CURL_BLOB_NOCOPY}, key_blob{key.data(), key.size(), CURL_BLOB_NOCOPY};
    if (!cert.empty()) {
      curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert_blob);
      curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
      curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key_blob);
      curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (a_.insecure) {
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
      return Error{ErrorKind::kNetwork, a_.server, {},
                   fmt::format("cannot reach the API server: {} ({})", curl_easy_strerror(code), error[0] ? error : "no detail")};
    }
    ApiResponse r;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    // The answer is outside input: bounded in depth and size before it becomes a DOM.
    auto parsed = ParseJsonBounded(out);
    r.body = parsed ? std::move(*parsed) : json(nullptr);
    return r;
  }

  ClusterAccess a_;
  std::optional<ExecCredential> exec_;
};

}  // namespace

std::unique_ptr<KubeApi> ConnectHttp(ClusterAccess access) {
  static const bool init = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)init;
  return std::make_unique<HttpKubeApi>(std::move(access));
}

Expected<json> Expect2xx(const Expected<ApiResponse>& r, const std::string& what) {
  if (!r) return r.error();
  if (r->status >= 200 && r->status < 300) return r->body;
  std::string message = r->body.is_object() && r->body.value("message", json()).is_string() ? r->body["message"].get<std::string>()
                                                                                            : fmt::format("HTTP {}", r->status);
  ErrorKind kind = r->status == 401 || r->status == 403 ? ErrorKind::kForbidden : r->status == 404 ? ErrorKind::kNotFound : ErrorKind::kNetwork;
  return Error{kind, {}, {}, fmt::format("{}: {} (HTTP {})", what, message, r->status)};
}

Expected<ExecCredential> RunExecPlugin(const ExecPlugin& p) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return Error{ErrorKind::kIo, p.command, {}, "cannot create a pipe"};
  std::string info = fmt::format(R"({{"apiVersion":"{}","kind":"ExecCredential","spec":{{"interactive":false}}}})",
                                 p.api_version.empty() ? "client.authentication.k8s.io/v1" : p.api_version);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    setenv("KUBERNETES_EXEC_INFO", info.c_str(), 1);
    for (const auto& [k, v] : p.env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(p.command.c_str()));
    for (const auto& a : p.args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return Error{ErrorKind::kIo, p.command, {}, "cannot start the exec credential plugin"};
  }
  std::string text;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    pollfd pfd{out[0], POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0 || poll(&pfd, 1, left) <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > (1u << 20)) break;
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error{ErrorKind::kForbidden, p.command, {}, fmt::format("the exec credential plugin failed (exit {})", WIFEXITED(status) ? WEXITSTATUS(status) : -1)};
  }
  auto bounded = ParseJsonBounded(text, 64, 1u << 20);
  json j = bounded ? std::move(*bounded) : json(json::value_t::discarded);
  if (!j.is_object() || JsonStringOr(j, {"kind"}) != "ExecCredential" || JsonAt(j, {"status"}) == nullptr || !j["status"].is_object()) {
    return Error{ErrorKind::kUsage, p.command, {}, "the exec credential plugin did not print an ExecCredential"};
  }
  ExecCredential c;
  const json& s = j["status"];
  // Typed reads: a number where a string is due is "absent", never a type_error.
  c.token = JsonStringOr(s, {"token"});
  c.client_cert_pem = JsonStringOr(s, {"clientCertificateData"});
  c.client_key_pem = JsonStringOr(s, {"clientKeyData"});
  if (c.token.empty() && (c.client_cert_pem.empty() || c.client_key_pem.empty())) {
    return Error{ErrorKind::kUsage, p.command, {}, "the ExecCredential has neither status.token nor a client certificate"};
  }
  return c;
}

}  // namespace aegis::kube
