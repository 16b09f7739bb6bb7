#include "kube/api.h"

#include "util/json_access.h"

#include <algorithm>

#include <chrono>

#include <fmt/format.h>

#include "util/file_io.h"
#include "util/strings.h"
#include "platform/http.h"
#include "platform/net_error.h"
#include "platform/subprocess.h"

namespace aegis::kube {
namespace {
using nlohmann::json;

constexpr size_t kMaxAnswer = 64u << 20;

class HttpKubeApi : public KubeApi {
 public:
  HttpKubeApi(ClusterAccess a, const std::atomic<bool>* stop, std::chrono::steady_clock::time_point deadline)
      : a_(std::move(a)), stop_(stop), deadline_(deadline) {}

  Expected<ApiResponse> Request(const std::string& method, const std::string& path, const json* body) override {
    auto r = Once(method, path, body);
    if (r && r->status == 401 && a_.exec) {  // the plugin's credential expired: run it again
      exec_.reset();
      r = Once(method, path, body);
    }
    return r;
  }

 private:
  // Time left before the deadline, at least 1 ms; NetError::kTimeout when none is.
  Expected<std::chrono::milliseconds> Left() const {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline_) return TimedOut();
    return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(deadline_ - now));
  }
  Error TimedOut() const { return Error{NetError::kTimeout, a_.server, {}, "the API server did not answer before the deadline (--timeout)"}; }

  Expected<ApiResponse> Once(const std::string& method, const std::string& path, const json* body) {
    std::string token = a_.token, cert = a_.client_cert_pem, key = a_.client_key_pem;
    if (!a_.token_file.empty()) {
      auto t = ReadInput(a_.token_file);
      if (!t) return Error{ErrorKind::kUsage, a_.token_file, {}, "cannot read the token file"};
      token = Trim(*t);
    }
    if (a_.exec) {
      if (!exec_) {
        auto left = Left();
        if (!left) return left.error();
        auto c = RunExecPlugin(*a_.exec, stop_, std::min<std::chrono::milliseconds>(*left, std::chrono::seconds(60)));
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
    platform::HttpRequest request;
    request.method = method;
    request.url = a_.server;
    while (!request.url.empty() && request.url.back() == '/') request.url.pop_back();
    request.url += path;
    request.headers = {"Accept: application/json"};
    if (!token.empty()) request.headers.push_back("Authorization: Bearer " + token);
    if (body != nullptr) {
      request.body = body->dump(-1, ' ', false, json::error_handler_t::replace);
      request.headers.push_back("Content-Type: application/json");
    }
    const bool cleanup = method == "DELETE";  // Ctrl-C and --timeout stop waiting, never the clean-up
    request.total_timeout = std::chrono::seconds(cleanup ? 20 : 60);
    if (!cleanup) {
      auto left = Left();
      if (!left) return left.error();
      request.total_timeout = std::min<std::chrono::milliseconds>(request.total_timeout, *left);
      request.stop = stop_;
    }
    request.tls.ca_pem = a_.ca_pem;
    request.tls.client_cert_pem = cert;
    request.tls.client_key_pem = key;
    request.tls.insecure_skip_verify = a_.insecure;
    auto answer = client_.SendForText(request, kMaxAnswer);
    if (!answer) {
      if (answer.error().kind == ErrorKind::kInterrupted) return answer.error();
      // curl's own timer fired at the deadline (it may round a few milliseconds early).
      if (!cleanup && std::chrono::steady_clock::now() + std::chrono::milliseconds(100) >= deadline_) return TimedOut();
      return Error{NetError::kNetwork, a_.server, {}, "cannot reach the API server: " + answer.error().message};
    }
    ApiResponse r;
    r.status = answer->status;
    // The answer is outside input: bounded in depth and size before it becomes a DOM.
    auto parsed = ParseJsonBounded(answer->body);
    r.body = parsed ? std::move(*parsed) : json(nullptr);
    return r;
  }

  ClusterAccess a_;
  const std::atomic<bool>* stop_;
  std::chrono::steady_clock::time_point deadline_;
  platform::HttpClient client_;  // keeps the connection to the API server alive
  std::optional<ExecCredential> exec_;
};

}  // namespace

std::unique_ptr<KubeApi> ConnectHttp(ClusterAccess access, const std::atomic<bool>* stop, std::chrono::steady_clock::time_point deadline) {
  return std::make_unique<HttpKubeApi>(std::move(access), stop, deadline);
}

Expected<json> Expect2xx(const Expected<ApiResponse>& r, const std::string& what) {
  if (!r) return r.error();
  if (r->status >= 200 && r->status < 300) return r->body;
  std::string message = r->body.is_object() && r->body.value("message", json()).is_string() ? r->body["message"].get<std::string>()
                                                                                            : fmt::format("HTTP {}", r->status);
  std::error_code kind = r->status == 401 || r->status == 403 ? make_error_code(NetError::kForbidden) : r->status == 404 ? NetError::kNotFound : NetError::kNetwork;
  return Error{kind, {}, {}, fmt::format("{}: {} (HTTP {})", what, message, r->status)};
}

Expected<ExecCredential> RunExecPlugin(const ExecPlugin& p, const std::atomic<bool>* stop, std::chrono::milliseconds timeout) {
  platform::SubprocessSpec spec;
  spec.command = p.command;
  spec.args = p.args;
  spec.env = p.env;
  spec.env.emplace_back("KUBERNETES_EXEC_INFO",
                        fmt::format(R"({{"apiVersion":"{}","kind":"ExecCredential","spec":{{"interactive":false}}}})",
                                    p.api_version.empty() ? "client.authentication.k8s.io/v1" : p.api_version));
  spec.timeout = timeout;
  spec.max_output = 1u << 20;
  spec.stop = stop;
  auto run = platform::RunCaptured(spec);
  if (!run) {
    Error e = run.error();
    e.message = "exec credential plugin: " + e.message;
    return e;
  }
  if (run->exit_code != 0) {
    std::string how = run->signal != 0 ? fmt::format("killed by signal {}", run->signal) : fmt::format("exit {}", run->exit_code);
    return Error{NetError::kForbidden, p.command, {}, fmt::format("the exec credential plugin failed ({})", how)};
  }
  const std::string& text = run->output;
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
