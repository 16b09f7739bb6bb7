// A real OCI registry for a test suite: CNCF Distribution's `registry` (pinned in peers.env),
// in memory, over https with a test CA, and with token authentication on — the Docker token
// protocol: a 401 challenge names the realm, a token server issues a JWT for the scope. The
// token server is in-test (Distribution has none; its "Token Authentication Specification"
// and "Token Authentication Implementation" documents give the request and the JWT: ES256,
// x5c chaining to the registry's rootcertbundle, iss/aud/exp/nbf, and the granted
// "access": [{type, name, actions}]); the registry checks every token it is given. Users:
// "pusher" may pull and push, "reader" may pull, anonymous requests get no access. Artifacts
// are pushed with the real ORAS CLI. `skip_reason()` is set when a peer is missing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/http_server.h"
#include "support/test_support.h"

namespace aegis::testing {

class Registry {
 public:
  Registry();
  const std::string& skip_reason() const { return skip_; }
  const std::string& host() const { return host_; }  // 127.0.0.1:PORT
  std::string ca_file() const { return certs_.File("ca.pem"); }
  // oras push HOST/REF FILES… from `dir` as "pusher"; "" or what went wrong. Each file is
  // "path" or "path:mediatype"; a directory is pushed packed (ORAS's unpack annotation).
  std::string Push(const std::string& dir, const std::string& ref, const std::vector<std::string>& files) const;
  // A container image built by buildah from scratch, one layer per directory of `layers` (each
  // copied to the image's root), pushed by buildah as "pusher"; "" or what went wrong.
  std::string PushImage(const std::vector<std::string>& layers, const std::string& ref) const;
  // A docker config.json granting `user` (with `password`) on this registry.
  std::string DockerConfig(const std::string& user, const std::string& password) const;
  int token_requests() const { return token_->requests(); }

 private:
  std::string Token(const std::string& user, const std::string& scope) const;
  TempDir certs_, work_;
  std::unique_ptr<HttpServer> token_;
  std::unique_ptr<ChildProcess> server_;
  std::string host_, oras_, skip_;
};

}  // namespace aegis::testing
