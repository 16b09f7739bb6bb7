#include "platform/net_error.h"

#include <string>

namespace aegis {
namespace {

class NetCategoryImpl : public std::error_category {
 public:
  const char* name() const noexcept override { return "network"; }
  std::string message(int value) const override {
    switch (static_cast<NetError>(value)) {
      case NetError::kNotFound: return "not found";
      case NetError::kNetwork: return "network or storage error";
      case NetError::kForbidden: return "access denied";
      case NetError::kTimeout: return "timed out";
    }
    return "network error";
  }
};

}  // namespace

const std::error_category& NetCategory() {
  static const NetCategoryImpl category;
  return category;
}

}  // namespace aegis
