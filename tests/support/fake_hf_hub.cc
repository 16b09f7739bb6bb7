#include "support/fake_hf_hub.h"

#include <openssl/sha.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "util/strings.h"

namespace aegis::testing {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::string Hex(const unsigned char* d, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", d[i]);
  return out;
}

std::string Sha256(const std::string& s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return Hex(d, sizeof d);
}

// Git's blob id, the oid the Hub lists for a file kept in git.
std::string GitOid(const std::string& s) {
  std::string blob = "blob " + std::to_string(s.size()) + std::string(1, '\0') + s;
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(blob.data()), blob.size(), d);
  return Hex(d, sizeof d);
}


std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t at = 0;
  for (;;) {
    size_t next = s.find(sep, at);
    out.push_back(s.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos) return out;
    at = next + 1;
  }
}

void Answer(HttpConnection& c, const HttpRequest& req, int status, const std::string& body, const std::vector<std::string>& headers) {
  if (req.method != "HEAD") return c.Respond(status, body, headers);
  std::string head = fmt::format("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", status, body.size());
  for (const auto& h : headers) head += h + "\r\n";
  c.Send(head + "\r\n");
}

void HubError(HttpConnection& c, const HttpRequest& req, int status, const std::string& code, const std::string& message) {
  Answer(c, req, status, json({{"error", message}}).dump(), {"Content-Type: application/json", "X-Error-Code: " + code, "X-Error-Message: " + message});
}

}  // namespace

FakeHfHub::FakeHfHub(std::map<std::string, Repo> repos, size_t page_size, size_t lfs_threshold)
    : repos_(std::move(repos)), page_size_(page_size), lfs_threshold_(lfs_threshold) {
  storage_ = std::make_unique<HttpServer>([this](const HttpRequest& r, HttpConnection& c) { Storage(r, c); });
  hub_ = std::make_unique<HttpServer>([this](const HttpRequest& r, HttpConnection& c) { Hub(r, c); });
}

std::string FakeHfHub::endpoint() const {
  std::string u = hub_->Url("");
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

std::vector<FakeHfHub::Seen> FakeHfHub::Log() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

void FakeHfHub::ClearLog() {
  std::lock_guard<std::mutex> lock(mu_);
  log_.clear();
}

void FakeHfHub::OverrideTree(std::string body, std::string link) {
  std::lock_guard<std::mutex> lock(mu_);
  override_body_ = std::move(body);
  override_link_ = std::move(link);
}

void FakeHfHub::Record(const std::string& host, const HttpRequest& req) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = req.headers.find("authorization");
  log_.push_back({host, req.method, req.target, it == req.headers.end() ? "" : it->second});
}

void FakeHfHub::Storage(const HttpRequest& req, HttpConnection& c) {
  Record("storage", req);
  // /repos/SHA256?X-Amz-…: a presigned object, found by its content digest.
  std::string path = req.target.substr(0, req.target.find('?'));
  std::string wanted = path.substr(path.rfind('/') + 1);
  for (const auto& [name, repo] : repos_) {
    for (const auto& e : fs::recursive_directory_iterator(repo.dir)) {
      if (!e.is_regular_file()) continue;
      std::string content = ReadFile(e.path().string());
      if (Sha256(content) == wanted) return Answer(c, req, 200, content, {"Content-Type: application/octet-stream"});
    }
  }
  Answer(c, req, 404, "<Error><Code>NoSuchKey</Code></Error>", {});
}

