#include "verifier/common/storage_error.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace aegis::verifier {

namespace {

// The token at `at`: 1–64 letters, digits and dots, ending where `end` is found.
std::string TokenBefore(std::string_view body, size_t at, char end) {
  size_t stop = body.find(end, at);
  if (stop == std::string_view::npos || stop == at || stop - at > 64) return {};
  std::string_view token = body.substr(at, stop - at);
  for (char c : token) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') return {};
  }
  return std::string(token);
}

}  // namespace

std::string StorageErrorCode(std::string_view body) {
  // S3, Azure Blob and the GCS XML API: <Code>X</Code>.
  if (size_t at = body.find("<Code>"); at != std::string_view::npos) {
    std::string code = TokenBefore(body, at + 6, '<');
    if (!code.empty() && body.substr(at + 6 + code.size()).starts_with("</Code>")) return code;
  }
  // The GCS JSON API: "reason": "X".
  if (size_t at = body.find("\"reason\""); at != std::string_view::npos) {
    at += 8;
    while (at < body.size() && (body[at] == ' ' || body[at] == ':' || body[at] == '\t')) ++at;
    if (at < body.size() && body[at] == '"') return TokenBefore(body, at + 1, '"');
  }
  return {};
}

std::string_view StorageErrorHint(std::string_view code) {
  struct Row {
    std::string_view code;
    std::string_view hint;
  };
  static constexpr Row kHints[] = {
      {"SignatureDoesNotMatch",
       "the secret key does not belong to the access key ID, or the request went to another endpoint or region "
       "than the credentials are for (AWS_SECRET_ACCESS_KEY, AWS_REGION, the S3 endpoint)"},
      {"InvalidAccessKeyId", "this endpoint does not know the access key ID (AWS_ACCESS_KEY_ID, or credentials "
                             "meant for another endpoint)"},
      {"AccessDenied", "the identity may not read this object: grant it s3:GetObject (without s3:ListBucket, S3 "
                       "also answers 403 for a key that does not exist)"},
      {"ExpiredToken", "the session token has expired: renew the web identity or STS credentials"},
      {"TokenRefreshRequired", "the session token has expired: renew the web identity or STS credentials"},
      {"InvalidToken", "the session token is malformed or for another account (AWS_SESSION_TOKEN)"},
      {"RequestTimeTooSkewed", "this machine's clock differs from the server's by more than 15 minutes: fix the "
                               "node's time (NTP)"},
      {"AllAccessDisabled", "all access to this bucket or object has been disabled by its owner"},
      {"NoSuchBucket", "the bucket does not exist at this endpoint: check the bucket name and the S3 endpoint"},
      {"PermanentRedirect", "the bucket is in another region: set AWS_REGION (or the endpoint) to the bucket's"},
      {"AuthorizationHeaderMalformed", "the region in the signature is not the bucket's: set AWS_REGION"},
      // Hugging Face Hub (X-Error-Code).
      {"RepoNotFound", "no such repository, or a private one: set HF_TOKEN to a token that can read it"},
      {"GatedRepo", "a gated repository: accept its conditions on the Hub and set HF_TOKEN to that account's token"},
      {"RevisionNotFound", "no such branch, tag or commit in the repository"},
      // Azure Blob (x-ms-error-code).
      {"AuthorizationFailure", "the key, SAS or token is not accepted for this account (AZURE_STORAGE_* or the Entra ID identity)"},
      {"AuthenticationFailed", "the key, SAS or token is not accepted for this account (AZURE_STORAGE_* or the Entra ID identity)"},
      {"AuthorizationPermissionMismatch", "the identity lacks a data role on the container (Storage Blob Data Reader)"},
  };
  for (const Row& r : kHints) {
    if (r.code == code) return r.hint;
  }
  return {};
}

std::string DescribeStorageError(long status, std::string_view body, std::string_view header_code) {
  std::string code;
  if (!header_code.empty() && header_code.size() <= 64 &&
      std::all_of(header_code.begin(), header_code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; })) {
    code = std::string(header_code);
  }
  if (code.empty()) code = StorageErrorCode(body);
  if (code.empty()) return fmt::format("HTTP {}", status);
  std::string_view hint = StorageErrorHint(code);
  return hint.empty() ? fmt::format("HTTP {} {}", status, code) : fmt::format("HTTP {} {}: {}", status, code, hint);
}

}  // namespace aegis::verifier
