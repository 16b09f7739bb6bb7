// s3://: SigV4 with the AWS credential chain (resolved once), or anonymous.
#include "verifier/sources/backends.h"
#include "verifier/sources/s3.h"

namespace aegis::verifier {
namespace {

class S3Source : public Source {
 public:
  using Source::Source;
  Expected<FetchResult> Get(const Location& loc, const std::string& out_path, const FetchOptions& o) override {
    AEGIS_TRY(Resolve());
    return FetchS3With(loc.uri(), out_path, settings_.env, Credentials(), o, settings_.anonymous);
  }
  SourceSummary Summary() const override { return {"aws credentials", source_}; }

 protected:
  Expected<TreeListing> List(const Location& loc, const ExtractLimits& limits) override {
    AEGIS_TRY(Resolve());
    auto objects =
        ListS3(loc.uri(), settings_.env, Credentials(), settings_.options, settings_.anonymous, limits.max_entries);
    if (!objects) return objects.error();
    return TreeListing{loc.path(),
                       [base = "s3://" + loc.container() + "/"](const std::string& key) { return base + key; },
                       std::move(*objects)};
  }

 private:
  Status Resolve() {
    if (resolved_ || settings_.anonymous) return Ok{};
    auto c = ResolveCredentials(settings_.env);
    if (!c) return c.error();
    credentials_ = *c;
    if (credentials_) source_ = credentials_->source;
    resolved_ = true;
    return Ok{};
  }
  std::optional<AwsCredentials> Credentials() const { return settings_.anonymous ? std::nullopt : credentials_; }

  bool resolved_ = false;
  std::optional<AwsCredentials> credentials_;
  std::string source_;
};

}  // namespace

std::unique_ptr<Source> MakeS3Source(const SourceSettings& settings) { return std::make_unique<S3Source>(settings); }

}  // namespace aegis::verifier
