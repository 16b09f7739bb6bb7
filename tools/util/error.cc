#include "util/error.h"

#include <fmt/format.h>

namespace aegis {

std::string Error::Location() const {
  std::string where = file;
  if (!file.empty() && mark.line > 0) {
    where += fmt::format(":{}", mark.line);
    if (mark.column > 0) where += fmt::format(":{}", mark.column);
  }
  return where;
}

std::string Error::Describe() const {
  std::string where = Location();
  return where.empty() ? message : where + ": " + message;
}

}  // namespace aegis
