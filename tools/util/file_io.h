// Reading whole inputs (files, stdin) and expanding directories into manifest files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.h"

namespace aegis {

// Reads a file, or standard input when path is "-".
// Inputs larger than this are refused (kLimit) before they are read whole: /dev/zero, an
// endless pipe or a planted multi-gigabyte file cannot exhaust memory.
constexpr uint64_t kDefaultMaxInputBytes = 64ull << 20;
Expected<std::string> ReadInput(const std::string& path, uint64_t max_bytes = kDefaultMaxInputBytes);

// Expands each argument: a directory becomes its *.yaml, *.yml and *.json files
// (recursive, sorted); "-" and plain files pass through. Missing paths are errors.
struct ExpandedInputs {
  std::vector<std::string> files;
  std::vector<Error> errors;
};
ExpandedInputs ExpandInputs(const std::vector<std::string>& args);

// Writes atomically: a temp file in the same directory, then rename.
Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace aegis
