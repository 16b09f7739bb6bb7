// Which images may run as the verifier (parameters verifierImages and requireDigest).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/constraint.h"

namespace aegis {

// An entry `repo` admits that repository with any tag and/or digest (repo, repo:tag,
// repo@sha256:…, repo:tag@sha256:…), never a longer name (repo-evil, repo/sub). An entry
// ending in `*` admits every image starting with the text before it.
bool ImageListed(std::string_view image, std::string_view entry);

// Pinned: ends in @sha256: and 64 lower-case hex digits.
bool ImagePinned(std::string_view image);

// The constraint's image rule: listed (when verifierImages is set) and pinned (when
// requireDigest is true). Always true without either parameter.
bool ImageAllowed(std::string_view image, const Parameters& p);

// Why the constraints refuse `image` as the verifier's (a malformed digest, not listed, not
// pinned), naming the constraint; nullopt when every one allows it.
std::optional<std::string> WhyImageRefused(std::string_view image, const std::vector<Constraint>& constraints);

// True when the constraint restricts verifier images at all.
bool RestrictsImages(const Parameters& p);

}  // namespace aegis
