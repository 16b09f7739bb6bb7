// oci://REGISTRY/REPOSITORY[:TAG|@DIGEST]: a whole artifact (ORAS) or modelcar image, never one
// file; the registry's credential from docker/podman configuration (oci_registry.h).
#include "verifier/sources/backends.h"
#include "verifier/sources/oci_tree.h"

namespace aegis::verifier {
namespace {

class OciSource : public Source {
 public:
  using Source::Source;
  Expected<FetchResult> Get(const Location& loc, const std::string&, const FetchOptions&) override {
    return Error{ErrorKind::kUsage, loc.uri(), {}, "an oci:// reference is a model directory, not one file"};
  }
  Expected<TreeResult> GetTree(const Location& loc, const std::string& dir, const ExtractLimits& limits,
                               int parallel) override {
    auto made = MakeRegistryClient(settings_, loc);
    if (!made) return made.error();
    RegistryClient& client = *made;
    auto manifest = client.GetManifest();
    summary_ = client.AuthSummary();
    if (!manifest) return manifest.error();
    summary_ += "; manifest " + manifest->digest;
    return FetchOciTree(client, *manifest, dir, dir + ".oci", limits, parallel);
  }
  SourceSummary Summary() const override { return {"oci registry", summary_}; }

 private:
  std::string summary_;
};

}  // namespace

std::unique_ptr<Source> MakeOciSource(const SourceSettings& settings) { return std::make_unique<OciSource>(settings); }

Expected<RegistryClient> MakeRegistryClient(const SourceSettings& settings, const Location& loc) {
  auto ref = ParseOciReference(loc.uri());
  if (!ref) return ref.error();
  std::optional<RegistryCredential> credential;
  if (!settings.anonymous) {
    auto c = ResolveRegistryCredential(settings.env, ref->registry);
    if (!c) return c.error();
    credential = *c;
  }
  FetchOptions one_stream = settings.options;
  one_stream.parts = 1;  // blobs are fetched `parallel` at a time, each in one request
  return RegistryClient(*ref, credential, one_stream);
}

}  // namespace aegis::verifier
