// hf://OWNER/MODEL[@REVISION][/PATH]: the Hub's API with the token huggingface_hub would use
// (resolved once); a repository at a branch or tag only with --allow-unpinned-revision.
#include <fmt/format.h>

#include "verifier/sources/backends.h"
#include "verifier/sources/hf_hub.h"

namespace aegis::verifier {
namespace {

class HfSource : public Source {
 public:
  using Source::Source;
  Expected<FetchResult> Get(const Location& loc, const std::string& out_path, const FetchOptions& o) override {
    auto hf = ResolveHf(loc.uri(), settings_.env);
    if (!hf) return hf.error();
    AEGIS_TRY(EndpointAllowed(hf->endpoint, loc, "HF_ENDPOINT"));
    AEGIS_TRY(ResolveToken());
    return FetchHfFile(loc.uri(), out_path, settings_.env, token_, o);
  }
  SourceSummary Summary() const override { return {"hugging face", summary_}; }

 protected:
  Expected<TreeListing> List(const Location& loc, const ExtractLimits& limits) override {
    auto hf = ResolveHf(loc.uri(), settings_.env);
    if (!hf) return hf.error();
    if (!hf->pinned && !settings_.allow_unpinned) {
      return Error{
          ErrorKind::kUsage,
          loc.uri(),
          {},
          fmt::format("revision {:?} is not a commit (40 hex digits): a branch or tag can move between pod starts; pin "
                      "the commit, or pass --allow-unpinned-revision",
                      hf->revision.empty() ? "main" : hf->revision)};
    }
    AEGIS_TRY(EndpointAllowed(hf->endpoint, loc, "HF_ENDPOINT"));
    AEGIS_TRY(ResolveToken());
    std::string commit = hf->revision;
    if (!hf->pinned) {
      auto c = HfCommit(*hf, token_, settings_.options);
      if (!c) return c.error();
      commit = *c;
      summary_ +=
          fmt::format("; revision {} resolved to {} (unpinned)", hf->revision.empty() ? "main" : hf->revision, commit);
    }
    auto objects = ListHf(*hf, commit, token_, settings_.options, limits.max_entries);
    if (!objects) return objects.error();
    return TreeListing{"", [repo = hf->repo, commit](const std::string& key) { return HfFileUri(repo, commit, key); },
                       std::move(*objects)};
  }

 private:
  Status ResolveToken() {
    if (resolved_) return Ok{};
    if (!settings_.anonymous) {
      auto t = ResolveHfToken(settings_.env);
      if (!t) return t.error();
      token_ = *t;
    }
    summary_ = token_ ? "token " + token_->source : std::string("anonymous (no HF_TOKEN or token file)");
    resolved_ = true;
    return Ok{};
  }

  bool resolved_ = false;
  std::optional<HfToken> token_;
  std::string summary_;
};

}  // namespace

std::unique_ptr<Source> MakeHfSource(const SourceSettings& settings) { return std::make_unique<HfSource>(settings); }

}  // namespace aegis::verifier
