// Where a run's signature comes from (docs/VERIFIER.md): --signature, else the first of
// <artifact>.sigstore.json, .sig.json and .sig that exists (a model directory's sits next to it;
// an hf:// repository or an oci:// artifact has nothing next to it: model.sig inside); and for an
// oci:// artifact without --signature, cosign's signatures of its manifest (cosign_image.h),
// looked for on the digest its reference names before any layer is fetched.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "util/expected.h"
#include "verifier/common/log.h"
#include "verifier/options.h"
#include "verifier/place/workspace.h"
#include "verifier/sources/location.h"
#include "verifier/sources/oci_registry.h"
#include "verifier/sources/source.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/trust.h"

namespace aegis::verifier {

inline constexpr std::array<const char*, 3> kSignatureSuffixes = {".sigstore.json", ".sig.json", ".sig"};

// "sigstore-bundle", "legacy-sig", "vault", "model-signing" (logs and reports).
const char* FormatName(SignatureFile::Format f);

// The run's URIs, read once when the options are checked (Location::Parse).
struct Locations {
  Location artifact;
  std::optional<Location> signature;  // --signature
};

// kUsage for a URI no source serves (Location::Parse).
Expected<Locations> Locate(const Options& o);

struct FoundSignature {
  Location at;
  SignatureFile file;
};

// The explicit signature, or the first of the discovery order that exists (at most 1 MiB). nullopt
// when none exists (an OMS model.sig may still be inside the tree).
Expected<std::optional<FoundSignature>> FetchSignature(const Locations& at, Sources& sources, const Workspace& ws,
                                                       Logger& log);

// An OCI artifact's cosign signatures: the first that verifies with `trust`, or why each was refused.
struct ImageSigned {
  OciReference pinned;  // the reference at the manifest's digest: what is fetched and placed
  std::optional<Verified> verified;
  std::string where;
  std::optional<Error> refused;  // the first refusal, when none verified
};

Expected<ImageSigned> CheckImageSignatures(const Location& artifact, Sources& sources, const Trust& trust,
                                           const Workspace& ws, Logger& log);

}  // namespace aegis::verifier
