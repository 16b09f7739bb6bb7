// A tar extracted while it downloads: the extraction follows the part of the download that
// is final (GrowingFile), so unpacking a large archive overlaps the network instead of
// following it. Only for artifacts whose signature is verified over the extracted tree
// (format D): formats A–C are verified over the archive's bytes before any archive parsing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "util/expected.h"
#include "verifier/place/extract.h"
#include "verifier/place/growing_file.h"

namespace aegis::verifier {

class ExtractWhileFetching {
 public:
  // Extracts `archive` (being downloaded; `name` in errors) into `staging` once the download
  // reports its size; nothing is created before that.
  ExtractWhileFetching(std::string name, const std::string& archive, std::string staging, ExtractLimits limits);
  ~ExtractWhileFetching();  // abandons an unfinished extraction
  ExtractWhileFetching(const ExtractWhileFetching&) = delete;
  ExtractWhileFetching& operator=(const ExtractWhileFetching&) = delete;

  // For FetchOptions::on_final: the download's progress.
  std::function<void(uint64_t, uint64_t)> Progress();
  // The download completed with `bytes`: the extraction's result, once it has read them all.
  Expected<ExtractStats> Finish(uint64_t bytes);
  // The download failed or went another way: the extraction stops and its tree is removed.
  void Abandon();

 private:
  void Run();

  std::string name_;
  std::string staging_;
  ExtractLimits limits_;
  GrowingFile file_;
  std::optional<Expected<ExtractStats>> result_;  // set by the thread before it ends
  std::thread thread_;
};

}  // namespace aegis::verifier
