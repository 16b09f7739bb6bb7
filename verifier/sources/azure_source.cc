// Azure Blob (https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB): a SAS in the URI, else the
// Azure credential chain, resolved once per account.
#include <map>
#include <set>

#include "verifier/sources/azure_auth.h"
#include "verifier/sources/azure_blob.h"
#include "verifier/sources/backends.h"

namespace aegis::verifier {
namespace {

class AzureSource : public Source {
 public:
  using Source::Source;
  Expected<FetchResult> Get(const Location& loc, const std::string& out_path, const FetchOptions& o) override {
    auto blob = ResolveAzureBlob(loc.uri(), settings_.env);
    if (!blob) return blob.error();
    auto cred = CredentialFor(*blob);
    if (!cred) return cred.error();
    AEGIS_TRY(EndpointAllowed(blob->endpoint, loc, "the connection string's BlobEndpoint"));
    return FetchAzureBlob(loc.uri(), out_path, settings_.env, *cred, o);
  }
  SourceSummary Summary() const override {
    std::string out;
    for (const auto& [account, cred] : accounts_) out += (out.empty() ? "" : "; ") + account + ": " + cred.source;
    for (const auto& account : uri_sas_)
      out += (out.empty() ? "" : "; ") + account + ": shared access signature (in the URI)";
    return {"azure credentials", out};
  }

 protected:
  Expected<TreeListing> List(const Location& loc, const ExtractLimits& limits) override {
    auto blob = ResolveAzureBlob(loc.uri(), settings_.env);
    if (!blob) return blob.error();
    AEGIS_TRY(EndpointAllowed(blob->endpoint, loc, "the connection string's BlobEndpoint"));
    auto cred = CredentialFor(*blob);
    if (!cred) return cred.error();
    auto objects = ListAzureBlobs(loc.uri(), *blob, *cred, settings_.options, limits.max_entries);
    if (!objects) return objects.error();
    return TreeListing{blob->blob, [b = *blob](const std::string& key) { return AzureBlobUri(b, key); },
                       std::move(*objects)};
  }

 private:
  // Resolved once per account (a SAS in the URI is its own); GetTree lists, and so resolves,
  // before its threads start: they only read the map.
  Expected<AzureCredential> CredentialFor(const AzureBlobLocation& blob) {
    if (!blob.sas.empty()) {
      if (uri_sas_.count(blob.account) == 0) uri_sas_.insert(blob.account);  // before any tree's threads: they find it
      return AzureCredential{AzureCredential::Kind::kSas, blob.sas, "shared access signature (in the URI)"};
    }
    if (auto it = accounts_.find(blob.account); it != accounts_.end()) return it->second;
    AzureCredential cred{AzureCredential::Kind::kAnonymous, {}, "anonymous (--anonymous)"};
    if (!settings_.anonymous) {
      auto c = ResolveAzureCredential(settings_.env, blob.account, "");
      if (!c) return c.error();
      cred = *c;
    }
    accounts_[blob.account] = cred;
    return cred;
  }

  std::map<std::string, AzureCredential> accounts_;
  std::set<std::string> uri_sas_;
};

}  // namespace

std::unique_ptr<Source> MakeAzureSource(const SourceSettings& settings) {
  return std::make_unique<AzureSource>(settings);
}

}  // namespace aegis::verifier
