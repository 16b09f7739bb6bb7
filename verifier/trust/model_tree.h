// The model_signing statement (in-toto, predicateType model_signing/signature/v1.0) against a
// model tree, after its DSSE signature has been authenticated. Serializations, as the
// model_signing library exposes them: `files` (one resource per file) and `shards` (one per
// byte range "path:start:end" of shard_size), each with sha256 or blake2b (BLAKE2b-512)
// digests; the subject digest is SHA-256 over the resources' raw digests in listed order.
// Signed options (model_signing >= 1.1): ignore_paths and allow_symlinks.
#pragma once

#include <string>
#include <vector>

#include "util/expected.h"

namespace aegis::verifier {

struct TreeCheck {
  std::string subject;                     // the statement's subject name (the model name)
  std::string subject_sha256;              // its digest (hex): the whole tree's identity
  std::vector<std::string> signed_files;   // the tree's files the statement covers
};

// `payload` is the authenticated statement; `path` a directory or a single file (resource
// "."); `ignore` adds the caller's --ignore-paths. kSignature with the reason on mismatch.
Expected<TreeCheck> CheckModelTree(const std::string& payload, const std::string& path,
                                   const std::vector<std::string>& ignore);

}  // namespace aegis::verifier
