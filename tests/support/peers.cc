#include "support/peers.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "support/test_support.h"

namespace aegis::testing {

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

}  // namespace aegis::testing
