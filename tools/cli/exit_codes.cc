#include "cli/exit_codes.h"

#include "canary/canary.h"
#include "platform/net_error.h"
#include "verifier/exit_codes.h"

namespace aegis::cli {

int CanaryExitCode(const canary::CanaryResult& r) {
  if (r.interrupted) return kCanaryInterrupted;
  if (r.error) {
    const std::error_code& kind = r.error->kind;
    if (kind == NetError::kNetwork) return kCanaryUnreachable;
    if (kind == NetError::kForbidden) return kCanaryForbidden;
    if (kind == NetError::kTimeout) return kCanaryTimeout;
    if (kind == ErrorKind::kInterrupted) return kCanaryInterrupted;
    return kCanaryUsage;
  }
  bool timed_out = false;
  for (const auto& c : r.criteria) {
    if (c.verdict == canary::Verdict::kFail && !c.timed_out) return kCanaryFail;
    timed_out = timed_out || c.timed_out;
  }
  return timed_out ? kCanaryTimeout : kCanaryPass;
}

int StatusExitCode(const std::error_code& kind) {
  if (kind == NetError::kNetwork || kind == NetError::kTimeout) return kCanaryUnreachable;
  if (kind == NetError::kForbidden) return kCanaryForbidden;
  return kExitUsage;
}

int VerifierExitCode(const std::error_code& kind) { return verifier::ExitCodeFor(kind); }

}  // namespace aegis::cli
