// An in-test Hugging Face Hub: no Hub server can run here, so this one answers the endpoints
// huggingface_hub's snapshot_download and verify-and-fetch use, with the shapes the Hub
// serves (huggingface_hub's HfApi.repo_info / list_repo_tree / hf_hub_download and its
// error handling, "hf_raise_for_status"):
//   GET  /api/models/OWNER/MODEL/revision/REV       {"id", "sha", "siblings": [{"rfilename"}]}
//   GET  /api/models/OWNER/MODEL/tree/REV?recursive=true[&cursor=C]
//        [{"type":"file","oid","size","path"[,"lfs":{"oid","size","pointerSize"}]},
//         {"type":"directory",…}], `page_size` entries a page, the next page in
//        Link: <…&cursor=C>; rel="next"
//   HEAD/GET /OWNER/MODEL/resolve/REV/PATH       small files: 200 with ETag and X-Repo-Commit;
//        LFS files (≥ `lfs_threshold` bytes): 302 to the storage host (a second server, another
//        port: another origin), with X-Linked-Size, X-Linked-Etag and X-Repo-Commit
//   errors: 401 X-Error-Code: RepoNotFound (anonymous) / 404 (with a token) for a missing
//        repository, 404 RevisionNotFound, 401 GatedRepo without a token and 403 GatedRepo with
//        a token that has no access.
// A repository is a local directory; its commit is given; "main" names it. Every request is
// recorded with whether it carried an Authorization header.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/http_server.h"

namespace aegis::testing {

class FakeHfHub {
 public:
  struct Repo {
    std::string dir;     // its files
    std::string commit;  // 40 hex digits
    bool gated = false;  // needs the token `FakeHfHub::kToken`
  };
  struct Seen {
    std::string host;  // "hub" or "storage"
    std::string method, target;
    std::string authorization;  // as received ("" when none)
  };
  static constexpr const char* kToken = "hf_aegisTestToken0123456789";

  explicit FakeHfHub(std::map<std::string, Repo> repos, size_t page_size = 1000, size_t lfs_threshold = 4096);
  std::string endpoint() const;  // http://127.0.0.1:PORT (HF_ENDPOINT)
  std::vector<Seen> Log() const;
  void ClearLog();
  // Serve this answer to the next tree page instead (hostile listings).
  void OverrideTree(std::string body, std::string link = "");

 private:
  void Hub(const HttpRequest& req, HttpConnection& c);
  void Storage(const HttpRequest& req, HttpConnection& c);
  void Record(const std::string& host, const HttpRequest& req);

  std::map<std::string, Repo> repos_;
  size_t page_size_, lfs_threshold_;
  mutable std::mutex mu_;
  std::vector<Seen> log_;
  std::string override_body_, override_link_;
  std::unique_ptr<HttpServer> storage_, hub_;
};

}  // namespace aegis::testing
