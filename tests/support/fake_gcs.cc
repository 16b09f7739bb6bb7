#include "support/fake_gcs.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace aegis::testing {
namespace {

// A port nothing listens on now (the kernel's choice; the server binds it right after).
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = -1;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

}  // namespace

std::string PeerBinary(const std::string& tool, const std::string& pin, const std::string& binary) {
  std::istringstream env(ReadFile(SourcePath("tests/interop/peers.env")));
  std::string version;
  for (std::string line; std::getline(env, line);) {
    if (line.rfind(pin + "=", 0) == 0) version = line.substr(pin.size() + 1);
  }
  if (version.empty()) return {};
  const char* cache = std::getenv("AEGIS_PEERS_CACHE");
  const char* home = std::getenv("HOME");
  std::string dir = cache != nullptr ? cache : std::string(home != nullptr ? home : "") + "/.cache/aegis-peers";
  std::string path = dir + "/" + tool + "-" + version + "/bin/" + binary;
  return std::filesystem::exists(path) ? path : std::string();
}

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
