// Error kinds of the network domain (every outside system behind platform/http.h).
#pragma once

#include <system_error>

namespace aegis {

enum class NetError {
  kNotFound = 1,  // the object is not there (404, NoSuchKey)
  kNetwork,       // unreachable, 5xx, timeouts, truncated bodies — after retries
  kForbidden,     // the server refused our identity (401/403)
  kTimeout,       // waited as long as allowed for a state that did not come
};

const std::error_category& NetCategory();
inline std::error_code make_error_code(NetError e) { return {static_cast<int>(e), NetCategory()}; }

}  // namespace aegis

template <>
struct std::is_error_code_enum<aegis::NetError> : std::true_type {};
