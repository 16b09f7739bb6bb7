// https:// and http:// (http only with --allow-insecure-http, checked by Location::Parse): one
// GET, with KServe's <host>-headers for the host.
#include "verifier/sources/backends.h"
#include "verifier/sources/kserve_contract.h"

namespace aegis::verifier {
namespace {

class HttpSource : public Source {
 public:
  using Source::Source;
  Expected<FetchResult> Get(const Location& loc, const std::string& out_path, const FetchOptions& o) override {
    auto headers = HostHeaders(loc.uri(), settings_.env);
    if (!headers) return headers.error();
    FetchOptions with = o;
    with.headers.insert(with.headers.end(), headers->begin(), headers->end());
    return Fetch(loc.uri(), out_path, with);
  }
};

}  // namespace

std::unique_ptr<Source> MakeHttpSource(const SourceSettings& settings) {
  return std::make_unique<HttpSource>(settings);
}

}  // namespace aegis::verifier
