// An environment made of given variables, for code that reads platform::Env.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "platform/env.h"

namespace aegis::testing {

inline platform::Env EnvOf(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

}  // namespace aegis::testing
