#include "lint/linter.h"

#include <algorithm>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "manifest/pod_spec.h"
#include "policy/rules.h"
#include "yaml/reader.h"
#include "yaml/parallel.h"
#include "policy/policy_error.h"

namespace aegis {
namespace {

// Skipped documents listed one by one per input; the rest are counted in one note, so a
// hostile stream of millions of non-objects costs a counter, not a note each.
constexpr size_t kMaxSkipNotes = 20;

Diagnostic Note(const std::string& file, Mark mark, std::string message) {
  return {Diagnostic::Level::kNote, Error{ErrorKind::kSyntax, file, mark, std::move(message)}};
}

}  // namespace

size_t LintResult::Count(Severity s) const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity == s; }));
}

size_t LintResult::InputErrors() const {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
    return d.level == Diagnostic::Level::kError;
  }));
}

Linter::Linter(LintOptions options) : options_(std::move(options)) {
  result_.constraints = options_.constraints;
  if (options_.threads == 0) options_.threads = std::max(1U, std::thread::hardware_concurrency());
}

void Linter::AddInputError(Error e) { AddDiagnostic({Diagnostic::Level::kError, std::move(e)}); }

void Linter::AddDiagnostic(Diagnostic d) { result_.diagnostics.push_back(std::move(d)); }

void Linter::LintText(const std::string& file, std::string_view text) {
  ++result_.files;
  result_.inputs.push_back(file);
  std::vector<yaml::Chunk> chunks = yaml::SplitForThreads(text, options_.threads);
  std::vector<Partial> partials(chunks.size());
  // A worker's exception (bad_alloc on a hostile input) becomes this input's error, and the
  // stream stops there.
  std::vector<std::exception_ptr> thrown = yaml::RunEach(chunks.size(), [&](size_t i) {
    LintChunk(file, chunks[i].text, chunks[i].first_line, 0, partials[i]);
  });
  // Merge in order; a syntax error (or a captured exception) ends the stream, as a
  // sequential parse would.
  size_t doc_base = 0, listed = 0, unlisted = 0;
  for (size_t i = 0; i < partials.size(); ++i) {
    Partial& p = partials[i];
    if (thrown[i]) {
      p.diagnostics.push_back({Diagnostic::Level::kError,
                               Error{ErrorKind::kLimit, file, {}, "cannot lint this input: " + yaml::Describe(thrown[i])}});
      p.failed = true;
    }
    // Notes about skipped documents carry chunk-local document numbers: rebase them, and
    // keep the first kMaxSkipNotes of the whole input.
    std::vector<bool> drop(p.diagnostics.size(), false);
    for (const auto& n : p.document_notes) {
      Diagnostic& d = p.diagnostics[n.diagnostic];
      if (listed++ < kMaxSkipNotes) {
        d.where.message = fmt::format("document {} {}", n.document + doc_base, n.reason);
      } else {
        drop[n.diagnostic] = true;
        ++unlisted;
      }
    }
    if (unlisted > 0 || p.skipped_unlisted > 0) {
      size_t keep = 0;
      for (size_t k = 0; k < p.diagnostics.size(); ++k) {
        if (!drop[k]) p.diagnostics[keep++] = std::move(p.diagnostics[k]);
      }
      p.diagnostics.resize(keep);
    }
    unlisted += p.skipped_unlisted;
    doc_base += p.documents;
    bool failed = p.failed;
    Merge(std::move(p));
    if (failed) break;
  }
  if (unlisted > 0) {
    AddDiagnostic(Note(file, {}, fmt::format("{} more document(s) or List item(s) skipped as not Kubernetes objects (the first {} "
                                             "are listed)",
                                             unlisted, kMaxSkipNotes)));
  }
}

