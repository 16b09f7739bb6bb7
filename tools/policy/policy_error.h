// Error kinds of the policy domain.
#pragma once

#include <system_error>

namespace aegis {

enum class PolicyError {
  kInvalid = 1,  // a constraint, template or parameter is not usable
};

const std::error_category& PolicyCategory();
inline std::error_code make_error_code(PolicyError e) { return {static_cast<int>(e), PolicyCategory()}; }

}  // namespace aegis

template <>
struct std::is_error_code_enum<aegis::PolicyError> : std::true_type {};
