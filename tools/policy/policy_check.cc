#include "policy/policy_check.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "manifest/object.h"
#include "policy/constraint.h"
#include "yaml/reader.h"
#include "policy/policy_error.h"

namespace aegis {

// The strangers verify-and-fetch tries (verifier/trust/trust.cc): a pattern matching the empty
// string, or an unrelated workflow and an unrelated e-mail alike, admits everyone.
bool MatchesEveryone(const std::string& pattern, bool issuer) {
  re2::RE2 re(pattern, re2::RE2::Quiet);
  if (!re.ok()) return false;
  if (re2::RE2::PartialMatch("", re)) return true;
  if (issuer) {
    return re2::RE2::PartialMatch("https://issuer.unrelated.invalid", re) &&
           re2::RE2::PartialMatch("https://accounts.unrelated.invalid/x", re);
  }
  return re2::RE2::PartialMatch("https://github.com/someone-else/unrelated/.github/workflows/x.yml@refs/heads/main", re) &&
         re2::RE2::PartialMatch("someone-else@unrelated.invalid", re);
}
namespace {

struct Template {
  std::string file;
  Mark mark;
  std::string name;
  std::string crd_kind;
  std::set<std::string> declared;  // parameters in the openAPIV3Schema
  bool open_schema = false;        // x-kubernetes-preserve-unknown-fields
};

class Checker {
 public:
  explicit Checker(PolicyCheckResult& out) : out_(out) {}

  void Error(const std::string& file, Mark mark, std::string msg, std::error_code kind = PolicyError::kInvalid) {
    out_.diagnostics.push_back({Diagnostic::Level::kError, aegis::Error{kind, file, mark, std::move(msg)}});
  }
  void Warn(const std::string& file, Mark mark, std::string msg) {
    out_.diagnostics.push_back({Diagnostic::Level::kWarning, aegis::Error{PolicyError::kInvalid, file, mark, std::move(msg)}});
  }

  void CheckTemplate(const std::string& file, const ObjectRef& obj) {
    ++out_.templates;
    Template t{file, obj.mark, obj.name, {}, {}, false};
    const yaml::Node* crd = obj.root->Path({"spec", "crd", "spec"});
    const yaml::Node* kind = crd != nullptr ? crd->Path({"names", "kind"}) : nullptr;
    if (kind == nullptr || !kind->IsString()) {
      Error(file, obj.mark, "ConstraintTemplate has no spec.crd.spec.names.kind");
    } else {
      t.crd_kind = kind->scalar();
      std::string lower = t.crd_kind;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (t.name != lower) {
        Error(file, kind->mark(),
              fmt::format("metadata.name {} must be the lowercase CRD kind {} (Gatekeeper rejects the template)",
                          t.name, lower));
      }
    }
    const yaml::Node* schema = crd != nullptr ? crd->Path({"validation", "openAPIV3Schema"}) : nullptr;
    if (schema != nullptr) {
      const yaml::Node* preserve = schema->Get("x-kubernetes-preserve-unknown-fields");
      t.open_schema = preserve != nullptr && preserve->AsBool() == true;
      if (const yaml::Node* props = schema->Get("properties"); props != nullptr && props->IsMapping()) {
        for (size_t i = 0; i < props->pair_count(); ++i) t.declared.insert(props->key_at(i)->scalar());
      }
    }
    const yaml::Node* targets = obj.root->Path({"spec", "targets"});
    const yaml::Node* rego = nullptr;
    if (targets == nullptr || !targets->IsSequence() || targets->size() != 1) {
      Error(file, obj.mark, "spec.targets must hold exactly one target (admission.k8s.gatekeeper.sh)");
    } else {
      const yaml::Node* target = targets->at(0)->Get("target");
      if (target == nullptr || target->scalar() != "admission.k8s.gatekeeper.sh") {
        Error(file, targets->at(0)->mark(), "the target must be admission.k8s.gatekeeper.sh");
      }
      rego = targets->at(0)->Get("rego");
    }
    if (rego == nullptr || !rego->IsString()) {
      Error(file, obj.mark, "the template has no rego");
    } else {
      CheckRego(file, t, *rego);
    }
    templates_[t.crd_kind] = std::move(t);
  }

