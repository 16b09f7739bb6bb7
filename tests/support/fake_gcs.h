// The Cloud Storage emulator fake-gcs-server (github.com/fsouza/fake-gcs-server, the version
// pinned in tests/interop/peers.env, installed by ci/peers.sh), started on 127.0.0.1 over http
// for a test suite with the objects of a local directory (DIR/<bucket>/<object path>), the
// JSON API verify-and-fetch speaks. `skip_reason()` is set when it is not installed.
#pragma once

#include <memory>
#include <string>

#include "support/child_process.h"
#include "support/peers.h"
#include "support/test_support.h"

namespace aegis::testing {

class FakeGcs {
 public:
  explicit FakeGcs(const std::string& data_dir);  // starts it; the buckets are data_dir's folders
  const std::string& skip_reason() const { return skip_; }
  const std::string& host() const { return host_; }  // 127.0.0.1:PORT, for STORAGE_EMULATOR_HOST

 private:
  std::unique_ptr<ChildProcess> server_;
  std::string host_;
  std::string skip_;
};

}  // namespace aegis::testing
