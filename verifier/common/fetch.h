// Downloads one URL to a file while hashing it (constant memory), the way an initContainer
// must: bounded timeouts, retries with exponential backoff and jitter on connection errors,
// 5xx and 429 (Retry-After honoured), never on other 4xx, and resume with Range after a
// broken transfer when the server allows it. A large object may come in parts over several
// connections (`parts`), as boto3's transfer manager and s5cmd fetch one: an object store
// caps each connection well below the link.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "util/expected.h"
#include "verifier/common/crypto.h"

namespace aegis::verifier {

struct FetchOptions {
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{8000};
  std::chrono::seconds max_retry_after{60};  // a longer Retry-After is capped
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::seconds stall_timeout{30};     // less than 1 byte/s for this long aborts
  std::chrono::milliseconds total_timeout{std::chrono::seconds(3600)};
  std::string ca_bundle;                      // PEM file; empty: the system's
  std::string extra_ca_pem;                   // PEM text trusted besides (KServe's CA bundle)
  bool insecure_skip_tls_verify = false;      // callers warn loudly
  std::vector<std::string> headers;           // extra request headers
  bool follow_redirects = true;               // false: a 3xx is the answer (signed requests)
  std::string aws_sigv4;                      // CURLOPT_AWS_SIGV4 provider string, or empty
  std::string aws_credentials;                // "KEY:SECRET" for SigV4 (never logged)
  // Headers computed for each request (`url`, and the byte range it asks for: from an offset,
  // to an offset inclusive or 0 for the end): signatures over the request, such as Azure's
  // Shared Key, are made afresh per attempt.
  std::function<std::vector<std::string>(const std::string& url, uint64_t range_from, uint64_t range_to)> authorize;
  // Up to `parts` connections at once for one object (<= 1: one stream): the first request
  // asks for the first `part_bytes` and learns the size from its Content-Range; the rest
  // comes in ranges of `part_bytes`, each written at its offset, and the file is hashed in
  // order as its prefix completes. A server without Range support answers the first request
  // with the whole object (200), fetched as one stream.
  int parts = 1;
  uint64_t part_bytes = 8 << 20;
  // Told (from the fetching thread) each time more of the file's prefix is final: hashed in
  // order and never written again; `total` is the object's size. In parts as they complete
  // in order, else once at the end. A reader may follow it (GrowingFile).
  std::function<void(uint64_t total, uint64_t final_bytes)> on_final;
  // Progress: each chunk's size as it is written (from the fetching threads), and an
  // object's size when a ranged answer tells it.
  std::function<void(uint64_t bytes)> on_bytes;
  std::function<void(uint64_t total)> on_size;
  DigestSet digests;                          // which digests to compute on the way
  uint64_t max_bytes = 0;                     // a larger body fails with kLimit; 0: no limit
  // Waits between attempts; tests replace it to avoid sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

struct FetchResult {
  uint64_t bytes = 0;
  Digests digests;
  int attempts = 0;
  bool resumed = false;
  int parts = 1;  // ranges fetched (1: one stream)
};

// Errors: kNotFound (404), kNetwork (everything remote, after retries), kIo (local),
// kLimit (the body exceeds max_bytes).
// On error `out_path` is removed.
Expected<FetchResult> Fetch(const std::string& url, const std::string& out_path, const FetchOptions& options = {});

}  // namespace aegis::verifier
