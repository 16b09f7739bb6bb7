// Model directories in object stores: every object under a prefix, as KServe's storage
// initializer lists them before downloading (S3 ListObjectsV2, Cloud Storage objects.list),
// page by page, with the same credentials, TLS settings and retries as the downloads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/env.h"
#include "platform/http.h"
#include "util/expected.h"
#include "verifier/common/fetch.h"
#include "verifier/sources/azure_blob.h"
#include "verifier/sources/google_auth.h"
#include "verifier/sources/s3.h"

namespace aegis::verifier {

struct ListedObject {
  std::string key;  // the whole object name
  uint64_t size = 0;
};

// Errors: kNotFound for a missing bucket, kForbidden when listing is refused, kNetwork
// otherwise; they name `uri` (the s3:// or gs:// prefix). At most `max_objects` are listed
// (kLimit beyond).
Expected<std::vector<ListedObject>> ListS3(const std::string& uri, const platform::Env& env, const std::optional<AwsCredentials>& creds,
                                           FetchOptions options, bool anonymous, uint64_t max_objects);
Expected<std::vector<ListedObject>> ListGcs(const std::string& uri, const platform::Env& env, const std::optional<GoogleToken>& token,
                                            const FetchOptions& options, uint64_t max_objects);

// List Blobs under the location's blob name (a prefix), with its credential.
Expected<std::vector<ListedObject>> ListAzureBlobs(const std::string& uri, const AzureBlobLocation& loc, const AzureCredential& cred,
                                                   const FetchOptions& options, uint64_t max_objects);

// One answer of a storage or hub API (a page of a listing), kept in memory (≤ 16 MiB) and
// retried like a download (connection failures, 5xx and 429, with backoff). Errors begin with
// `what` and name `uri`: kNotFound (404), NetError::kForbidden (401, 403), kNetwork.
Expected<platform::HttpText> GetApiPage(const std::string& what, const std::string& uri, const std::string& url, const FetchOptions& options);

// "s3://bucket/prefix/" → {"bucket", "prefix/"}; nullopt for another scheme or no bucket.
std::optional<std::pair<std::string, std::string>> SplitBucketUri(const std::string& uri);

}  // namespace aegis::verifier
