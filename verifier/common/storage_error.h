// What a storage service says when it refuses a request: the error code in its body (S3's
// `<Code>…</Code>`, GCS's and Azure's JSON/XML forms) and the hint that follows from it. Only
// the code is taken from the body: S3 echoes the string to sign and the access key ID in a
// SignatureDoesNotMatch body, and none of that may reach a log.
#pragma once

#include <string>
#include <string_view>

namespace aegis::verifier {

// The provider's error code in an error response body ("" when there is none), at most 64
// letters, digits and dots.
std::string StorageErrorCode(std::string_view body);

// What to do about a code ("" for a code without advice).
std::string_view StorageErrorHint(std::string_view code);

// "HTTP 403 SignatureDoesNotMatch: <hint>", or "HTTP 403" without a code.
// `header_code` is the server's error-code header (X-Error-Code, x-ms-error-code), preferred
// to the body's when it is a plain token.
std::string DescribeStorageError(long status, std::string_view body, std::string_view header_code = {});

}  // namespace aegis::verifier