  void CheckConstraint(const std::string& file, const ObjectRef& obj) {
    ++out_.constraints;
    auto it = templates_.find(obj.kind);
    bool builtin = obj.kind == "AegisSignedPod";
    if (it == templates_.end() && !builtin) {
      Error(file, obj.mark,
            fmt::format("no ConstraintTemplate with CRD kind {} among the checked files", obj.kind));
      return;
    }
    if (builtin) {
      std::vector<aegis::Error> warnings;
      auto problems = ConstraintProblems(file, obj, warnings);
      for (const auto& e : problems) Error(file, e.mark, e.message);
      if (problems.empty()) {
        std::vector<aegis::Error> again;  // the warnings were collected above
        auto c = ParseConstraint(file, obj, again);
        if (c) CheckVersionTwo(file, obj, c->parameters);
        if (c) CheckVersionThree(file, obj, *c);
      }
      // Without a template in the files, the parameters are checked against Aegis' own
      // template. An unknown parameter is a warning for lint; here it is what we look for.
      if (it == templates_.end()) {
        for (auto& w : warnings) Error(w.file, w.mark, w.message);
      }
    }
    if (it != templates_.end() && !it->second.open_schema) {
      const yaml::Node* params = obj.root->Path({"spec", "parameters"});
      if (params != nullptr && params->IsMapping()) {
        for (size_t i = 0; i < params->pair_count(); ++i) {
          const std::string& key = params->key_at(i)->scalar();
          if (!it->second.declared.count(key)) {
            Error(file, params->key_at(i)->mark(),
                  fmt::format("parameter {} is not declared by template {} (Gatekeeper prunes it)", key,
                              it->second.name));
          }
        }
      }
    }
  }

 private:
  // Pins that pin nothing: none at all (a warning), or a keyless pattern matching everyone.
  void CheckVersionThree(const std::string& file, const ObjectRef& obj, const Constraint& c) {
    if (auto w = TrustWarning(c)) {
      Warn(file, obj.mark, w->message);
      return;
    }
    const TrustPins& pins = c.parameters.trust_pins;
    if (pins.allow_any_identity) return;
    const yaml::Node* trust = obj.root->Path({"spec", "parameters", "trust"});
    for (const KeylessIdentity& id : pins.keyless) {
      for (const std::string* pattern : {&id.subject_regexp, &id.issuer_regexp}) {
        bool issuer = pattern == &id.issuer_regexp;
        if (pattern->empty() || !MatchesEveryone(*pattern, issuer)) continue;
        Error(file, trust != nullptr ? trust->mark() : obj.mark,
              fmt::format("trust.keyless {} \"{}\" matches every {}: {} (set allowAnyIdentity if that is really meant)",
                          issuer ? "issuerRegExp" : "subjectRegExp", *pattern, issuer ? "OIDC issuer" : "identity",
                          issuer ? "any issuer could vouch for the identity" : "anyone with a Sigstore identity could sign"));
      }
    }
  }

  // Parameter combinations that parse but open a hole.
  void CheckVersionTwo(const std::string& file, const ObjectRef& obj, const Parameters& p) {
    const yaml::Node* params = obj.root->Path({"spec", "parameters"});
    auto at = [&](std::string_view key) {
      const yaml::Node* k = params != nullptr ? params->KeyNode(key) : nullptr;
      return k != nullptr ? k->mark() : obj.mark;
    };
    if (!p.verifier_images && re2::RE2::PartialMatch("storage-initializer", *p.pattern)) {
      Error(file, at("initContainerPattern"),
            fmt::format("initContainerPattern /{}/ accepts KServe's storage-initializer as the verifier, and "
                        "verifierImages is not set: KServe's own unverified downloader would satisfy the policy "
                        "(set verifierImages)",
                        p.init_container_pattern));
    }
    if (p.verifier_images) {
      for (const std::string& e : *p.verifier_images) {
        if (e.empty() || e == "*") {
          Error(file, at("verifierImages"),
                fmt::format("verifierImages entry \"{}\" admits every image", e));
        }
      }
    }
    for (const std::string& prefix : p.verified_storage_uri_prefixes) {
      if (prefix.find("://") == std::string::npos) {
        Error(file, at("verifiedStorageUriPrefixes"),
              fmt::format("verifiedStorageUriPrefixes entry \"{}\" is not a scheme prefix (e.g. s3://): it "
                          "would treat other URIs as served by the verifier",
                          prefix));
      }
    }
    if (!p.verified_storage_uri_prefixes.empty() && !p.verifier_images) {
      Warn(file, at("verifiedStorageUriPrefixes"),
           "verifiedStorageUriPrefixes without verifierImages: the Pods KServe creates are then accepted with "
           "any storage-initializer image");
    }
    if (!p.storage_container_name.empty() && p.verified_storage_uri_prefixes.empty()) {
      Warn(file, at("storageContainerName"),
           "storageContainerName without verifiedStorageUriPrefixes has no effect: it applies in KServe-native mode");
    }
  }

