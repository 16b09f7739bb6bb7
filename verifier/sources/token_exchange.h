// One POST to an OAuth 2.0 token endpoint (Google's token_uri and STS, Microsoft Entra ID),
// the access token read from its JSON answer. Shared by the credential chains that trade a
// credential for a bearer token (google_auth.h, azure_auth.h).
#pragma once

#include <string>
#include <vector>

#include "util/expected.h"

namespace aegis::verifier {

// POSTs `body` (of `content_type`) to `url` and returns the string at `field` of the JSON
// answer. A 4xx is the endpoint refusing the credentials (NetError::kForbidden; the message
// names OAuth's error code only: descriptions may quote what was sent); no answer, a 5xx or a
// missing field is kNetwork. Errors name `url` without its query and begin with `what`.
Expected<std::string> ExchangeToken(const std::string& what, const std::string& url, const std::string& body,
                                    const std::string& content_type, const std::vector<std::string>& extra_headers,
                                    const char* field);

// application/x-www-form-urlencoded from name/value pairs.
std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace aegis::verifier
