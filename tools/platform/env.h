// The environment behind a function, so tests pass their own and nothing reads globals.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace aegis::platform {

// A variable's value; nullopt when it is unset or empty.
using Env = std::function<std::optional<std::string>(const std::string&)>;

// The process environment.
Env ProcessEnv();

}  // namespace aegis::platform
