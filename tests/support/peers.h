// The real peers the tests start (pinned in tests/interop/peers.env, installed by ci/peers.sh).
#pragma once

#include <string>

namespace aegis::testing {

// A peer's binary from the peer cache (AEGIS_PEERS_CACHE, default ~/.cache/aegis-peers) at the
// version peers.env pins for `pin` (e.g. FAKE_GCS_SERVER); "" when absent.
std::string PeerBinary(const std::string& tool, const std::string& pin, const std::string& binary);

// A port nothing listens on now (the kernel's choice; a server binds it right after).
int FreePort();

}  // namespace aegis::testing
