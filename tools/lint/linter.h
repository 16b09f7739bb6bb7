// Lints manifest streams against AegisSignedPod constraints (docs/POLICY.md).
//
// Streaming: one document's tree per worker is alive at a time. Large inputs are split
// at document markers and parsed on every core; the chunks' results are merged in input
// order, so the output does not depend on the split. Findings that depend on a
// namespaceSelector wait until every input has been read (the Namespace may come later).
#pragma once

#include <map>
#include <set>
#include <utility>
#include <string>
#include <string_view>

#include "lint/lint_result.h"
#include "manifest/object.h"
#include "policy/match.h"

namespace aegis {

struct LintOptions {
  std::vector<Constraint> constraints;
  std::string default_namespace = "default";
  bool list_skipped = false;  // a note for every object of a kind that is not checked
  size_t threads = 0;         // 0: one per core
  // Labels of namespaces whose Namespace object is not in the input (--namespace-labels); a
  // namespace known neither way is checked anyway, with a warning.
  std::map<std::string, Labels> namespace_labels;
};

class Linter {
 public:
  explicit Linter(LintOptions options);

  // Lints one input; `file` names it in findings ("<stdin>" for standard input).
  void LintText(const std::string& file, std::string_view text);
  // Records an input that could not be read, or a note/warning about the run.
  void AddInputError(Error e);
  void AddDiagnostic(Diagnostic d);
  // Resolves namespaceSelectors and returns everything found.
  LintResult Finish();

 private:
  void ReportUnknownNamespaces(const std::map<std::string, size_t>& unknown, const std::set<std::pair<size_t, size_t>>& dropped);

 private:
  struct Pending {
    size_t object;
    size_t constraint;
    std::string namespace_;
  };
  // What one chunk of input produced; object indexes are local to the chunk.
  struct Partial {
    std::vector<ObjectRecord> objects;
    std::vector<Finding> findings;
    std::vector<Diagnostic> diagnostics;
    std::vector<Pending> pending;
    std::map<size_t, std::vector<size_t>> applied;
    std::map<std::string, Labels> namespaces;
    // Notes naming a document by number: the diagnostic's index, its chunk-local number, and
    // the rest of the message (the number is rebased when chunks are merged).
    struct DocumentNote {
      size_t diagnostic;
      size_t document;
      std::string reason;
    };
    std::vector<DocumentNote> document_notes;  // at most kMaxSkipNotes per chunk
    size_t skipped_unlisted = 0;                // skipped documents beyond those
    size_t documents = 0;
    bool failed = false;  // stopped at a syntax error
  };

  void LintChunk(const std::string& file, std::string_view text, uint32_t first_line, size_t first_doc,
                 Partial& out) const;
  void LintObject(const std::string& file, const ObjectRef& obj, Partial& out) const;
  void Merge(Partial&& p);

  LintOptions options_;
  LintResult result_;
  std::vector<Pending> pending_;
  std::map<size_t, std::vector<size_t>> applied_;  // object → constraints, for pending objects
  std::map<std::string, Labels> namespaces_;       // Namespace objects seen in the input
};

}  // namespace aegis
