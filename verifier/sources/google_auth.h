// Google credentials for Cloud Storage, found in the order of Google's client libraries
// (Application Default Credentials, https://google.aip.dev/auth/4110):
//   1. GOOGLE_APPLICATION_CREDENTIALS, a JSON file of type
//      service_account      a signed JWT (RS256, the file's key) exchanged at its token_uri
//                           (RFC 7523 jwt-bearer grant) for an access token;
//      authorized_user      its refresh token exchanged at token_uri (gcloud's user login);
//      external_account     workload identity federation: the subject token (credential_source
//                           file or url, text or JSON) exchanged at token_url (RFC 8693, STS),
//                           then, with service_account_impersonation_url, for the account's token;
//   2. gcloud's well-known file ($CLOUDSDK_CONFIG or ~/.config/gcloud/
//      application_default_credentials.json), any of the types above;
//   3. the metadata server (GKE Workload Identity, GCE): GCE_METADATA_HOST or 169.254.169.254,
//      unless NO_GCE_CHECK is true.
// Nothing found is not an error: KServe's storage initializer then reads anonymously (public
// buckets), and so does the caller. Tokens and keys never reach an error or a log.
#pragma once

#include <optional>
#include <string>

#include "platform/env.h"
#include "util/expected.h"

namespace aegis::verifier {

struct GoogleToken {
  std::string access_token;  // never logged
  std::string source;        // "service account a@p.iam.gserviceaccount.com (GOOGLE_APPLICATION_CREDENTIALS)"
};

inline constexpr const char* kStorageReadScope = "https://www.googleapis.com/auth/devstorage.read_only";

// nullopt when no source is configured and no metadata server answers. Errors: kUsage for a
// credentials file that cannot be read or used, NetError::kForbidden when a token endpoint
// refuses the credentials, kNetwork when it cannot be reached.
Expected<std::optional<GoogleToken>> ResolveGoogleCredentials(const platform::Env& env, const std::string& scope = kStorageReadScope);

}  // namespace aegis::verifier
