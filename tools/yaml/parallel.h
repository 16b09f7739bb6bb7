// Work on a YAML stream split at document markers, one thread per chunk (lint and render).
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/split.h"

namespace aegis::yaml {

// Below 1 MiB a thread costs more than it saves: the stream stays one chunk.
std::vector<Chunk> SplitForThreads(std::string_view text, size_t threads);

// Runs work(i) for every chunk index, chunk 0 on the calling thread and each other on its
// own thread. An exception escaping a call (bad_alloc on a hostile input) is captured for
// its index instead of terminating the process.
std::vector<std::exception_ptr> RunEach(size_t n, const std::function<void(size_t)>& work);

// What a captured exception says: "out of memory", its what(), or "unknown error".
std::string Describe(const std::exception_ptr& e);

}  // namespace aegis::yaml
