#include "policy/policy_error.h"

#include <string>

namespace aegis {
namespace {

class PolicyCategoryImpl : public std::error_category {
 public:
  const char* name() const noexcept override { return "policy"; }
  std::string message(int) const override { return "invalid policy"; }
};

}  // namespace

const std::error_category& PolicyCategory() {
  static const PolicyCategoryImpl category;
  return category;
}

}  // namespace aegis
