// Azure Blob Storage: https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB, the form KServe's
// storage initializer recognises (a trailing '/' names a model directory), read with the Blob
// service REST API (Get Blob, List Blobs) at x-ms-version 2021-08-06, authorized by the
// credential azure_auth.h resolves: Shared Key signing, a SAS, or an Entra ID bearer token.
// The endpoint is the URI's host, or the BlobEndpoint of AZURE_STORAGE_CONNECTION_STRING when
// it names the same account (an emulator such as Azurite, a private endpoint), as the Azure
// SDKs' from_connection_string reads it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "platform/env.h"
#include "util/expected.h"
#include "verifier/common/fetch.h"
#include "verifier/sources/azure_auth.h"

namespace aegis::verifier {

inline constexpr const char* kAzureApiVersion = "2021-08-06";

struct AzureBlobLocation {
  std::string account, container, blob;  // blob: "" or ending in '/' for a directory
  std::string sas;                       // the URI's query when it is a SAS (never logged)
  std::string endpoint;                  // https://ACCOUNT.blob.core.windows.net or BlobEndpoint
};

// https://ACCOUNT.blob.core.windows.net/… (the host decides; the path may still be malformed).
bool IsAzureBlobUri(const std::string& uri);

// kUsage for a malformed URI: no container, an invalid account or container name, a query
// that is not a SAS, a connection string that cannot be read.
Expected<AzureBlobLocation> ResolveAzureBlob(const std::string& uri, const platform::Env& env);

// The request URL of `blob` in the location's container (no query).
std::string AzureBlobUrl(const AzureBlobLocation& loc, const std::string& blob);
// The URI of `blob` as a user writes it (the location's SAS kept): the items of a directory.
std::string AzureBlobUri(const AzureBlobLocation& loc, const std::string& blob);

// Shared Key authorization ("SharedKey ACCOUNT:SIGNATURE") of one request: the HMAC-SHA256,
// with the base64 account key, of the Blob service's string to sign — the verb, the standard
// headers in their fixed order (Content-Length empty when 0, Range), the x-ms-* headers
// sorted, and the canonicalized resource (/ACCOUNT + the URL's path, then the query
// parameters sorted, values decoded). `headers` are every header the request sends, as
// name/value pairs. kUsage when the key is not base64.
Expected<std::string> SharedKeyAuthorization(const std::string& method, const std::string& url,
                                             const std::vector<std::pair<std::string, std::string>>& headers,
                                             const std::string& account, const std::string& key_base64);

// The headers that authorize a GET of `url` with `cred` (x-ms-version, and x-ms-date with
// the Shared Key signature, or the bearer token); the Range curl sends is bytes=FROM-TO, or
// bytes=FROM- when `range_to` is 0 (none when both are 0).
Expected<std::vector<std::string>> AzureAuthHeaders(const std::string& url, const AzureBlobLocation& loc, const AzureCredential& cred,
                                                    uint64_t range_from, uint64_t range_to = 0);

// Options that authorize every request (each attempt signed afresh) and keep credentials
// from following a redirect.
Expected<FetchOptions> AzureFetchOptions(const AzureBlobLocation& loc, const AzureCredential& cred, FetchOptions options);

// Get Blob into `out_path`; errors name the URI without its query.
Expected<FetchResult> FetchAzureBlob(const std::string& uri, const std::string& out_path, const platform::Env& env,
                                     const AzureCredential& cred, FetchOptions options);

}  // namespace aegis::verifier
