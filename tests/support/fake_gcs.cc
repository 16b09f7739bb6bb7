#include "support/fake_gcs.h"

#include <filesystem>

namespace aegis::testing {

FakeGcs::FakeGcs(const std::string& data_dir) {
  std::string bin = PeerBinary("fake-gcs-server", "FAKE_GCS_SERVER", "fake-gcs-server");
  if (bin.empty()) {
    skip_ = "fake-gcs-server is not installed (ci/peers.sh)";
    return;
  }
  int port = FreePort();
  host_ = "127.0.0.1:" + std::to_string(port);
  // It logs every request to stderr: READY once it says it listens (its listener is bound
  // by then), the rest drained so that a full pipe never stops it.
  server_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      "sh", "-c",
      "\"$0\" -backend memory -scheme http -host 127.0.0.1 -port \"$1\" -data \"$2\" 2>&1 | "
      "{ while IFS= read -r l; do case \"$l\" in *'server started at'*) echo READY; break;; esac; done; cat >/dev/null; }",
      bin, std::to_string(port), data_dir});
  auto line = server_->ReadLine(30000);
  if (!line || *line != "READY") skip_ = "fake-gcs-server did not start";
}

}  // namespace aegis::testing
