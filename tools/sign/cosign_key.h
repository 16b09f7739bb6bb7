// cosign's encrypted private key format, as `cosign generate-key-pair` writes it
// (PEM type "ENCRYPTED SIGSTORE PRIVATE KEY", older cosign "ENCRYPTED COSIGN PRIVATE KEY"):
// a JSON document with a scrypt KDF (N, r, p, salt) and a NaCl secretbox
// (XSalsa20-Poly1305, 24-byte nonce) whose plaintext is the PKCS#8 DER private key.
#pragma once

#include <string>
#include <string_view>

#include "util/expected.h"

namespace aegis::sign {

// True when `pem` holds a cosign encrypted key block.
bool IsCosignKey(std::string_view pem);

// The PKCS#8 DER key inside; kUsage naming `path` when the password is missing or wrong
// (never the password itself) or the document is malformed.
Expected<std::string> DecryptCosignKey(std::string_view pem, const std::string& password, const std::string& path);

}  // namespace aegis::sign
