// gs://: the Google credential chain (resolved once), or anonymous when it finds nothing.
#include "verifier/sources/backends.h"
#include "verifier/sources/gcs.h"
#include "verifier/sources/google_auth.h"

namespace aegis::verifier {
namespace {

class GcsSource : public Source {
 public:
  using Source::Source;
  Expected<FetchResult> Get(const Location& loc, const std::string& out_path, const FetchOptions& o) override {
    AEGIS_TRY(Resolve());
    return FetchGcs(loc.uri(), out_path, settings_.env, token_, o);
  }
  SourceSummary Summary() const override { return {"google credentials", source_}; }

 protected:
  Expected<TreeListing> List(const Location& loc, const ExtractLimits& limits) override {
    AEGIS_TRY(Resolve());
    auto objects = ListGcs(loc.uri(), settings_.env, token_, settings_.options, limits.max_entries);
    if (!objects) return objects.error();
    return TreeListing{loc.path(),
                       [base = "gs://" + loc.container() + "/"](const std::string& key) { return base + key; },
                       std::move(*objects)};
  }

 private:
  Status Resolve() {
    if (resolved_) return Ok{};
    if (settings_.anonymous) {
      source_ = "anonymous (--anonymous)";
    } else {
      auto t = ResolveGoogleCredentials(settings_.env);
      if (!t) return t.error();
      token_ = *t;
      source_ = token_ ? token_->source
                       : "anonymous: no Google credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server)";
    }
    resolved_ = true;
    return Ok{};
  }

  bool resolved_ = false;
  std::optional<GoogleToken> token_;
  std::string source_;
};

}  // namespace

std::unique_ptr<Source> MakeGcsSource(const SourceSettings& settings) { return std::make_unique<GcsSource>(settings); }

}  // namespace aegis::verifier
