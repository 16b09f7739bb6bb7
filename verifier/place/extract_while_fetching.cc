#include "verifier/place/extract_while_fetching.h"

#include <filesystem>

namespace aegis::verifier {

ExtractWhileFetching::ExtractWhileFetching(std::string name, const std::string& archive, std::string staging,
                                           ExtractLimits limits)
    : name_(std::move(name)), staging_(std::move(staging)), limits_(limits), file_(archive) {
  thread_ = std::thread([this] { Run(); });
}

ExtractWhileFetching::~ExtractWhileFetching() { Abandon(); }

void ExtractWhileFetching::Run() {
  std::optional<uint64_t> size = file_.WaitForSize();
  if (!size) {
    result_ = Error{ErrorKind::kInterrupted, name_, {}, "the download stopped"};
    return;
  }
  result_ = ExtractTarStream(
      name_, *size, [this](uint64_t offset, char* buf, size_t n) { return file_.ReadAt(offset, buf, n); }, staging_, limits_);
}

std::function<void(uint64_t, uint64_t)> ExtractWhileFetching::Progress() {
  return [this](uint64_t total, uint64_t final_bytes) { file_.Publish(total, final_bytes); };
}

Expected<ExtractStats> ExtractWhileFetching::Finish(uint64_t bytes) {
  file_.Publish(bytes, bytes);
  if (thread_.joinable()) thread_.join();
  return *result_;
}

void ExtractWhileFetching::Abandon() {
  if (!thread_.joinable()) return;
  file_.Abort();
  thread_.join();
  std::error_code ec;
  std::filesystem::remove_all(staging_, ec);
}

}  // namespace aegis::verifier
