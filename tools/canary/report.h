// `aegis canary` reports: text (PASS/FAIL per criterion with its evidence), json, junit.
#pragma once

#include <string>

#include "canary/canary.h"

namespace aegis::canary {

std::string TextReport(const CanaryResult& r, const CanaryOptions& o);
std::string JsonReport(const CanaryResult& r, const CanaryOptions& o, int exit_code);
std::string JunitReport(const CanaryResult& r, const CanaryOptions& o);

}  // namespace aegis::canary
