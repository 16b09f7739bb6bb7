#include "policygen/policy_gen.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "manifest/object.h"
#include "policy/constraint.h"
#include "policy/match.h"
#include "util/file_io.h"
#include "yaml/reader.h"
#include "yaml/to_json.h"

namespace aegis::policygen {
namespace {
namespace fs = std::filesystem;

struct CorpusObject {
  std::string name;  // unique within its suite
  ObjectRef ref;
  std::vector<std::string> tokens;
  nlohmann::json json;
};

struct Suite {
  std::string name;
  std::vector<Constraint> constraints;
  std::vector<nlohmann::json> constraint_json;
  std::vector<std::vector<yaml::Document>> docs;  // keeps ObjectRefs alive
  std::vector<CorpusObject> objects;
  std::map<std::string, Labels> namespaces;
};

std::string Read(const std::string& path) {
  auto text = ReadInput(path);
  if (!text) throw std::runtime_error(text.error().Describe());
  return *text;
}

std::vector<yaml::Document> Parse(const std::string& path) {
  auto docs = yaml::ReadAll(path, Read(path));
  if (!docs) throw std::runtime_error(docs.error().Describe());
  return std::move(*docs);
}

std::string Identifier(std::string s) {
  for (char& c : s) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return s;
}

Suite LoadSuite(const fs::path& dir) {
  Suite s;
  s.name = dir.filename().string();
  std::string cpath = (dir / "constraint.yaml").string();
  auto loaded = ParseConstraints(cpath, Read(cpath));
  if (!loaded) throw std::runtime_error(loaded.error().Describe());
  s.constraints = loaded->constraints;
  for (const auto& doc : Parse(cpath)) s.constraint_json.push_back(yaml::ToJson(doc.root()));
  std::set<std::string> names;
  for (const auto& file : ExpandInputs({dir.string()}).files) {
    if (fs::path(file).filename() == "constraint.yaml") continue;
    s.docs.push_back(Parse(file));
    for (const auto& doc : s.docs.back()) {
      for (const ObjectRef& obj : ObjectsOf(doc.root(), "default").objects) {
        if (obj.kind == "Namespace" && obj.group.empty()) s.namespaces[obj.name] = LabelsOf(obj.labels);
        CorpusObject o{obj.name, obj, {}, yaml::ToJson(obj.root)};
        for (int n = 2; !names.insert(o.name).second; ++n) o.name = fmt::format("{}-{}", obj.name, n);
        const yaml::Node* expect = obj.root->Path({"metadata", "annotations", "aegis.dev/expect"});
        std::istringstream words(expect != nullptr ? expect->scalar() : "");
        for (std::string w; words >> w;) o.tokens.push_back(w);
        s.objects.push_back(std::move(o));
      }
    }
  }
  return s;
}

enum class Applies { kYes, kNo };

// Whether Gatekeeper would run the constraint's Rego on the object (spec.match only; the
// `namespaces` parameter is the Rego's business).
Applies MatchFor(const Suite& s, const Constraint& c, const ObjectRef& obj) {
  MatchResult m = MatchObject(c.match, obj);
  if (m == MatchResult::kNoMatch) return Applies::kNo;
  if (m == MatchResult::kMatch) return Applies::kYes;
  // A namespace the suite does not declare has no labels, as `aegis lint` assumes.
  auto ns = s.namespaces.find(obj.namespace_);
  const Labels none;
  return SelectorMatches(*c.match.namespace_selector, ns == s.namespaces.end() ? none : ns->second) ? Applies::kYes
                                                                                                     : Applies::kNo;
}

// (component, rule) pairs expected from constraint `c` ("" prefix when the suite has one).
std::vector<std::pair<std::string, std::string>> Expected(const Suite& s, const Constraint& c,
                                                          const CorpusObject& o) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string t : o.tokens) {
    if (s.constraints.size() > 1) {
      auto at = t.find('@');
      if (at == std::string::npos || t.substr(0, at) != c.name) continue;
      t = t.substr(at + 1);
    }
    auto colon = t.find(':');
    out.emplace_back(colon == std::string::npos ? "" : t.substr(0, colon), t.substr(colon + 1));
  }
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json ReviewInput(const Suite& s, size_t ci, const CorpusObject& o) {
  std::string version = o.ref.api_version.substr(o.ref.api_version.find('/') + 1);
  nlohmann::json review = {{"object", o.json}, {"kind", {{"group", o.ref.group}, {"version", version}, {"kind", o.ref.kind}}}};
  if (!o.ref.namespace_defaulted) review["namespace"] = o.ref.namespace_;
  nlohmann::json input = {{"review", review}};
  const nlohmann::json& spec = s.constraint_json[ci]["spec"];
  if (spec.is_object() && spec.contains("parameters")) input["parameters"] = spec["parameters"];
  return input;
}

std::string RegoTests(const std::vector<Suite>& suites) {
  std::string out =
      "# Generated from tests/corpus by tests/policygen (aegis_gen_policy_tests). Do not edit:\n"
      "# change the corpus and regenerate. One test per (object, constraint whose match selects it).\n"
      "package aegissignedpod\n\nimport future.keywords.if\nimport future.keywords.in\n\n"
      "corpus_ids(violations) := {[v.details.component, v.details.id] | some v in violations}\n";
  std::set<std::string> names;
  for (const Suite& s : suites) {
    for (size_t ci = 0; ci < s.constraints.size(); ++ci) {
      const Constraint& c = s.constraints[ci];
      for (const CorpusObject& o : s.objects) {
        if (MatchFor(s, c, o.ref) == Applies::kNo) continue;
        std::string name = "test_corpus_" + Identifier(s.name + "_" + o.name);
        if (s.constraints.size() > 1) name += "_" + Identifier(c.name);
        while (!names.insert(name).second) name += "_x";
        std::string want;
        for (const auto& [component, rule] : Expected(s, c, o)) {
          want += fmt::format("{}[{}, {}]", want.empty() ? "" : ", ", nlohmann::json(component).dump(),
                              nlohmann::json(rule).dump());
        }
        out += fmt::format("\n# {} / {}: {} {}\n{} if {{\n\tvs := violation with input as {}\n\tcorpus_ids(vs) == {}\n}}\n",
                           s.name, c.name, o.ref.kind, o.name, name, ReviewInput(s, ci, o).dump(),
                           want.empty() ? std::string("set()") : "{" + want + "}");
      }
    }
  }
  return out;
}

// Messages per rule, as the Rego writes them (gator assertions match messages, not ids).
const std::map<std::string, std::string>& MessagePatterns() {
  static const std::map<std::string, std::string> kPatterns = {
      {"AEGIS001", "no initContainer whose name matches|no pod spec at|a copy no verifier checks"},
      {"AEGIS002", "no volume from secret"},
      {"AEGIS003", "mounts a volume from secret"},
      {"AEGIS004", "runs (an allowed|a) verifier image"},
      {"AEGIS005", "unverified|is served by whichever ClusterStorageContainer"},
      {"AEGIS006", "the verifier writes no volume|no container mounts a volume the verifier writes|the verified copy is shadowed"},
      {"AEGIS007", "does not declare the constraint's trust|is not a Vault address the constraint pins|is not a keyless "
                   "identity the constraint pins"},
      {"AEGIS008", "overrides the image's command|has restartPolicy|argument that is not a string|expands a variable|is "
                   "not allowed on a locked verifier|as its only arguments|is not under the key volume's mount|comes "
                   "from valueFrom|where it reads its keys|besides its model directory|is not the mount path of a "
                   "volume it writes|but the constraint does not allow|admits every signer"},
      {"AEGIS009", "is not an emptyDir or ephemeral volume|mounts the model volume|reads its model from|at or under "
                   "KServe's model directory|mounts kserve-provision-location"},
  };
  return kPatterns;
}

void GatorSuite(const std::vector<Suite>& suites, std::vector<GeneratedFile>& files) {
  std::string suite =
      "# Generated from tests/corpus by tests/policygen (aegis_gen_policy_tests). Do not edit.\n"
      "# Run: gator verify tests/gator/ (the test constraints live here, not in policies/)\n"
      "# Case objects carry the namespace `aegis lint` places them in (kubectl apply -n default).\n"
      "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata:\n  name: aegissignedpod\ntests:\n";
  for (const Suite& s : suites) {
    for (size_t ci = 0; ci < s.constraints.size(); ++ci) {
      const Constraint& c = s.constraints[ci];
      std::string dir = "tests/gator/" + s.name;
      std::string cfile = fmt::format("{}/constraint-{}.yaml", dir, c.name);
      files.push_back({cfile, s.constraint_json[ci].dump(2) + "\n"});
      suite += fmt::format("  - name: {}/{}\n    template: ../../policies/constrainttemplate.yaml\n    constraint: {}\n",
                           s.name, c.name, cfile.substr(12));
      if (c.match.namespace_selector) {
        suite +=
            "    # gator verify reviews an object without its Namespace, so a namespaceSelector cannot be\n"
            "    # evaluated there (Gatekeeper errors); the same cases run in rego/corpus_test.rego.\n"
            "    skip: true\n";
      }
      suite += "    cases:\n";
      for (const CorpusObject& o : s.objects) {
        std::string ofile = fmt::format("{}/{}.yaml", dir, o.name);
        if (ci == 0) {
          nlohmann::json obj = o.json;
          if (obj.contains("metadata") && obj["metadata"].is_object() && !o.ref.namespace_.empty()) {
            obj["metadata"]["namespace"] = o.ref.namespace_;
          }
          files.push_back({ofile, obj.dump(2) + "\n"});
        }
        bool selected = MatchFor(s, c, o.ref) != Applies::kNo;
        auto expected = selected ? Expected(s, c, o) : decltype(Expected(s, c, o)){};
        suite += fmt::format("      - name: {}\n        object: {}\n        assertions:\n          - violations: {}\n",
                             o.name, ofile.substr(12), expected.size());
        for (const auto& [rule, pattern] : MessagePatterns()) {
          auto n = std::count_if(expected.begin(), expected.end(), [&, r = rule](const auto& e) { return e.second == r; });
          suite += fmt::format("          - message: {}\n            violations: {}\n", nlohmann::json(pattern).dump(), n);
        }
      }
    }
  }
  files.push_back({"tests/gator/suite.yaml", suite});
}

// The corpus suites published as samples in the gatekeeper-library layout: the shipped
// constraint's parameters against issue 33's attacks, and pinned trust (version 3).
constexpr const char* kLibrary = "policies/library/aegissignedpod";
const std::vector<std::string>& LibrarySamples() {
  static const std::vector<std::string> kSamples = {"shipped-v3", "params-v3"};
  return kSamples;
}

// A corpus object as a sample: the test annotations (aegis.dev/*) removed, in the namespace
// `kubectl apply -n default` would put it.
nlohmann::json SampleObject(const CorpusObject& o) {
  nlohmann::json obj = o.json;
  nlohmann::json& meta = obj["metadata"];
  if (!o.ref.namespace_.empty()) meta["namespace"] = o.ref.namespace_;
  if (meta.contains("annotations") && meta["annotations"].is_object()) {
    for (auto it = meta["annotations"].begin(); it != meta["annotations"].end();) {
      it = it.key().rfind("aegis.dev/", 0) == 0 ? meta["annotations"].erase(it) : std::next(it);
    }
    if (meta["annotations"].empty()) meta.erase("annotations");
  }
  return obj;
}

// policies/library/aegissignedpod: the layout of open-policy-agent/gatekeeper-library (template,
// kustomization, samples/<name>/{constraint,example_allowed_*,example_disallowed_*}.yaml,
// suite.yaml for `gator verify`), for those who vendor policies that way.
void Library(const std::vector<Suite>& suites, const std::string& repo_root, std::vector<GeneratedFile>& files) {
  const std::string dir = kLibrary;
  files.push_back({dir + "/template.yaml", Read(repo_root + "/policies/constrainttemplate.yaml")});
  // The Helm chart reads its template from files/ (Helm's templating would mangle the Rego).
  files.push_back(
      {"manifests/helm/aegis/files/constrainttemplate.yaml", Read(repo_root + "/policies/constrainttemplate.yaml")});
  files.push_back({dir + "/kustomization.yaml", "resources:\n  - template.yaml\n"});
  std::string suite =
      "# Generated from tests/corpus by tests/policygen (aegis_gen_policy_tests). Do not edit.\n"
      "# Run: gator verify policies/library/aegissignedpod (docs/POLICY.md, \"The gatekeeper-library layout\").\n"
      "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata:\n  name: aegissignedpod\ntests:\n";
  for (const Suite& s : suites) {
    if (std::find(LibrarySamples().begin(), LibrarySamples().end(), s.name) == LibrarySamples().end()) continue;
    if (s.constraints.size() != 1 || s.constraints[0].match.namespace_selector) {
      throw std::runtime_error("library sample " + s.name +
                               ": one constraint without namespaceSelector (gator verify)");
    }
    const Constraint& c = s.constraints[0];
    std::string sample = "samples/" + s.name;
    files.push_back({dir + "/" + sample + "/constraint.yaml", s.constraint_json[0].dump(2) + "\n"});
    suite += fmt::format("  - name: {}\n    template: template.yaml\n    constraint: {}/constraint.yaml\n    cases:\n",
                         s.name, sample);
    for (const CorpusObject& o : s.objects) {
      auto expected = MatchFor(s, c, o.ref) != Applies::kNo ? Expected(s, c, o) : decltype(Expected(s, c, o)){};
      std::string file =
          fmt::format("{}/example_{}_{}.yaml", sample, expected.empty() ? "allowed" : "disallowed", o.name);
      files.push_back({dir + "/" + file, SampleObject(o).dump(2) + "\n"});
      suite += fmt::format("      - name: {}\n        object: {}\n        assertions:\n", o.name, file);
      if (expected.empty()) {
        suite += "          - violations: no\n";
        continue;
      }
      suite += fmt::format("          - violations: {}\n", expected.size());
      for (const auto& [rule, pattern] : MessagePatterns()) {
        auto n =
            std::count_if(expected.begin(), expected.end(), [&, r = rule](const auto& e) { return e.second == r; });
        if (n > 0)
          suite +=
              fmt::format("          - message: {}\n            violations: {}\n", nlohmann::json(pattern).dump(), n);
      }
    }
  }
  files.push_back({dir + "/suite.yaml", suite});
}

}  // namespace

std::vector<std::string> GeneratedDirectories() { return {"tests/gator", kLibrary}; }

std::vector<GeneratedFile> Generate(const std::string& repo_root) {
  std::vector<Suite> suites;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(fs::path(repo_root) / "tests/corpus")) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& d : dirs) suites.push_back(LoadSuite(d));
  std::vector<GeneratedFile> files;
  files.push_back({"rego/corpus_test.rego", RegoTests(suites)});
  GatorSuite(suites, files);
  Library(suites, repo_root, files);
  return files;
}

}  // namespace aegis::policygen
