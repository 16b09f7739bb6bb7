#include "util/error.h"

#include <fmt/format.h>

namespace aegis {
namespace {

class GenericCategoryImpl : public std::error_category {
 public:
  const char* name() const noexcept override { return "aegis"; }
  std::string message(int value) const override {
    switch (static_cast<ErrorKind>(value)) {
      case ErrorKind::kUsage: return "usage error";
      case ErrorKind::kIo: return "I/O error";
      case ErrorKind::kSyntax: return "syntax error";
      case ErrorKind::kLimit: return "limit exceeded";
      case ErrorKind::kInterrupted: return "interrupted";
    }
    return "error";
  }
};

}  // namespace

const std::error_category& GenericCategory() {
  static const GenericCategoryImpl category;
  return category;
}

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