void Linter::LintChunk(const std::string& file, std::string_view text, uint32_t first_line, size_t first_doc,
                       Partial& out) const {
  yaml::StreamReader reader(file, text, {}, first_line);
  yaml::Document doc;
  for (;;) {
    auto more = reader.Next(doc);
    if (!more) {
      out.diagnostics.push_back({Diagnostic::Level::kError, more.error()});
      out.failed = true;
      return;
    }
    if (!*more) return;
    ++out.documents;
    DocumentObjects objs = ObjectsOf(doc.root(), options_.default_namespace);
    out.skipped_unlisted += objs.skipped_unlisted;
    for (const auto& s : objs.skipped) {
      if (out.document_notes.size() >= kMaxSkipNotes) {
        ++out.skipped_unlisted;
        continue;
      }
      size_t document = first_doc + doc.index() + 1;  // chunk-local; LintText rebases it
      out.document_notes.push_back({out.diagnostics.size(), document, s.reason});
      out.diagnostics.push_back(Note(file, s.mark, fmt::format("document {} {}", document, s.reason)));
    }
    for (const ObjectRef& obj : objs.objects) LintObject(file, obj, out);
  }
}

void Linter::LintObject(const std::string& file, const ObjectRef& obj, Partial& out) const {
  if (obj.kind == "Namespace" && obj.group.empty() && !obj.name.empty()) {
    out.namespaces[obj.name] = LabelsOf(obj.labels);
  }
  size_t index = out.objects.size();
  out.objects.push_back(
      ObjectRecord{file, obj.mark, obj.api_version, obj.kind, obj.namespace_, obj.name, ObjectStatus::kNotChecked});

  PodSpecs specs = LocatePodSpecs(obj);
  if (specs.coverage == Coverage::kDelegated) {
    out.diagnostics.push_back(Note(file, obj.mark,
                                   fmt::format("{} uses spec.workloadRef: not checked here (the referenced workload "
                                               "is checked instead)",
                                               obj.Display())));
  }
  if (specs.coverage != Coverage::kChecked) {
    if (!specs.unknown_template.empty()) {
      // Said without --list-skipped: a workload kind the policy does not know escapes it here.
      out.diagnostics.push_back(Note(
          file, obj.mark,
          fmt::format("{} ({}): kind not checked by the policy, though it embeds a pod template at {}; the "
                      "pods it creates are checked at admission when the constraint matches Pods",
                      obj.Display(), obj.api_version, specs.unknown_template)));
    } else if (options_.list_skipped && specs.coverage == Coverage::kNotChecked) {
      out.diagnostics.push_back(
          Note(file, obj.mark, fmt::format("{} ({}): kind not checked by the policy", obj.Display(), obj.api_version)));
    }
    return;
  }

  std::vector<size_t> applied;
  bool has_pending = false;
  for (size_t ci = 0; ci < options_.constraints.size(); ++ci) {
    const Constraint& c = options_.constraints[ci];
    MatchResult m = MatchObject(c.match, obj);
    if (m == MatchResult::kNoMatch || !ParameterNamespacesAllow(c.parameters, obj)) continue;
    if (m == MatchResult::kNeedsNamespace) {
      out.pending.push_back({index, ci, obj.namespace_});
      has_pending = true;
    }
    applied.push_back(ci);
    Severity sev = c.action == EnforcementAction::kDeny ? Severity::kError : Severity::kWarning;
    for (auto& v : CheckObject(obj, specs, c.parameters)) {
      out.findings.push_back(Finding{index, ci, file, v.mark, std::move(v.component), std::string(v.rule_id),
                                     std::move(v.message), std::move(v.hint), sev, c.action});
    }
  }
  out.objects[index].status = applied.empty() ? ObjectStatus::kOutOfScope : ObjectStatus::kChecked;
  if (has_pending) out.applied[index] = std::move(applied);
}

