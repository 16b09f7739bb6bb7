#include "platform/env.h"

#include <cstdlib>

namespace aegis::platform {

Env ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

}  // namespace aegis::platform
