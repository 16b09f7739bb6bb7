// Error kinds of the verification domain.
#pragma once

#include <system_error>

namespace aegis {

enum class VerifyError {
  kArchive = 1,  // archive rejected: unsafe entry, limits exceeded, corrupt
  kSignature,    // signature invalid, key mismatch, digest or pin mismatch
  kTrust,        // no trust material (no usable key, no Vault)
};

const std::error_category& VerifyCategory();
inline std::error_code make_error_code(VerifyError e) { return {static_cast<int>(e), VerifyCategory()}; }

}  // namespace aegis

template <>
struct std::is_error_code_enum<aegis::VerifyError> : std::true_type {};
