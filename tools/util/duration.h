// Durations as kubectl, helm, gator and cosign take them: Go's time.ParseDuration syntax
// (300ms, 1.5s, 5m, 1h30m; units ns, us, µs, ms, s, m, h), and a bare number as seconds.
#pragma once

#include <chrono>
#include <string_view>

#include "util/expected.h"

namespace aegis {

// Negative durations are refused; the message names the text and the accepted forms.
Expected<std::chrono::nanoseconds> ParseDuration(std::string_view text);

// The duration in seconds as text ("0.3" for 300ms): what an option holding seconds takes.
Expected<std::string> DurationAsSeconds(std::string_view text);

// A command-line transform: rewrites `value` to seconds and returns "", or returns the error
// (the shape CLI11's Validator takes: CLI::Validator(DurationToSeconds, "DURATION")).
std::string DurationToSeconds(std::string& value);

}  // namespace aegis
