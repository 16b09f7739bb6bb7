// Azurite (Microsoft's Azure Storage emulator, npm azurite pinned in tests/azurite) started on
// 127.0.0.1 for a test suite, with an empty in-memory store: over http, or over https with
// its OAuth check on ("basic": a bearer token must be a JWT for Azure Storage's audience from
// an Entra ID issuer, within its lifetime; Azurite does not check its signature). It checks
// every Shared Key and SAS signature. Blobs are put with Shared Key requests signed by the
// code under test: Azurite refusing the signature fails the put, so the signer is judged by
// the emulator, not by itself. `skip_reason()` is set when node or the package is missing.
#pragma once

#include <memory>
#include <string>

#include "support/child_process.h"
#include "support/test_support.h"

namespace aegis::testing {

class Azurite {
 public:
  explicit Azurite(bool https_with_oauth = false);
  const std::string& skip_reason() const { return skip_; }
  // http(s)://127.0.0.1:PORT/devstoreaccount1, the account's blob endpoint.
  const std::string& endpoint() const { return endpoint_; }
  // The CA of the https server's certificate (PEM file), for --ca-bundle.
  std::string ca_file() const { return certs_.File("ca.pem"); }
  // AZURE_STORAGE_CONNECTION_STRING for the development account at this endpoint.
  std::string ConnectionString() const;
  // "" or what went wrong. A public container allows anonymous reads of its blobs and listing.
  std::string CreateContainer(const std::string& name, bool public_access = false) const;
  std::string Put(const std::string& file, const std::string& container, const std::string& blob) const;
  // An account SAS (sv=2021-08-06) with `permissions` (e.g. "rl"), signed with the account key,
  // expiring at `expiry` (ISO 8601, e.g. 2099-01-01T00:00:00Z): the query, without '?'.
  std::string AccountSas(const std::string& permissions, const std::string& expiry) const;

 private:
  std::string Send(const std::string& method, const std::string& path_and_query, const std::string& body,
                   std::vector<std::pair<std::string, std::string>> headers) const;
  TempDir work_, certs_;
  std::unique_ptr<ChildProcess> server_;
  std::string endpoint_;
  std::string skip_;
};

}  // namespace aegis::testing
