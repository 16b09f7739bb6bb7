// Where an s3:// URI is fetched from and with which credentials (docs/VERIFIER.md,
// "Fetching"): endpoint overrides (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, KServe's
// S3_ENDPOINT + S3_USE_HTTPS), path-style for custom endpoints, virtual-hosted for AWS; the
// static credential sources (environment, shared credentials file + profile), and the
// signed GET itself, with the credential chain of the AWS SDKs.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "platform/env.h"
#include "util/expected.h"
#include "verifier/common/fetch.h"

namespace aegis::verifier {

// The environment (tests pass a fake).
using platform::Env;
using platform::ProcessEnv;

struct S3Location {
  std::string url;     // what to GET
  std::string region;  // for SigV4
  bool path_style = false;
};

// s3://bucket/key → URL. kUsage for a malformed URI.
Expected<S3Location> ResolveS3(const std::string& uri, const Env& env);
// The bucket's base URL (ending in '/'): the key, or a query, follows.
S3Location ResolveS3Bucket(const std::string& bucket, const Env& env);

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;  // never logged
  std::string session_token;      // never logged; sent as x-amz-security-token
  std::string source;             // "environment", "shared credentials file (profile p)"
};

// Environment first, then the shared credentials file (AWS_SHARED_CREDENTIALS_FILE or
// ~/.aws/credentials, profile AWS_PROFILE or "default"). nullopt when neither has them.
std::optional<AwsCredentials> StaticCredentials(const Env& env);

// The whole chain, in the AWS SDKs' order: environment, shared credentials file, web
// identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE → STS AssumeRoleWithWebIdentity,
// an unsigned request; STS endpoint from AWS_ENDPOINT_URL_STS or the regional one),
// container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, with
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or _TOKEN: EKS Pod Identity, ECS). nullopt when
// no source is configured; an Error when a configured source fails (never showing tokens).
Expected<std::optional<AwsCredentials>> ResolveCredentials(const Env& env);

}  // namespace aegis::verifier

namespace aegis::verifier {

// GETs an s3:// object with SigV4 (curl's signer plus the x-amz-content-sha256 and
// x-amz-security-token headers it does not add itself). Without credentials it fails with
// kUsage unless `anonymous` (KServe's awsAnonymousCredential).
// S3_VERIFY_SSL=0 (KServe) turns TLS verification off and AWS_CA_BUNDLE adds a CA bundle.
Expected<FetchResult> FetchS3(const std::string& uri, const std::string& out_path, const Env& env,
                              FetchOptions options, bool anonymous = false);

// The same with credentials resolved once by the caller (several objects, one STS call).
Expected<FetchResult> FetchS3With(const std::string& uri, const std::string& out_path, const Env& env,
                                  const std::optional<AwsCredentials>& creds, FetchOptions options, bool anonymous);

// What every request to S3 carries: SigV4 (credentials, the empty body's hash, the session
// token, no redirects) or nothing when anonymous; TLS from S3_VERIFY_SSL and AWS_CA_BUNDLE.
// kUsage without credentials unless `anonymous`.
Status SignS3Requests(const std::string& uri, const std::string& region, const Env& env, const std::optional<AwsCredentials>& creds,
                      FetchOptions& options, bool anonymous);

// KServe's S3_VERIFY_SSL=0: callers warn.
bool S3TlsVerificationDisabled(const Env& env);

}  // namespace aegis::verifier
