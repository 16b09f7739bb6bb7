// gs://bucket/object from Google Cloud Storage's JSON API (a media download,
// storage/v1/b/BUCKET/o/OBJECT?alt=media), as KServe's storage initializer reads it: the
// endpoint https://storage.googleapis.com, or STORAGE_EMULATOR_HOST (an emulator such as
// fake-gcs-server; "host:port" means http://); a bearer token from the Google credential chain
// (google_auth.h), or anonymous for public objects when there is none.
#pragma once

#include <optional>
#include <string>

#include "platform/env.h"
#include "util/expected.h"
#include "verifier/common/fetch.h"
#include "verifier/sources/google_auth.h"

namespace aegis::verifier {

struct GcsLocation {
  std::string bucket, object;
  std::string url;  // the media download
};

// kUsage for a malformed gs:// URI (no bucket, no object, an invalid bucket name).
Expected<GcsLocation> ResolveGcs(const std::string& uri, const platform::Env& env);

// The JSON API's base: STORAGE_EMULATOR_HOST or https://storage.googleapis.com.
std::string GcsEndpoint(const platform::Env& env);

// GETs the object with the token (anonymous without one). The token is never sent across a
// redirect, and errors name the gs:// URI only.
Expected<FetchResult> FetchGcs(const std::string& uri, const std::string& out_path, const platform::Env& env,
                               const std::optional<GoogleToken>& token, FetchOptions options);

}  // namespace aegis::verifier
