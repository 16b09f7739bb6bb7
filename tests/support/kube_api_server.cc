#include "support/kube_api_server.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace aegis::testing {
namespace {
using nlohmann::json;

json Status(int code, const std::string& reason, const std::string& message) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::object()}, {"status", "Failure"},
          {"message", message}, {"reason", reason}, {"code", code}};
}

void Send(HttpConnection& c, int status, const json& body) { c.Respond(status, body.dump(), {"Content-Type: application/json"}); }

std::string Label(const json& pod) { return pod["metadata"].value("labels", json::object()).value("aegis/canary", ""); }

// "aegis/canary,app=x": every term must hold (existence or equality).
bool Matches(const json& pod, const std::string& selector) {
  json labels = pod["metadata"].value("labels", json::object());
  size_t start = 0;
  while (start <= selector.size()) {
    size_t comma = selector.find(',', start);
    if (comma == std::string::npos) comma = selector.size();
    std::string term = selector.substr(start, comma - start);
    size_t eq = term.find('=');
    if (!term.empty()) {
      std::string key = term.substr(0, eq);
      if (!labels.contains(key)) return false;
      if (eq != std::string::npos && labels[key] != term.substr(eq + 1)) return false;
    }
    start = comma + 1;
  }
  return true;
}

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void Finish(json& pod, int exit_code, bool ready, const std::string& message) {
  json term = {{"exitCode", exit_code}, {"reason", exit_code == 0 ? "Completed" : "Error"}, {"message", message},
               {"startedAt", "2026-11-27T10:00:00Z"}, {"finishedAt", "2026-11-27T10:00:05Z"}, {"containerID", "containerd://abc"}};
  json init = {{"name", "verify-and-fetch"}, {"image", "localhost/aegis/verify-and-fetch:0.1.0"}, {"ready", exit_code == 0}, {"restartCount", exit_code == 0 ? 0 : 3}};
  if (exit_code == 0) init["state"] = {{"terminated", term}};
  else {
    init["state"] = {{"waiting", {{"reason", "CrashLoopBackOff"}, {"message", "back-off 40s restarting failed container"}}}};
    init["lastState"] = {{"terminated", term}};
  }
  pod["status"]["phase"] = ready ? "Running" : "Pending";
  if (pod["spec"].contains("initContainers")) pod["status"]["initContainerStatuses"] = json::array({init});
  pod["status"]["conditions"] = json::array({{{"type", "Initialized"}, {"status", exit_code == 0 ? "True" : "False"}},
                                             {{"type", "Ready"}, {"status", ready ? "True" : "False"}}});
}

}  // namespace

json PodWithStatus(const std::string& name, const std::string& role, bool with_verifier, int exit_code, bool ready, const std::string& message) {
  json pod = {{"apiVersion", "v1"}, {"kind", "Pod"},
              {"metadata", {{"name", name}, {"namespace", "aegis-canary"}, {"labels", {{"aegis/canary", role}}}}},
              {"spec", {{"containers", json::array({{{"name", "server"}, {"image", "tritonserver"}}})}}},
              {"status", {{"phase", "Pending"}}}};
  if (with_verifier) {
    pod["spec"]["initContainers"] = json::array({{{"name", "verify-and-fetch"}, {"image", "localhost/aegis/verify-and-fetch:0.1.0"},
                                                  {"volumeMounts", json::array({{{"name", "cosign-public-key"}, {"mountPath", "/etc/cosign"}}})}}});
    pod["spec"]["volumes"] = json::array({{{"name", "cosign-public-key"}, {"secret", {{"secretName", "cosign-public-key"}}}}});
  }
  Finish(pod, exit_code, ready, message);
  return pod;
}

KubeApiServer::KubeApiServer() {
  if (auto bad = MakeTestServerCertificate(pki_.path(), "kube-test-ca", "kube-apiserver", "canary-user");
      !bad.empty()) {
    throw std::runtime_error("kube test PKI: " + bad);
  }
  // A client certificate no CA of the server issued, with the trusted user's name.
  auto r = RunShell(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout rogue.key -out rogue.pem -days 2 -subj /CN=canary-user",
      pki_.path());
  if (r.exit_code != 0) throw std::runtime_error("kube test PKI: " + r.err);
  http_ = std::make_unique<HttpServer>([this](const HttpRequest& req, HttpConnection& c) { Handle(req, c); },
                                       TlsConfig{pki_.File("server.pem"), pki_.File("server.key"), pki_.File("ca.pem")});
}