void FakeHfHub::Hub(const HttpRequest& req, HttpConnection& c) {
  Record("hub", req);
  std::string path = req.target.substr(0, req.target.find('?'));
  std::string query = req.target.find('?') == std::string::npos ? "" : req.target.substr(req.target.find('?') + 1);
  std::vector<std::string> parts = Split(path.substr(1), '/');
  bool api = parts.size() >= 6 && parts[0] == "api" && parts[1] == "models";
  bool resolve = !api && parts.size() >= 5 && parts[2] == "resolve";
  if (!api && !resolve) return HubError(c, req, 404, "EntryNotFound", "Not Found");
  std::string repo_id = api ? parts[2] + "/" + parts[3] : parts[0] + "/" + parts[1];
  std::string auth = req.headers.count("authorization") != 0 ? req.headers.at("authorization") : "";
  auto it = repos_.find(repo_id);
  if (it == repos_.end()) {
    return HubError(c, req, auth.empty() ? 401 : 404, "RepoNotFound", "Repository Not Found for url: " + req.target + ".");
  }
  const Repo& repo = it->second;
  if (repo.gated && auth != std::string("Bearer ") + kToken) {
    return HubError(c, req, auth.empty() ? 401 : 403, "GatedRepo",
                    "Access to model " + repo_id + " is restricted. You must have access to it and be authenticated to access it.");
  }
  std::string rev = PercentDecode(api ? parts[5] : parts[3]);
  if (rev != "main" && rev != repo.commit) return HubError(c, req, 404, "RevisionNotFound", "Invalid rev id: " + rev);

  std::vector<std::string> files, dirs;
  for (const auto& e : fs::recursive_directory_iterator(repo.dir)) {
    std::string rel = fs::relative(e.path(), repo.dir).generic_string();
    (e.is_directory() ? dirs : files).push_back(rel);
  }
  std::sort(files.begin(), files.end());
  if (api && parts[4] == "revision") {
    json siblings = json::array();
    for (const auto& f : files) siblings.push_back({{"rfilename", f}});
    return Answer(c, req, 200, json({{"id", repo_id}, {"sha", repo.commit}, {"siblings", siblings}}).dump(), {"Content-Type: application/json"});
  }
  if (api && parts[4] == "tree") {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!override_body_.empty()) {
        std::string body = std::exchange(override_body_, "");
        std::string link = std::exchange(override_link_, "");
        return Answer(c, req, 200, body, link.empty() ? std::vector<std::string>{} : std::vector<std::string>{"Link: " + link});
      }
    }
    json entries = json::array();
    for (const auto& d : dirs) entries.push_back({{"type", "directory"}, {"oid", GitOid(d)}, {"size", 0}, {"path", d}});
    for (const auto& f : files) {
      std::string content = ReadFile(repo.dir + "/" + f);
      json e = {{"type", "file"}, {"oid", GitOid(content)}, {"size", content.size()}, {"path", f}};
      if (content.size() >= lfs_threshold_) e["lfs"] = {{"oid", Sha256(content)}, {"size", content.size()}, {"pointerSize", 134}};
      entries.push_back(e);
    }
    size_t from = 0;
    if (size_t at = query.find("cursor="); at != std::string::npos) from = std::stoul(query.substr(at + 7));
    json page = json::array();
    for (size_t i = from; i < entries.size() && i < from + page_size_; ++i) page.push_back(entries[i]);
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (from + page_size_ < entries.size()) {
      headers.push_back(fmt::format("Link: <{}{}?recursive=true&cursor={}>; rel=\"next\"", endpoint(), path, from + page_size_));
    }
    return Answer(c, req, 200, page.dump(), headers);
  }
  // resolve: the file at the revision.
  std::string file;
  for (size_t i = 4; i < parts.size(); ++i) file += (file.empty() ? "" : "/") + PercentDecode(parts[i]);
  if (std::find(files.begin(), files.end(), file) == files.end()) {
    return HubError(c, req, 404, "EntryNotFound", file + " does not exist on \"" + rev + "\"");
  }
  std::string content = ReadFile(repo.dir + "/" + file);
  std::vector<std::string> headers = {"X-Repo-Commit: " + repo.commit};
  if (content.size() >= lfs_threshold_) {
    std::string sha = Sha256(content);
    headers.push_back("Location: " + storage_->Url("/repos/" + sha + "?X-Amz-Signature=presigned"));
    headers.push_back("X-Linked-Size: " + std::to_string(content.size()));
    headers.push_back("X-Linked-Etag: \"" + sha + "\"");
    headers.push_back("ETag: \"" + GitOid(content) + "\"");
    return Answer(c, req, 302, "", headers);
  }
  headers.push_back("ETag: \"" + GitOid(content) + "\"");
  headers.push_back("Content-Type: application/octet-stream");
  Answer(c, req, 200, content, headers);
}

}  // namespace aegis::testing
