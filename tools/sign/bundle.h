// What `aegis sign` writes: a sigstore bundle v0.3 with a message signature (format A, as
// `cosign sign-blob --bundle` writes it) for an artifact, and an OpenSSF model-signing
// bundle (format D, the structure of `model_signing sign key`) for a model directory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sign/signer.h"
#include "util/expected.h"

namespace aegis::sign {

// Format A over the file at `artifact`.
Expected<std::string> SignArtifactBundle(const Signer& signer, const std::string& artifact,
                                         const std::function<void(uint64_t)>& on_bytes = {});

// The in-toto statement of a model directory (or one file): every regular file except
// model.sig and `ignore` (relative paths), sorted by name, with SHA-256 digests. Symlinks
// and special files are refused (model_signing's allow_symlinks: false).
Expected<std::string> ModelStatement(const std::string& model_path, const std::vector<std::string>& ignore,
                                     const std::function<void(uint64_t)>& on_bytes = {});

// Format D: the statement in a DSSE envelope signed over its PAE.
Expected<std::string> SignModelBundle(const Signer& signer, const std::string& model_path, const std::vector<std::string>& ignore,
                                      const std::function<void(uint64_t)>& on_bytes = {});

}  // namespace aegis::sign