void Linter::Merge(Partial&& p) {
  size_t base = result_.objects.size();
  std::move(p.objects.begin(), p.objects.end(), std::back_inserter(result_.objects));
  for (auto& f : p.findings) {
    f.object += base;
    result_.findings.push_back(std::move(f));
  }
  std::move(p.diagnostics.begin(), p.diagnostics.end(), std::back_inserter(result_.diagnostics));
  for (auto& pend : p.pending) {
    pend.object += base;
    pending_.push_back(std::move(pend));
  }
  for (auto& [obj, constraints] : p.applied) applied_[obj + base] = std::move(constraints);
  for (auto& [name, labels] : p.namespaces) namespaces_[name] = std::move(labels);
}

// A namespace of unknown labels is said once: a note, or a warning (which --fail-on-warn
// fails on) when findings there go unreported because of it. A pre-commit hook that knows no
// labels must not pass a workload without a verifier in silence.
void Linter::ReportUnknownNamespaces(const std::map<std::string, size_t>& unknown,
                                     const std::set<std::pair<size_t, size_t>>& dropped) {
  for (const auto& [ns, first] : unknown) {
    auto hidden = static_cast<size_t>(std::count_if(result_.findings.begin(), result_.findings.end(), [&, n = ns](const Finding& f) {
      return dropped.count({f.object, f.constraint}) > 0 && result_.objects[f.object].namespace_ == n;
    }));
    std::string message = fmt::format("namespace {}: its labels are unknown (no Namespace object in the input, no "
                                      "--namespace-labels {}=KEY=VALUE, no namespaceLabels in .aegis.yaml), so "
                                      "namespaceSelectors do not select it",
                                      ns, ns);
    if (hidden > 0) {
      message += fmt::format(": {} finding{} there {} not reported (scope unknown)", hidden, hidden == 1 ? "" : "s",
                             hidden == 1 ? "is" : "are");
    }
    result_.diagnostics.push_back({hidden > 0 ? Diagnostic::Level::kWarning : Diagnostic::Level::kNote,
                                   Error{PolicyError::kInvalid, result_.objects[first].file, result_.objects[first].mark,
                                         std::move(message)}});
  }
}

LintResult Linter::Finish() {
  // namespaceSelector: drop (object, constraint) pairs whose Namespace does not match.
  std::set<std::pair<size_t, size_t>> dropped;
  std::map<std::string, size_t> unknown;  // namespace of unknown labels → its first object
  static const Labels kNoLabels;
  auto given_for = [&](const std::string& ns) -> const Labels* {
    if (auto it = options_.namespace_labels.find(ns); it != options_.namespace_labels.end()) return &it->second;
    if (auto it = options_.namespace_labels.find("*"); it != options_.namespace_labels.end()) return &it->second;
    return nullptr;
  };
  for (const Pending& p : pending_) {
    const Constraint& c = options_.constraints[p.constraint];
    const Labels* labels = nullptr;
    if (auto ns = namespaces_.find(p.namespace_); ns != namespaces_.end()) {
      labels = &ns->second;
    } else {
      labels = given_for(p.namespace_);
    }
    if (labels == nullptr) {
      // As a namespace without labels (Gatekeeper selects nothing there; gator refuses to
      // guess): the object is outside this constraint, and the user is told how to say more.
      labels = &kNoLabels;
      unknown.emplace(p.namespace_, p.object);
    }
    if (!SelectorMatches(*c.match.namespace_selector, *labels)) dropped.insert({p.object, p.constraint});
  }
  ReportUnknownNamespaces(unknown, dropped);
  if (!dropped.empty()) {
    auto& f = result_.findings;
    f.erase(std::remove_if(f.begin(), f.end(),
                           [&](const Finding& x) { return dropped.count({x.object, x.constraint}) > 0; }),
            f.end());
    // An object stays checked while some constraint still applies to it.
    for (auto& [object, constraints] : applied_) {
      bool any = std::any_of(constraints.begin(), constraints.end(),
                             [&, o = object](size_t ci) { return dropped.count({o, ci}) == 0; });
      if (!any) result_.objects[object].status = ObjectStatus::kOutOfScope;
    }
  }
  return std::move(result_);
}

}  // namespace aegis
