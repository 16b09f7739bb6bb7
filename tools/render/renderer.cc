#include "render/renderer.h"

#include <re2/re2.h>

#include <fmt/format.h>

#include "lint/linter.h"
#include "yaml/reader.h"
#include "yaml/text_index.h"
#include "policy/policy_error.h"

namespace aegis::render {
namespace {

Diagnostic Problem(Error e) { return {Diagnostic::Level::kError, std::move(e)}; }

}  // namespace

RenderedFile RenderText(const std::string& file, std::string text, const RenderSettings& settings,
                        const std::vector<Constraint>& constraints) {
  RenderedFile out{file, std::move(text), {}, {}, {}, {}, false};
  // One document's tree at a time: edits are byte offsets and outlive the tree.
  yaml::TextIndex index(out.original);
  const re2::RE2& pattern = *constraints.front().parameters.pattern;
  std::vector<Edit> edits;
  yaml::StreamReader reader(file, out.original);
  yaml::Document doc;
  for (;;) {
    auto more = reader.Next(doc);
    if (!more) {
      out.diagnostics.push_back(Problem(more.error()));
      out.failed = true;
      return out;
    }
    if (!*more) break;
    for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) {
      auto e = InjectObject(obj, file, out.original, index, settings, pattern);
      if (!e) {
        out.diagnostics.push_back(Problem(e.error()));
        out.failed = true;
        continue;
      }
      for (auto& n : e->notes) {  // at the line the note is about
        out.diagnostics.push_back(
            {Diagnostic::Level::kNote, Error{PolicyError::kInvalid, file, n.mark.line > 0 ? n.mark : obj.mark, std::move(n.message)}});
      }
      std::move(e->edits.begin(), e->edits.end(), std::back_inserter(edits));
      std::move(e->verifier_images.begin(), e->verifier_images.end(), std::back_inserter(out.verifier_images));
    }
  }
  if (out.failed) return out;
  SortEdits(edits);
  out.edits = edits;
  auto rendered = ApplyEdits(out.original, std::move(edits));
  if (!rendered) {
    out.diagnostics.push_back(Problem(Error{PolicyError::kInvalid, file, {}, "edits overlap: edit this file by hand"}));
    out.failed = true;
    return out;
  }
  out.rendered = std::move(*rendered);
  if (out.rendered == out.original) return out;
  // Check our own work: the result must parse and lint clean under the same policy, wherever
  // it is applied (a namespace or label that leaves it out of scope today may not tomorrow).
  Linter linter(LintOptions{WithoutSelectors(constraints), "default", false, 0, {}});
  linter.LintText(file, out.rendered);
  LintResult check = linter.Finish();
  for (const auto& d : check.diagnostics) {
    if (d.level != Diagnostic::Level::kError) continue;
    out.diagnostics.push_back(Problem(Error{PolicyError::kInvalid, file, d.where.mark,
                                            "render produced invalid YAML (a bug; nothing written): " + d.where.message}));
    out.failed = true;
  }
  for (const auto& f : check.findings) {
    out.diagnostics.push_back(Problem(Error{PolicyError::kInvalid, file, f.mark,
                                            "the rendered object still violates the policy (nothing written): " +
                                                f.message}));
    out.failed = true;
  }
  return out;
}

}  // namespace aegis::render