  void CheckRego(const std::string& file, const Template& t, const yaml::Node& rego) {
    const std::string& text = rego.scalar();
    // A literal block scalar's content starts on the line after its indicator.
    uint32_t first = rego.mark().line + (rego.style() == yaml::ScalarStyle::kLiteral ? 1 : 0);
    auto line_of = [&](size_t offset) {
      return Mark{first + static_cast<uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n')), 0};
    };
    std::string package;
    if (!re2::RE2::PartialMatch(text, R"((?m)^package\s+([A-Za-z0-9_.]+))", &package)) {
      Error(file, rego.mark(), "the rego has no package declaration");
    } else if (package != t.name) {
      size_t at = text.find("package");
      Error(file, line_of(at),
            fmt::format("rego package {} must be the template name {} (Gatekeeper rejects the template)", package,
                        t.name));
    }
    if (size_t at = text.find("import rego.v1"); at != std::string::npos) {
      Error(file, line_of(at), "Gatekeeper refuses `import rego.v1`: use OPA v0 syntax with future.keywords");
    }
    CheckViolationRules(file, rego, text, line_of);
    if (t.open_schema) return;
    // Parameters the Rego reads: input.parameters.X, input.parameters["X"],
    // object.get(params, "X", …) / params.X where `params` aliases input.parameters, and
    // the param("X", …) / has_param("X") helpers of Aegis' own template.
    static const re2::RE2 kUses(
        R"re((?:input\.parameters|\bparams)(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"]+)"\s*\])|object\.get\(\s*(?:input\.parameters|params)\s*,\s*"([^"]+)"|\b(?:has_)?param\(\s*"([^"]+)")re");
    std::set<std::string> reported;
    re2::StringPiece rest(text);
    std::string a, b, c, d;
    while (re2::RE2::FindAndConsume(&rest, kUses, &a, &b, &c, &d)) {
      std::string name = !a.empty() ? a : !b.empty() ? b : !c.empty() ? c : d;
      if (name.empty() || t.declared.count(name) || !reported.insert(name).second) continue;
      size_t offset = static_cast<size_t>(rest.data() - text.data());
      Error(file, line_of(offset > 0 ? offset - 1 : 0),
            fmt::format("the rego uses parameter {} but the openAPIV3Schema does not declare it (Gatekeeper prunes "
                        "undeclared parameters, so it is always undefined)",
                        name));
    }
  }

