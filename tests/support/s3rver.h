// The real, signature-checking S3 server (@20minutes/s3rver 5.0.0, tests/s3/README.md)
// started on 127.0.0.1 for a test suite; objects are put with the curl CLI's own SigV4
// signer. `skip_reason()` is set when node, curl or the npm package is missing.
#pragma once

#include <memory>
#include <string>

#include "support/child_process.h"
#include "support/test_support.h"

namespace aegis::testing {

inline const std::string kS3AccessKey = "AKIAAEGISTEST";
inline const std::string kS3SecretKey = "aegis-test-secret";

class S3rver {
 public:
  // Starts it (bucket "models"), over https with a certificate from a test CA when asked.
  explicit S3rver(bool https = false);
  const std::string& skip_reason() const { return skip_; }
  const std::string& endpoint() const { return endpoint_; }  // http(s)://127.0.0.1:PORT
  std::string ca_file() const { return certs_.File("ca.pem"); }  // https: the CA of its certificate
  // Uploads a local file to s3://models/<key>; "" or the error.
  std::string Put(const std::string& file, const std::string& key) const;

 private:
  TempDir data_, certs_;
  std::unique_ptr<ChildProcess> server_;
  std::string endpoint_;
  std::string skip_;
};

}  // namespace aegis::testing
