#include "policy/verifier_image.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace aegis {

bool ImageListed(std::string_view image, std::string_view entry) {
  if (!entry.empty() && entry.back() == '*') return image.starts_with(entry.substr(0, entry.size() - 1));
  if (!image.starts_with(entry)) return false;
  std::string_view rest = image.substr(entry.size());
  if (rest.empty() || rest.front() == '@') return true;
  // A tag: `:` and no further path (localhost:5000/evil is not the repository "localhost").
  return rest.front() == ':' && rest.find('/') == std::string_view::npos;
}

bool ImagePinned(std::string_view image) {
  constexpr std::string_view kAt = "@sha256:";
  size_t at = image.rfind(kAt);
  if (at == std::string_view::npos) return false;
  std::string_view hex = image.substr(at + kAt.size());
  return hex.size() == 64 &&
         std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool ImageAllowed(std::string_view image, const Parameters& p) {
  if (p.require_digest && !ImagePinned(image)) return false;
  if (!p.verifier_images) return true;
  return std::any_of(p.verifier_images->begin(), p.verifier_images->end(),
                     [&](const std::string& e) { return ImageListed(image, e); });
}

bool RestrictsImages(const Parameters& p) { return p.verifier_images.has_value() || p.require_digest; }

}  // namespace aegis

namespace aegis {

std::optional<std::string> WhyImageRefused(std::string_view image, const std::vector<Constraint>& constraints) {
  if (size_t at = image.find('@'); at != std::string_view::npos && !ImagePinned(image)) {
    return fmt::format("not pinned: {} is not a digest (want sha256: and 64 lower-case hex digits, as skopeo "
                       "inspect --format '{{{{.Digest}}}}' docker://REPOSITORY:TAG prints it)",
                       image.substr(at + 1));
  }
  // The constraints that refuse it; named only when they disagree on what they allow (the
  // shipped ones share their list: naming the KServe one for a Deployment would mislead).
  std::vector<const Constraint*> refusing;
  for (const Constraint& c : constraints) {
    const Parameters& p = c.parameters;
    if (p.verifier_images && !std::any_of(p.verifier_images->begin(), p.verifier_images->end(),
                                          [&](const std::string& e) { return ImageListed(image, e); })) {
      refusing.push_back(&c);
    }
  }
  if (!refusing.empty()) {
    auto list = [](const Constraint* c) {
      const auto& v = *c->parameters.verifier_images;
      return v.empty() ? std::string("none") : fmt::format("{}", fmt::join(v, ", "));
    };
    bool same = std::all_of(refusing.begin(), refusing.end(), [&](const Constraint* c) { return list(c) == list(refusing.front()); });
    if (same) return fmt::format("not an image the policy allows (verifierImages: {})", list(refusing.front()));
    return fmt::format("not an image the policy allows (verifierImages of constraint {}: {})", refusing.front()->name,
                       list(refusing.front()));
  }
  for (const Constraint& c : constraints) {
    const Parameters& p = c.parameters;
    if (p.require_digest && !ImagePinned(image)) {
      return fmt::format("not pinned by digest, which constraint {} requires (requireDigest): give REPOSITORY@sha256:DIGEST",
                         c.name);
    }
  }
  return std::nullopt;
}

}  // namespace aegis
