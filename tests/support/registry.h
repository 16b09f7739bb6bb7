// A real OCI registry for a test suite: CNCF Distribution's `registry` (pinned in peers.env),
// in memory, over https with a test CA, and with token authentication on — the Docker token
// protocol: a 401 challenge names the realm, a token server issues a JWT for the scope. The
// token server is in-test (Distribution has none; its "Token Authentication Specification"
// and "Token Authentication Implementation" documents give the request and the JWT: ES256,
// x5c chaining to the registry's rootcertbundle, iss/aud/exp/nbf, and the granted
// "access": [{type, name, actions}]); the registry checks every token it is given. Users:
// "pusher" may pull and push, "reader" may pull, anonymous requests get no access (with
// RegistryAuth::kBasic either may push). Artifacts
// are pushed with the real ORAS CLI. `skip_reason()` is set when a peer is missing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/http_server.h"
#include "support/test_support.h"

namespace aegis::testing {

// kBasic: Distribution's htpasswd (Basic) auth instead of tokens, the same users. cosign
// (go-containerregistry) and ORAS refuse a token realm at a loopback address other than the
// registry's own host:port (SSRF hardening), which an in-test token server cannot be.
enum class RegistryAuth { kToken, kBasic };

class Registry {
 public:
  explicit Registry(RegistryAuth auth = RegistryAuth::kToken);
  const std::string& skip_reason() const { return skip_; }
  const std::string& host() const { return host_; }  // 127.0.0.1:PORT
  std::string ca_file() const { return certs_.File("ca.pem"); }
  // oras push HOST/REF FILES… from `dir` as "pusher"; "" or what went wrong. Each file is
  // "path" or "path:mediatype"; a directory is pushed packed (ORAS's unpack annotation).
  std::string Push(const std::string& dir, const std::string& ref, const std::vector<std::string>& files) const;
  // A container image built by buildah from scratch, one layer per directory of `layers` (each
  // copied to the image's root), pushed by buildah as "pusher"; "" or what went wrong.
  std::string PushImage(const std::vector<std::string>& layers, const std::string& ref) const;
  // `oras ARGS` as "pusher" (trusting the registry's CA; `oras cp` on both sides); its output, or nullopt (the failure
  // reported to gtest). E.g. Oras("resolve " + host() + "/models/a:v1") for a digest.
  std::optional<std::string> Oras(const std::string& args) const;
  // `COSIGN ARGS` (a cosign binary) as "pusher", trusting the registry's CA, the key password
  // empty; "" or what went wrong.
  std::string Cosign(const std::string& cosign, const std::string& args, const std::string& dir = "") const;
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

// go-containerregistry's registry with the OCI 1.1 referrers API (tests/referrers-registry, built
// by ci/peers.sh at the version peers.env pins), over https with a test CA, no authentication:
// where clients use the referrers API instead of the referrers tag.
class ReferrersRegistry {
 public:
  ReferrersRegistry();
  const std::string& skip_reason() const { return skip_; }
  const std::string& host() const { return host_; }
  std::string ca_file() const { return certs_.File("ca.pem"); }
  // `oras ARGS` trusting the registry's CA; its output, or nullopt (reported to gtest).
  std::optional<std::string> Oras(const std::string& args) const;

 private:
  TempDir certs_;
  std::unique_ptr<ChildProcess> server_;
  std::string host_, oras_, skip_;
};

}  // namespace aegis::testing
