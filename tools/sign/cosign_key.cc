#include "sign/cosign_key.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "verifier/common/crypto.h"

namespace aegis::sign {
namespace {

using nlohmann::json;

constexpr std::string_view kTypes[] = {"ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"};

// The base64 body between the PEM armour lines of one of kTypes.
std::string_view PemBody(std::string_view pem) {
  for (std::string_view type : kTypes) {
    std::string begin = "-----BEGIN " + std::string(type) + "-----";
    std::string end = "-----END " + std::string(type) + "-----";
    size_t b = pem.find(begin);
    if (b == std::string_view::npos) continue;
    size_t e = pem.find(end, b);
    if (e == std::string_view::npos) return {};
    return pem.substr(b + begin.size(), e - b - begin.size());
  }
  return {};
}

Error Bad(const std::string& path, const std::string& what) { return Error{ErrorKind::kUsage, path, {}, what}; }

}  // namespace

bool IsCosignKey(std::string_view pem) { return !PemBody(pem).empty(); }

Expected<std::string> DecryptCosignKey(std::string_view pem, const std::string& password, const std::string& path) {
  std::string body;
  for (char c : PemBody(pem)) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') body += c;
  }
  auto doc_text = verifier::Base64Decode(body);
  if (!doc_text) return Bad(path, "malformed cosign private key: the PEM body is not base64");
  json doc = json::parse(*doc_text, nullptr, false);
  auto str = [&](const json::json_pointer& p) -> std::string {
    return doc.contains(p) && doc[p].is_string() ? doc[p].get<std::string>() : std::string();
  };
  auto num = [&](const json::json_pointer& p) -> uint64_t {
    return doc.contains(p) && doc[p].is_number_unsigned() ? doc[p].get<uint64_t>() : 0;
  };
  if (doc.is_discarded() || str("/kdf/name"_json_pointer) != "scrypt" ||
      str("/cipher/name"_json_pointer) != "nacl/secretbox") {
    return Bad(path, "malformed cosign private key: expected an scrypt KDF and a nacl/secretbox cipher");
  }
  auto salt = verifier::Base64Decode(str("/kdf/salt"_json_pointer));
  auto nonce = verifier::Base64Decode(str("/cipher/nonce"_json_pointer));
  auto sealed = verifier::Base64Decode(str("/ciphertext"_json_pointer));
  const uint64_t n = num("/kdf/params/N"_json_pointer), r = num("/kdf/params/r"_json_pointer),
                 p = num("/kdf/params/p"_json_pointer);
  if (!salt || !nonce || !sealed || nonce->size() != crypto_secretbox_NONCEBYTES ||
      sealed->size() < crypto_secretbox_MACBYTES || n < 2 || (n & (n - 1)) != 0 || n > (1u << 20) || r == 0 ||
      r > 32 || p == 0 || p > 16) {
    return Bad(path, "malformed cosign private key: bad KDF parameters, salt, nonce or ciphertext");
  }
  if (password.empty()) return Bad(path, "the cosign private key is encrypted: give --password-file (or AEGIS_PASSWORD, COSIGN_PASSWORD)");
  unsigned char key[crypto_secretbox_KEYBYTES];
  if (EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt->data()), salt->size(),
                     n, r, p, 1ull << 28, key, sizeof key) != 1) {
    return Bad(path, "cannot derive the cosign key's decryption key (scrypt)");
  }
  std::string plain(sealed->size() - crypto_secretbox_MACBYTES, '\0');
  const int rc = sodium_init() < 0 ? -1
                                   : crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                                                reinterpret_cast<const unsigned char*>(sealed->data()),
                                                                sealed->size(),
                                                                reinterpret_cast<const unsigned char*>(nonce->data()), key);
  sodium_memzero(key, sizeof key);
  if (rc != 0) {
    sodium_memzero(plain.data(), plain.size());
    return Bad(path, "cannot decrypt the cosign private key (wrong password?)");
  }
  return plain;
}

}  // namespace aegis::sign
