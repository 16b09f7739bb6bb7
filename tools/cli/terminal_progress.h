// A progress line on a terminal for `aegis verify`, `pack` and `sign` (nothing when stderr is
// not a terminal: CI logs and pipes stay clean). AEGIS_PROGRESS_INTERVAL sets how often it is
// redrawn (a duration; 0 turns it off).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "verifier/common/progress.h"

namespace aegis::cli {

// The line's sink and how often it is redrawn; an empty sink unless stderr is a terminal
// (or AEGIS_PROGRESS=always).
verifier::Progress::Sink TerminalSink(const std::string& what);
std::chrono::milliseconds TerminalInterval();

// A Progress drawing that line; nullptr where TerminalSink is empty.
std::shared_ptr<verifier::Progress> TerminalProgress(const std::string& what);

// The callback that feeds `p` (empty for nullptr).
std::function<void(uint64_t)> Feed(const std::shared_ptr<verifier::Progress>& p);

}  // namespace aegis::cli
