// Streaming digests over OpenSSL (base64 and hex are the platform's: util/base64.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "util/base64.h"
#include "util/expected.h"

namespace aegis::verifier {

using aegis::Base64Decode;
using aegis::Base64Encode;
using aegis::Hex;

// The digests every signature format may need, computed in one pass over the artifact.
struct Digests {
  std::string sha256, sha384, sha512;  // raw bytes
};

// Which digests to compute: each costs a pass of CPU over the artifact (SHA-512 is half
// SHA-256's speed here), so only the ones the trusted keys can use are computed.
struct DigestSet {
  bool sha384 = true, sha512 = true;  // SHA-256 is always computed (pins, logs, bundles)
};

class MultiHasher {
 public:
  explicit MultiHasher(DigestSet want = {});
  ~MultiHasher();
  MultiHasher(const MultiHasher&) = delete;
  MultiHasher& operator=(const MultiHasher&) = delete;
  void Update(std::string_view data);
  void Reset();  // start over (a download that restarted from byte 0)
  Digests Final();  // digests not wanted are empty

 private:
  struct Impl;
  DigestSet want_;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256(std::string_view data);
// kIo when unreadable; `on_bytes` hears each block read (a progress line).
Expected<Digests> DigestFile(const std::string& path, DigestSet want = {}, const std::function<void(uint64_t)>& on_bytes = {});
Expected<std::string> Sha256File(const std::string& path);  // raw bytes

}  // namespace aegis::verifier