  // Gatekeeper requires `violation` to be a partial set rule. In OPA v0 syntax that is
  // `violation[X] { … }` or `violation contains X if { … }` (with the contains keyword
  // imported). Under `import future.keywords.if`, `violation[X] if { … }` is a single-value
  // object rule (X -> true): OPA compiles it, Gatekeeper refuses the template with
  // "missing required rules: [violation]".
  template <typename LineOf>
  void CheckViolationRules(const std::string& file, const yaml::Node& rego, const std::string& text,
                           const LineOf& line_of) {
    const bool has_contains = re2::RE2::PartialMatch(
        text, R"((?m)^import\s+future\.keywords(\.contains)?\s*$)");
    static const re2::RE2 kHead(R"((?m)^(violation)\b)");
    re2::StringPiece rest(text);
    bool any = false;
    while (re2::RE2::FindAndConsume(&rest, kHead)) {
      any = true;
      const size_t start = static_cast<size_t>(rest.data() - text.data()) - std::string_view("violation").size();
      const Mark mark = line_of(start);
      size_t i = start + std::string_view("violation").size();
      auto skip_space = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      };
      skip_space();
      if (text.compare(i, 8, "contains") == 0) {
        if (!has_contains) {
          Error(file, mark, "`violation contains …` needs `import future.keywords.contains` (OPA v0 syntax)");
        }
        continue;
      }
      if (i >= text.size() || text[i] != '[') {
        Error(file, mark,
              "violation must be a partial set rule (`violation contains {\"msg\": msg} if { … }`); "
              "Gatekeeper refuses the template: missing required rules: [violation]");
        continue;
      }
      // Skip the bracketed key (it may hold braces and strings), then look at what follows.
      int depth = 0;
      bool in_string = false;
      for (; i < text.size(); ++i) {
        char ch = text[i];
        if (in_string) {
          if (ch == '\\') ++i;
          else if (ch == '"') in_string = false;
        } else if (ch == '"') {
          in_string = true;
        } else if (ch == '[' || ch == '{' || ch == '(') {
          ++depth;
        } else if (ch == ']' || ch == '}' || ch == ')') {
          if (--depth == 0) break;
        }
      }
      ++i;
      skip_space();
      if (text.compare(i, 2, "if") == 0 && (i + 2 >= text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 2])))) {
        Error(file, mark,
              "`violation[…] if` is a single-value object rule, not a partial set: Gatekeeper refuses the template "
              "(missing required rules: [violation]); write `violation contains {\"msg\": msg} if { … }` with "
              "`import future.keywords.contains`");
      } else if (i < text.size() && (text[i] == ':' || text[i] == '=')) {
        Error(file, mark,
              "`violation[…] = value` is a partial object rule, not a partial set: Gatekeeper refuses the template "
              "(missing required rules: [violation])");
      }
    }
    if (!any) Error(file, rego.mark(), "the rego defines no violation rule (`violation contains {\"msg\": …} if`)");
  }

  PolicyCheckResult& out_;
  std::map<std::string, Template> templates_;
};

}  // namespace

size_t PolicyCheckResult::Errors() const {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                           [](const Diagnostic& d) { return d.level == Diagnostic::Level::kError; }));
}

bool PolicyCheckResult::InputInvalid() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
    return d.where.kind == ErrorKind::kIo || d.where.kind == ErrorKind::kSyntax || d.where.kind == ErrorKind::kLimit;
  });
}

PolicyCheckResult CheckPolicyTexts(const std::vector<PolicyText>& texts, const std::vector<Error>& input_errors) {
  PolicyCheckResult out;
  Checker checker(out);
  for (const auto& e : input_errors) out.diagnostics.push_back({Diagnostic::Level::kError, e});
  // Templates first, so constraints can be checked against templates in any file order.
  struct Loaded {
    std::string file;
    std::vector<yaml::Document> docs;
  };
  std::vector<Loaded> loaded;
  out.files = texts.size();
  for (const auto& t : texts) {
    auto docs = yaml::ReadAll(t.file, t.text);
    if (!docs) {
      out.diagnostics.push_back({Diagnostic::Level::kError, docs.error()});
      continue;
    }
    loaded.push_back({t.file, std::move(*docs)});
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& l : loaded) {
      for (const auto& doc : l.docs) {
        for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) {
          bool is_template = obj.kind == "ConstraintTemplate" && obj.group == "templates.gatekeeper.sh";
          if (pass == 0 && is_template) checker.CheckTemplate(l.file, obj);
          if (pass == 1 && obj.group == "constraints.gatekeeper.sh") checker.CheckConstraint(l.file, obj);
        }
      }
    }
  }
  if (out.templates + out.constraints == 0 && out.Errors() == 0) {
    out.diagnostics.push_back({Diagnostic::Level::kError,
                               Error{PolicyError::kInvalid, {}, {}, "no ConstraintTemplate or Constraint found"}});
  }
  return out;
}

}  // namespace aegis
