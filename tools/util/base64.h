// Base64 (RFC 4648, standard alphabet, padded) and hex: the encodings every layer reads
// and writes (keys, signatures, kubeconfig data, digests).
#pragma once

#include <string>
#include <string_view>

#include "util/expected.h"

namespace aegis {

// Whitespace is skipped; anything else outside the alphabet, a wrong length or misplaced
// padding is an error (kSignature: base64 reaches us inside signatures and keys).
Expected<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view bytes);
// Lower-case hex.
std::string Hex(std::string_view bytes);

}  // namespace aegis
