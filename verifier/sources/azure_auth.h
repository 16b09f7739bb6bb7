// Credentials for Azure Blob Storage, found in this order (the first configured wins):
//   1. a SAS in the URI's query (…?sv=…&sig=…): the URI carries its own authorization;
//   2. AZURE_STORAGE_CONNECTION_STRING for the URI's account (the Azure SDKs' and az CLI's
//      variable): its AccountKey (Shared Key) or SharedAccessSignature; UseDevelopmentStorage=true
//      is Azurite's well-known account;
//   3. AZURE_STORAGE_SAS_TOKEN (az CLI);
//   4. AZURE_STORAGE_ACCESS_KEY (KServe's storage initializer) or AZURE_STORAGE_KEY (az CLI):
//      the account key, Shared Key signing;
//   5. Microsoft Entra ID, as DefaultAzureCredential tries it:
//      a. a service principal: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (KServe's
//         AZ_TENANT_ID/AZ_CLIENT_ID/AZ_CLIENT_SECRET too), the client-credentials grant;
//      b. AKS Workload Identity: AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID,
//         the projected token as a client assertion;
//      both at AZURE_AUTHORITY_HOST (default https://login.microsoftonline.com/), token endpoint
//      {authority}/{tenant}/oauth2/v2.0/token, scope https://storage.azure.com/.default;
//      c. managed identity: the instance metadata service (IMDS, 169.254.169.254, or
//         AZURE_POD_IDENTITY_AUTHORITY_HOST as azure-identity reads it), AZURE_CLIENT_ID naming
//         a user-assigned identity;
//   6. none: anonymous, for public containers, as KServe's storage initializer falls back.
// Secrets (keys, SAS signatures, client secrets, tokens) never reach an error or a log.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "platform/env.h"
#include "util/expected.h"

namespace aegis::verifier {

struct AzureCredential {
  enum class Kind { kAnonymous, kSas, kSharedKey, kBearer };
  Kind kind = Kind::kAnonymous;
  std::string secret;  // the SAS query (without '?'), the account key (base64) or the token
  std::string source;  // where it came from, to log: "account key (AZURE_STORAGE_ACCESS_KEY)"
};

// Azurite's documented development account (UseDevelopmentStorage=true).
inline constexpr const char* kAzuriteAccount = "devstoreaccount1";
inline constexpr const char* kAzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
inline constexpr const char* kAzureStorageScope = "https://storage.azure.com/.default";

// AZURE_STORAGE_CONNECTION_STRING's fields (Name=value;…), with UseDevelopmentStorage=true
// expanded to Azurite's account, key and endpoint; empty when unset. kUsage when malformed.
Expected<std::map<std::string, std::string>> AzureConnectionString(const platform::Env& env);

// `uri_sas` is the URI's query when it is a SAS (else empty). Errors: kUsage for an unusable
// setting (a missing federated token file, a malformed connection string), NetError::kForbidden
// when Entra ID refuses the credentials, kNetwork when it cannot be reached.
Expected<AzureCredential> ResolveAzureCredential(const platform::Env& env, const std::string& account, const std::string& uri_sas);

}  // namespace aegis::verifier
