#include "render/renderer.h"

#include <algorithm>
#include <thread>

#include <re2/re2.h>

#include <fmt/format.h>

#include "lint/linter.h"
#include "yaml/parallel.h"
#include "yaml/reader.h"
#include "yaml/text_index.h"
#include "policy/policy_error.h"

namespace aegis::render {
namespace {

Diagnostic Problem(Error e) { return {Diagnostic::Level::kError, std::move(e)}; }

// What one chunk of the stream contributes; merged in order.
struct ChunkEdits {
  std::vector<Edit> edits;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> verifier_images;
  bool failed = false;
  bool stream_ended = false;  // a syntax or limit error: nothing after it is read
};

// The edits for every object of one chunk. Marks are lines of the whole text (the reader
// adds the chunk's first line), so edits are byte offsets into the whole text.
void RenderChunk(const std::string& file, const yaml::Chunk& chunk, std::string_view whole, const yaml::TextIndex& index,
                 const RenderSettings& settings, const re2::RE2& pattern, ChunkEdits& out) {
  yaml::StreamReader reader(file, chunk.text, {}, chunk.first_line);
  yaml::Document doc;
  for (;;) {
    auto more = reader.Next(doc);
    if (!more) {
      out.diagnostics.push_back(Problem(more.error()));
      out.failed = out.stream_ended = true;
      return;
    }
    if (!*more) return;
    for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) {
      auto e = InjectObject(obj, file, whole, index, settings, pattern);
      if (!e) {
        out.diagnostics.push_back(Problem(e.error()));
        out.failed = true;
        continue;
      }
      for (auto& n : e->notes) {  // at the line the note is about
        out.diagnostics.push_back(
            {Diagnostic::Level::kNote, Error{PolicyError::kInvalid, file, n.mark.line > 0 ? n.mark : obj.mark, std::move(n.message)}});
      }
      std::move(e->edits.begin(), e->edits.end(), std::back_inserter(out.edits));
      std::move(e->verifier_images.begin(), e->verifier_images.end(), std::back_inserter(out.verifier_images));
    }
  }
}

}  // namespace

RenderedFile RenderText(const std::string& file, std::string text, const RenderSettings& settings,
                        const std::vector<Constraint>& constraints, size_t threads) {
  RenderedFile out{file, std::move(text), {}, {}, {}, {}, false};
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  // One document's tree at a time per chunk: edits are byte offsets and outlive the trees.
  yaml::TextIndex index(out.original);
  const re2::RE2& pattern = *constraints.front().parameters.pattern;
  std::vector<yaml::Chunk> chunks = yaml::SplitForThreads(out.original, threads);
  std::vector<ChunkEdits> parts(chunks.size());
  std::vector<std::exception_ptr> thrown = yaml::RunEach(chunks.size(), [&](size_t i) {
    RenderChunk(file, chunks[i], out.original, index, settings, pattern, parts[i]);
  });
  // In order, as one sequential pass would: the stream ends at its first syntax error.
  std::vector<Edit> edits;
  for (size_t i = 0; i < parts.size(); ++i) {
    ChunkEdits& p = parts[i];
    if (thrown[i]) {
      p.diagnostics.push_back(Problem(Error{ErrorKind::kLimit, file, {}, "cannot render this input: " + yaml::Describe(thrown[i])}));
      p.failed = p.stream_ended = true;
    }
    std::move(p.diagnostics.begin(), p.diagnostics.end(), std::back_inserter(out.diagnostics));
    std::move(p.edits.begin(), p.edits.end(), std::back_inserter(edits));
    std::move(p.verifier_images.begin(), p.verifier_images.end(), std::back_inserter(out.verifier_images));
    out.failed = out.failed || p.failed;
    if (p.stream_ended) break;
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
  // Check our own work: the result must parse and lint clean under the same policy, wherever
  // it is applied (a namespace or label that leaves it out of scope today may not tomorrow).
  // An unchanged file too: `render --diff` must not call clean what lint reports.
  Linter linter(LintOptions{WithoutSelectors(constraints), "default", false, threads, {}});
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

Expected<std::string> PinnedTrust(const std::vector<Constraint>& constraints) {
  std::string out;
  const Constraint* first = nullptr;
  for (const Constraint& c : constraints) {
    if (!c.parameters.trust) continue;
    std::string json = c.parameters.trust->dump();
    if (first != nullptr && json != out) {
      return Error{ErrorKind::kUsage, {}, {},
                   fmt::format("constraints {} and {} pin different trust (parameters.trust): a verifier declares one "
                               "(render with the policy of one team at a time)",
                               first->name, c.name)};
    }
    first = &c;
    out = std::move(json);
  }
  return out;
}


}  // namespace aegis::render
