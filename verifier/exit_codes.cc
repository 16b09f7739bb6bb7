#include "verifier/exit_codes.h"

#include "platform/net_error.h"
#include "util/error.h"
#include "verifier/common/verify_error.h"

namespace aegis::verifier {

int ExitCodeFor(const std::error_code& kind) {
  if (kind.category() == VerifyCategory()) {
    switch (static_cast<VerifyError>(kind.value())) {
      case VerifyError::kSignature: return kExitSignature;
      case VerifyError::kArchive: return kExitArchive;
      case VerifyError::kTrust: return kExitNoTrust;
    }
  }
  if (kind.category() == NetCategory()) {
    return kind == NetError::kNotFound ? kExitNotFound : kExitNetwork;  // 403, timeouts: storage errors
  }
  if (kind == ErrorKind::kUsage) return kExitUsage;
  if (kind == ErrorKind::kLimit) return kExitArchive;  // a size or count limit of the artifact
  return kExitLocalIo;  // I/O, syntax of local files, interruption, anything unforeseen
}

}  // namespace aegis::verifier
