// Small crypto helpers over OpenSSL: base64, hex, streaming digests.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace aegis::verifier {

// Standard alphabet; whitespace and line breaks are ignored; padding required.
Expected<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view bytes);
std::string Hex(std::string_view bytes);

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
Expected<Digests> DigestFile(const std::string& path, DigestSet want = {});  // kIo when unreadable
Expected<std::string> Sha256File(const std::string& path);  // raw bytes

}  // namespace aegis::verifier
