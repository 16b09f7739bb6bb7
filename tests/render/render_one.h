// Renders one object of a file on its own, as `aegis render` does for each object: the
// injector's edits, then the policy on the result (render writes nothing that still
// violates it). Shared by the render tests.
#pragma once

#include <string>

#include "lint/linter.h"
#include "render/edit.h"
#include "render/injector.h"
#include "util/expected.h"
#include "yaml/reader.h"
#include "yaml/text_index.h"

namespace aegis::render::testing {

// The findings `constraints` report for object `index` of `text`.
inline std::vector<Finding> FindingsFor(const std::string& file, const std::string& text, size_t index,
                                        const std::vector<Constraint>& constraints) {
  Linter linter(LintOptions{WithoutSelectors(constraints), "default", false, 1, {}});
  linter.LintText(file, text);
  LintResult r = linter.Finish();
  std::vector<Finding> out;
  for (auto& f : r.findings)
    if (f.object == index) out.push_back(std::move(f));
  return out;
}

// The file's text with object `index` (counted across the file's documents) rendered; an
// error, as render's, when the result still violates `c` (what no edit of render's can fix:
// another container writing the model volume, a ServingRuntime shadowing /mnt/models).
inline Expected<std::string> RenderOne(const std::string& file, const std::string& text, size_t index,
                                       const RenderSettings& s, const Constraint& c) {
  auto docs = yaml::ReadAll(file, text);
  if (!docs) return docs.error();
  yaml::TextIndex idx(text);
  size_t n = 0;
  for (const auto& doc : *docs) {
    for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) {
      if (n++ != index) continue;
      auto e = InjectObject(obj, file, text, idx, s, *c.parameters.pattern);
      if (!e) return e.error();
      auto applied = ApplyEdits(text, e->edits);
      if (!applied) return applied.error();
      std::string out = std::move(*applied);
      auto findings = FindingsFor(file, out, index, {c});
      if (findings.empty() || !c.parameters.lock_verifier) return out;  // the v1/v2 suites check findings themselves
      std::string message = "the rendered object still violates the policy (nothing written):";
      for (const Finding& f : findings) message += " " + f.message + ";";
      return Error{ErrorKind::kUsage, file, obj.mark, message};
    }
  }
  return Error{ErrorKind::kIo, file, {}, "object not found"};
}

}  // namespace aegis::render::testing
