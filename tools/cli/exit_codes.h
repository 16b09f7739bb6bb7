// aegis's exit codes, decided here and nowhere else (README, "Exit codes"; docs/VERIFIER.md
// for verify/sign/pack, which exit like verify-and-fetch).
#pragma once

#include <system_error>

// Declared, not included: the fast `aegis` includes this header and must not see canary's (or
// kube's) headers.
namespace aegis::canary {
struct CanaryResult;
}  // namespace aegis::canary

namespace aegis::cli {

// lint, render, policy: clean, findings, usage or input error.
enum ExitCode : int { kExitClean = 0, kExitFindings = 1, kExitUsage = 2 };

// canary: documented in `aegis canary --help`.
enum CanaryExit : int {
  kCanaryPass = 0,
  kCanaryFail = 1,
  kCanaryUsage = 2,
  kCanaryUnreachable = 3,
  kCanaryForbidden = 4,
  kCanaryTimeout = 5,
  kCanaryInterrupted = 130,
};
int CanaryExitCode(const canary::CanaryResult& r);

// status: 0 listed, 2 usage, 3 unreachable (or timed out), 4 forbidden (401/403).
int StatusExitCode(const std::error_code& kind);

// verify, sign, pack: verify-and-fetch's codes.
int VerifierExitCode(const std::error_code& kind);

}  // namespace aegis::cli
