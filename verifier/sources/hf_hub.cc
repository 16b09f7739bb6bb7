#include "verifier/sources/hf_hub.h"

#include <cctype>

#include <fmt/format.h>

#include "platform/net_error.h"
#include "util/file_io.h"
#include "util/json_access.h"
#include "util/strings.h"

namespace aegis::verifier {
namespace {

constexpr std::string_view kScheme = "hf://";

// Hub names: letters, digits, '-', '_', '.', starting with a letter or digit, at most 96.
bool ValidName(std::string_view n) {
  if (n.empty() || n.size() > 96 || !std::isalnum(static_cast<unsigned char>(n.front()))) return false;
  if (n.find("..") != std::string_view::npos) return false;
  for (char c : n) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

bool IsCommit(std::string_view r) {
  return r.size() == 40 && r.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// A path of the repository in a URL: each segment encoded, the slashes kept.
std::string EncodePath(std::string_view path) {
  std::string out;
  for (size_t at = 0;;) {
    size_t slash = path.find('/', at);
    out += PercentEncode(path.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at));
    if (slash == std::string_view::npos) return out;
    out += '/';
    at = slash + 1;
  }
}

// The next page's URL from a Link header: <URL>; rel="next".
std::string NextLink(std::string_view link) {
  for (size_t at = 0; at < link.size();) {
    size_t open = link.find('<', at), close = link.find('>', open == std::string_view::npos ? at : open);
    if (open == std::string_view::npos || close == std::string_view::npos) return {};
    size_t end = link.find(',', close);
    std::string_view params = link.substr(close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos || params.find("rel=next") != std::string_view::npos) {
      return std::string(link.substr(open + 1, close - open - 1));
    }
    if (end == std::string_view::npos) return {};
    at = end + 1;
  }
  return {};
}

}  // namespace

bool IsHfUri(const std::string& uri) { return uri.rfind(kScheme, 0) == 0; }

Expected<HfLocation> ResolveHf(const std::string& uri, const platform::Env& env) {
  auto usage = [&](const std::string& what) { return Error{ErrorKind::kUsage, uri, {}, what}; };
  if (!IsHfUri(uri)) return usage("not an hf:// URI");
  std::string rest = uri.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string::npos) return usage("an hf:// URI takes no query or fragment");
  size_t slash = rest.find('/');
  if (slash == std::string::npos) return usage("expected hf://OWNER/MODEL[:REVISION] (KServe's form; @REVISION also)");
  HfLocation loc;
  std::string owner = rest.substr(0, slash), model = rest.substr(slash + 1);
  if (size_t more = model.find('/'); more != std::string::npos) {
    loc.path = model.substr(more + 1);
    model.resize(more);
  }
  size_t rev = model.find_first_of(":@");
  if (rev != std::string::npos) {
    loc.revision = model.substr(rev + 1);
    model.resize(rev);
    if (loc.revision.empty()) return usage("an empty revision");
    for (char c : loc.revision) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return usage("a revision with a space or control character");
    }
  }
  if (!ValidName(owner) || !ValidName(model)) {
    return usage(fmt::format("{:?} is not a Hugging Face repository (OWNER/MODEL: letters, digits, '-', '_', '.')", owner + "/" + model));
  }
  loc.repo = owner + "/" + model;
  loc.pinned = IsCommit(loc.revision);
  loc.endpoint = env("HF_ENDPOINT").value_or("https://huggingface.co");
  while (!loc.endpoint.empty() && loc.endpoint.back() == '/') loc.endpoint.pop_back();
  return loc;
}

std::string HfFileUri(const std::string& repo, const std::string& commit, const std::string& path) {
  return fmt::format("hf://{}@{}/{}", repo, commit, path);
}

Expected<std::optional<HfToken>> ResolveHfToken(const platform::Env& env) {
  for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
    if (auto t = env(name); t && !Trim(*t).empty()) return std::optional<HfToken>(HfToken{Trim(*t), name});
  }
  std::string path;
  bool explicit_path = false;
  if (auto p = env("HF_TOKEN_PATH")) {
    path = *p;
    explicit_path = true;
  } else if (auto home = env("HF_HOME")) {
    path = *home + "/token";
  } else if (auto h = env("HOME")) {
    path = *h + "/.cache/huggingface/token";
  }
  if (path.empty()) return std::optional<HfToken>();
  auto text = ReadInput(path, 64 << 10);
  if (!text) {
    if (!explicit_path && text.error().kind == ErrorKind::kIo) return std::optional<HfToken>();  // no token file: anonymous
    return Error{ErrorKind::kUsage, path, {}, "the Hugging Face token file cannot be read: " + text.error().message};
  }
  std::string token = Trim(*text);
  if (token.empty()) return std::optional<HfToken>();
  return std::optional<HfToken>(HfToken{token, path});
}

