// Renders whole inputs: every checked workload in a stream is made to conform with text
// edits; the result is re-parsed and linted before anything is written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/lint_result.h"
#include "policy/constraint.h"
#include "render/edit.h"
#include "render/injector.h"

namespace aegis::render {

struct RenderedFile {
  std::string file;
  std::string original;
  std::string rendered;          // == original when nothing had to change
  std::vector<Edit> edits;       // what turned original into rendered, sorted (for --diff)
  std::vector<Diagnostic> diagnostics;  // errors (nothing may be written) and notes
  std::vector<std::string> verifier_images;  // of every verifier in the rendered objects
  bool failed = false;
};

// Large inputs are split at document markers and rendered on `threads` threads (0: one per
// core), as lint parses them; the result is the same as one sequential pass.
RenderedFile RenderText(const std::string& file, std::string text, const RenderSettings& settings,
                        const std::vector<Constraint>& constraints, size_t threads = 0);

// The pins every verifier must declare (env AEGIS_TRUST_POLICY): the constraints'
// parameters.trust, which must be one value; "" when no constraint pins. kUsage naming two
// constraints that pin differently.
Expected<std::string> PinnedTrust(const std::vector<Constraint>& constraints);

}  // namespace aegis::render
