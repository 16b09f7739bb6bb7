// A storage URI read once, where it enters verify-and-fetch (the artifact, --signature, a
// signature next to an artifact, a listed object): which store serves it and what it names.
// Later steps ask the Location, never the string: the scheme is decided here, and so is
// whether the URI names one object or a model directory.
//
// Adding a scheme: a Scheme value and its row in location.cc (how its URIs are recognized and
// split), a Source in sources/<scheme>_source.cc, one registration line in Sources
// (ARCHITECTURE.md, "Adding a storage scheme").
#pragma once

#include <string>
#include <string_view>

#include "util/expected.h"

namespace aegis::verifier {

enum class Scheme { kS3, kGs, kAzureBlob, kHf, kOci, kHttps, kHttp, kFile };
inline constexpr size_t kSchemeCount = 8;

class Location {
 public:
  // kUsage for "", an unsupported scheme, http:// without `allow_http`, file://host/….
  static Expected<Location> Parse(const std::string& uri, bool allow_http);

  Scheme scheme() const { return scheme_; }
  const std::string& uri() const { return uri_; }
  // Where in the store: the bucket (s3, gs), ACCOUNT/CONTAINER (Azure), OWNER/MODEL (hf),
  // REGISTRY/REPOSITORY (oci), the host (http, https); "" for a local path.
  const std::string& container() const { return container_; }
  // The object's key, blob name, file in the repository, URL path or local path ("" for a
  // whole hf repository or oci artifact).
  const std::string& path() const { return path_; }
  // hf: the revision after '@' ("" = main); oci: the tag or digest ("" = latest).
  const std::string& revision() const { return revision_; }

  // Safe to print: no query string (signed URLs), no user:password.
  std::string Display() const;
  // A model directory: an s3, gs or Azure prefix ending in '/', an hf repository, an oci artifact.
  bool IsTree() const;
  // Whether the name can also be read as a directory (KServe reads s3://b/m as the objects
  // under m/ when there is no object m): s3 and gs with a bucket, Azure, hf, oci.
  bool HasDirectoryForm() const;
  // Whether something can sit next to it (a detached signature): not a whole hf repository or
  // oci artifact.
  bool HasSiblings() const { return scheme_ != Scheme::kHf && scheme_ != Scheme::kOci; }
  // The directory form (path ending in '/', before any query), and the name without that '/'.
  Location AsTree() const;
  Location WithoutTrailingSlash() const;
  // `suffix` appended to the path (before any query string): m.tgz → m.tgz.sig.
  Location WithSuffix(std::string_view suffix) const;
  // The last path component, without query; "model" when there is none.
  std::string BaseName() const;
  // kFile: the local path; "" for every other scheme.
  std::string LocalPath() const { return scheme_ == Scheme::kFile ? path_ : std::string(); }

 private:
  Location(Scheme scheme, std::string uri);
  size_t PathEnd() const;  // where the path ends (a query starts)
  Location Respelled(std::string uri) const { return Location(scheme_, std::move(uri)); }

  Scheme scheme_;
  std::string uri_, container_, path_, revision_;
};

}  // namespace aegis::verifier
