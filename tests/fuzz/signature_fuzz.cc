// libFuzzer target: arbitrary bytes as a signature file (bundle JSON, legacy base64, DSSE),
// parsed, then verified against a trusted P-256 key (generated once) and an artifact.
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "verifier/trust/signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* keys = [] {
    auto* k = new std::vector<aegis::verifier::TrustedKey>(1);
    (*k)[0].pkey = std::shared_ptr<EVP_PKEY>(EVP_EC_gen("P-256"), EVP_PKEY_free);
    (*k)[0].source = "generated";
    return k;
  }();
  auto sig = aegis::verifier::ParseSignatureFile(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!sig) return 0;
  aegis::verifier::MultiHasher h;
  h.Update("artifact bytes");
  (void)aegis::verifier::VerifyArtifact(*sig, h.Final(), *keys);
  (void)aegis::verifier::VerifyModelTree(*sig, "/nonexistent-model-tree", *keys);
  return 0;
}