void KubeApiServer::AddPod(json pod) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string name = pod["metadata"]["name"];
  pods_[name] = std::move(pod);
}

void KubeApiServer::AddConstraint(json constraint) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string name = constraint["metadata"]["name"];
  constraints_[name] = std::move(constraint);
}

int KubeApiServer::Count(const std::string& method, const std::string& prefix) const {
  int n = 0;
  for (const auto& r : http_->Log()) n += r.method == method && r.target.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

void KubeApiServer::Progress() {
  if (!progress || pod_lists_ < ready_after) return;
  for (const auto& name : created_) {
    auto it = pods_.find(name);
    if (it == pods_.end() || it->second["status"].contains("conditions")) continue;
    std::string role = Label(it->second);
    if (role == "positive") Finish(it->second, 0, true, "");
    if (role == "tampered") {
      Finish(it->second, tampered_passes ? 0 : 5, tampered_passes,
             tampered_passes ? "" : "s3://models/tampered/model.tar.gz: signature does not verify with any of the 1 trusted key(s)");
    }
  }
}

void KubeApiServer::Misbehave(HttpConnection& c) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);  // bounded even if the client never leaves
  switch (fault.load()) {
    case Fault::kHang:
      c.WaitForClientClose(60);
      return;
    case Fault::kTrickle:
      if (!c.Send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")) return;
      while (std::chrono::steady_clock::now() < give_up && c.Send(" ")) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      return;
    case Fault::kEndlessChunks: {
      if (!c.Send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")) return;
      const std::string chunk = "400\r\n" + std::string(1024, ' ') + "\r\n";  // 1 KiB of whitespace, forever
      while (std::chrono::steady_clock::now() < give_up && c.Send(chunk)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return;
    }
    case Fault::kNone: return;
  }
}

void KubeApiServer::Handle(const HttpRequest& req, HttpConnection& c) {
  std::string auth = req.headers.count("authorization") ? req.headers.at("authorization") : "";
  std::string user;
  if (auth == std::string("Bearer ") + kToken) user = "token-user";
  else if (auth == std::string("Bearer ") + kForbiddenToken) user = "system:serviceaccount:aegis-canary:nobody";
  else if (req.client_cn == kClientCn) user = kClientCn;
  if (user.empty()) return Send(c, 401, Status(401, "Unauthorized", "Unauthorized"));
  std::string path = req.target.substr(0, req.target.find('?'));
  std::string query = req.target.find('?') == std::string::npos ? "" : req.target.substr(req.target.find('?') + 1);
  const std::string pods = "/api/v1/namespaces/aegis-canary/pods";
  const std::string cons = "/apis/constraints.gatekeeper.sh/v1beta1/aegissignedpod";
  if (user == "system:serviceaccount:aegis-canary:nobody") {
    return Send(c, 403, Status(403, "Forbidden", "pods is forbidden: User \"" + user +
                                                     "\" cannot list resource \"pods\" in API group \"\" in the namespace \"aegis-canary\""));
  }
  if (req.method == "GET" && path == pods && fault != Fault::kNone) return Misbehave(c);
  std::lock_guard<std::mutex> lock(mu_);
  if (req.method == "GET" && path == "/api/v1/namespaces/aegis-canary") {
    json labels = json::object();
    for (const auto& [k, v] : namespace_labels) labels[k] = v;
    return Send(c, 200, {{"apiVersion", "v1"}, {"kind", "Namespace"},
                         {"metadata", {{"name", "aegis-canary"}, {"labels", labels}}}, {"status", {{"phase", "Active"}}}});
  }
  if (req.method == "GET" && path == pods) {
    ++pod_lists_;
    Progress();
    std::string selector;
    if (query.rfind("labelSelector=", 0) == 0) selector = Unescape(query.substr(14));
    json items = json::array();
    for (const auto& [name, pod] : pods_) {
      if (!Matches(pod, selector)) continue;
      // As kube-apiserver answers (seen with 1.33 in tests/cluster): the items of a built-in
      // type's list carry no kind or apiVersion; only the list does.
      json item = pod;
      item.erase("kind");
      item.erase("apiVersion");
      items.push_back(std::move(item));
    }
    return Send(c, 200, {{"kind", "PodList"}, {"apiVersion", "v1"}, {"metadata", {{"resourceVersion", "1"}}}, {"items", items}});
  }
  if (req.method == "POST" && path == pods) {
    json pod = json::parse(req.body, nullptr, false);
    if (!pod.is_object() || !pod.contains("metadata")) return Send(c, 400, Status(400, "BadRequest", "the body is not a Pod"));
    std::string name = pod["metadata"].value("name", "");
    if (pods_.count(name)) return Send(c, 409, Status(409, "AlreadyExists", "pods \"" + name + "\" already exists"));
    if (deny_violating && Label(pod) == "violating") {
      return Send(c, 403, Status(403, "Forbidden", "admission webhook \"validation.gatekeeper.sh\" denied the request: [aegis-signed-pods] "
                                                   "Pod aegis-canary/" + name + ": no initContainer whose name matches /verify/ [AEGIS001]"));
    }
    pod["status"] = {{"phase", "Pending"}};
    pods_[name] = pod;
    created_.push_back(name);
    Send(c, 201, pod);
    if (on_pod_created) on_pod_created(created_.size());  // after the answer: the hook may signal the client
    return;
  }
  if (req.method == "DELETE" && path.rfind(pods + "/", 0) == 0) {
    std::string name = path.substr(pods.size() + 1);
    if (!pods_.erase(name)) return Send(c, 404, Status(404, "NotFound", "pods \"" + name + "\" not found"));
    return Send(c, 200, {{"kind", "Pod"}, {"apiVersion", "v1"}, {"metadata", {{"name", name}}}});
  }
  if (req.method == "GET" && path.rfind(pods + "/", 0) == 0 && path.find("/proxy/") != std::string::npos) {
    std::string name = path.substr(pods.size() + 1, path.find(':', pods.size()) - pods.size() - 1);
    auto it = pods_.find(name);
    bool ready = false;
    if (it != pods_.end()) {
      for (const auto& cond : it->second["status"].value("conditions", json::array())) ready = ready || (cond["type"] == "Ready" && cond["status"] == "True");
    }
    return c.Respond(ready ? 200 : 503, "");
  }
  if (req.method == "GET" && path.rfind(cons, 0) == 0) {
    ++constraint_reads_;
    if (constraint_reads_ > audit_after) {  // the audit ran: every violating pod is reported
      for (auto& [cname, con] : constraints_) {
        json violations = json::array();
        for (const auto& [name, pod] : pods_) {
          if (Label(pod) != "violating" || pod["spec"].contains("initContainers")) continue;
          violations.push_back({{"enforcementAction", "dryrun"}, {"group", ""}, {"kind", "Pod"}, {"name", name}, {"namespace", "aegis-canary"},
                                {"version", "v1"}, {"message", "Pod aegis-canary/" + name + ": no initContainer whose name matches /verify/ [AEGIS001]"}});
        }
        con["status"]["violations"] = violations;
        con["status"]["totalViolations"] = violations.size();
        con["status"]["auditTimestamp"] = "2026-11-27T10:01:00Z";
      }
    }
    if (path == cons) {
      json items = json::array();
      for (const auto& [name, con] : constraints_) items.push_back(con);
      return Send(c, 200, {{"apiVersion", "constraints.gatekeeper.sh/v1beta1"}, {"kind", "AegisSignedPodList"}, {"items", items}});
    }
    auto it = constraints_.find(path.substr(cons.size() + 1));
    if (it == constraints_.end()) return Send(c, 404, Status(404, "NotFound", "aegissignedpod.constraints.gatekeeper.sh \"" + path.substr(cons.size() + 1) + "\" not found"));
    return Send(c, 200, it->second);
  }
  Send(c, 404, Status(404, "NotFound", "the server could not find the requested resource"));
}

}  // namespace aegis::testing