FetchOptions HfOptions(const std::optional<HfToken>& token, FetchOptions options) {
  if (token) options.headers.push_back("Authorization: Bearer " + token->token);
  return options;
}

Expected<std::string> HfCommit(const HfLocation& loc, const std::optional<HfToken>& token, const FetchOptions& options) {
  const std::string shown = "hf://" + loc.repo + (loc.revision.empty() ? "" : "@" + loc.revision);
  std::string url = fmt::format("{}/api/models/{}/revision/{}", loc.endpoint, loc.repo, PercentEncode(loc.revision.empty() ? "main" : loc.revision));
  auto page = GetApiPage("revision", shown, url, HfOptions(token, options));
  if (!page) return page.error();
  auto j = ParseJsonBounded(page->body, 64);
  std::string sha = j ? JsonStringOr(*j, {"sha"}) : std::string();
  if (sha.size() != 40 || sha.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Error{NetError::kNetwork, shown, {}, "revision: the answer names no commit (sha)"};
  }
  return sha;
}

Expected<std::vector<ListedObject>> ListHf(const HfLocation& loc, const std::string& commit, const std::optional<HfToken>& token,
                                           const FetchOptions& options, uint64_t max_objects) {
  const std::string shown = "hf://" + loc.repo + "@" + commit;
  FetchOptions o = HfOptions(token, options);
  std::vector<ListedObject> out;
  std::string url = fmt::format("{}/api/models/{}/tree/{}?recursive=true", loc.endpoint, loc.repo, commit);
  for (int pages = 0; !url.empty(); ++pages) {
    if (pages > 10000) return Error{NetError::kNetwork, shown, {}, "listing: more than 10000 pages"};
    auto page = GetApiPage("listing", shown, url, o);
    if (!page) return page.error();
    auto j = ParseJsonBounded(page->body, 64, 16u << 20);
    if (!j || !j->is_array()) return Error{NetError::kNetwork, shown, {}, "listing: the answer is not a JSON array"};
    for (const auto& entry : *j) {
      std::string type = JsonStringOr(entry, {"type"}), path = JsonStringOr(entry, {"path"});
      if (type == "directory") continue;
      const auto* size = JsonAt(entry, {"size"});
      if (type != "file" || path.empty() || size == nullptr || !size->is_number_unsigned()) {
        return Error{NetError::kNetwork, shown, {}, "listing: an entry without type, path or size"};
      }
      out.push_back({path, size->get<uint64_t>()});
      if (out.size() > max_objects) return Error{ErrorKind::kLimit, shown, {}, fmt::format("more than {} files in the repository", max_objects)};
    }
    // The next page must stay on the endpoint: the token goes with it.
    url = NextLink(page->link);
    if (!url.empty() && url.rfind(loc.endpoint + "/", 0) != 0) {
      return Error{NetError::kNetwork, shown, {}, "listing: the next page is on another host"};
    }
  }
  return out;
}

Expected<FetchResult> FetchHfFile(const std::string& uri, const std::string& out_path, const platform::Env& env,
                                  const std::optional<HfToken>& token, FetchOptions options) {
  auto loc = ResolveHf(uri, env);
  if (!loc) return loc.error();
  if (loc->path.empty() || !loc->pinned) {
    return Error{ErrorKind::kUsage, uri, {}, "a file of a repository is hf://OWNER/MODEL@COMMIT/PATH"};
  }
  auto r = Fetch(fmt::format("{}/{}/resolve/{}/{}", loc->endpoint, loc->repo, loc->revision, EncodePath(loc->path)), out_path,
                 HfOptions(token, std::move(options)));
  if (!r) {
    Error e = r.error();
    e.file = uri;
    return e;
  }
  return r;
}

}  // namespace aegis::verifier
