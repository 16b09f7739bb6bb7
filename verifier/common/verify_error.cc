#include "verifier/common/verify_error.h"

#include <string>

namespace aegis {
namespace {

class VerifyCategoryImpl : public std::error_category {
 public:
  const char* name() const noexcept override { return "verify"; }
  std::string message(int value) const override {
    switch (static_cast<VerifyError>(value)) {
      case VerifyError::kArchive: return "archive rejected";
      case VerifyError::kSignature: return "signature invalid";
      case VerifyError::kTrust: return "no trust material";
    }
    return "verification error";
  }
};

}  // namespace

const std::error_category& VerifyCategory() {
  static const VerifyCategoryImpl category;
  return category;
}

}  // namespace aegis
