// AEGIS007 (the verifier trusts what the constraint pins) and AEGIS008 (the verifier is
// locked: its command, arguments and environment): docs/POLICY.md, "Version 3".
#pragma once

#include <string>
#include <vector>

#include "manifest/pod_spec.h"
#include "policy/constraint.h"
#include "policy/rules.h"

namespace aegis {

// The env variable that carries parameters.trust to verify-and-fetch, as JSON.
inline constexpr std::string_view kTrustPolicyEnv = "AEGIS_TRUST_POLICY";

// AEGIS007 for each allowed verifier of one pod spec (parameters.trust set).
void CheckPinnedTrust(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                      const std::string& subject, std::vector<Violation>& out);

// AEGIS008 for each allowed verifier of one pod spec (lockVerifier).
void CheckLockedVerifier(const PodSpecRef& ref, const std::vector<const yaml::Node*>& verifiers, const Parameters& p,
                         const std::string& subject, std::vector<Violation>& out);

}  // namespace aegis
