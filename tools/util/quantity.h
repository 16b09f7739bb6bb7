// Sizes and counts as Kubernetes quantities (resource.Quantity), the way a pod's
// `ephemeral-storage: 64Gi` is written: a decimal number, optionally with an exponent (1e3,
// 1.5E9) or a suffix — k M G T P E are powers of 1000, Ki Mi Gi Ti Pi Ei powers of 1024. A
// trailing B is accepted (64GiB, 10GB). Fractions are rounded up to a whole unit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace aegis {

// A whole, non-negative number of units; the message names the text and the accepted forms.
Expected<uint64_t> ParseQuantity(std::string_view text);

// A command-line transform: rewrites `value` to the integer and returns "", or returns the
// error (the shape CLI11's Validator takes: CLI::Validator(QuantityToInteger, "QUANTITY")).
std::string QuantityToInteger(std::string& value);

}  // namespace aegis
