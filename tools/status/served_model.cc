#include "status/served_model.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "manifest/object.h"
#include "policy/rules.h"
#include "util/json_access.h"
#include "yaml/reader.h"

namespace aegis::status {
namespace {
using nlohmann::json;

constexpr const char* kInferenceServiceLabel = "serving.kserve.io/inferenceservice";

// The constraints that select `obj` (Gatekeeper's match, the namespace's labels for a
// namespaceSelector, the `namespaces` parameter).
std::vector<const Constraint*> Selecting(const ObjectRef& obj, const Labels& namespace_labels,
                                         const std::vector<Constraint>& constraints) {
  std::vector<const Constraint*> out;
  for (const Constraint& c : constraints) {
    MatchResult m = MatchObject(c.match, obj);
    bool selected = m == MatchResult::kMatch || (m == MatchResult::kNeedsNamespace &&
                                                 SelectorMatches(*c.match.namespace_selector, namespace_labels));
    if (selected && ParameterNamespacesAllow(c.parameters, obj)) out.push_back(&c);
  }
  return out;
}

// The InferenceService a KServe pod serves, as the policy sees it: its name and namespace, and
// the labels KServe copies from it to the pod.
json InferenceServiceOf(const json& pod, const std::string& name) {
  json isvc = {{"apiVersion", "serving.kserve.io/v1beta1"},
               {"kind", "InferenceService"},
               {"metadata", {{"name", name}, {"namespace", JsonStringOr(pod, {"metadata", "namespace"})}}}};
  if (const json* labels = JsonAt(pod, {"metadata", "labels"}); labels != nullptr) isvc["metadata"]["labels"] = *labels;
  return isvc;
}

// The object `text` (JSON, which is YAML) holds, read as lint reads a manifest.
struct ReadObject {
  std::vector<yaml::Document> docs;
  std::optional<ObjectRef> object;
};
ReadObject Read(const json& j, const std::string& ns) {
  ReadObject r;
  auto docs = yaml::ReadAll("<cluster>", JsonDump(j));
  if (!docs || docs->empty()) return r;
  r.docs = std::move(*docs);
  auto objects = ObjectsOf(r.docs.front().root(), ns).objects;
  if (!objects.empty()) r.object = objects.front();
  return r;
}

// `key` holds the boolean true (a value of another type is absent, never an exception).
bool IsTrue(const json& object, const char* key) {
  const json* v = JsonAt(object, {key});
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

// Deployment/NAME for a pod of a ReplicaSet that a Deployment made (its name is the
// Deployment's plus the pod-template-hash); the controlling owner otherwise; the pod itself last.
std::string WorkloadOf(const json& pod) {
  std::string isvc = JsonStringOr(pod, {"metadata", "labels", kInferenceServiceLabel});
  if (!isvc.empty()) return "InferenceService/" + isvc;
  if (const json* owners = JsonAt(pod, {"metadata", "ownerReferences"}); owners != nullptr && owners->is_array()) {
    for (const auto& o : *owners) {
      if (!IsTrue(o, "controller")) continue;
      std::string kind = JsonStringOr(o, {"kind"}), name = JsonStringOr(o, {"name"});
      std::string hash = JsonStringOr(pod, {"metadata", "labels", "pod-template-hash"});
      if (kind == "ReplicaSet" && !hash.empty() && name.size() > hash.size() + 1 &&
          name.compare(name.size() - hash.size() - 1, std::string::npos, "-" + hash) == 0) {
        return "Deployment/" + name.substr(0, name.size() - hash.size() - 1);
      }
      return kind + "/" + name;
    }
  }
  return "Pod/" + JsonStringOr(pod, {"metadata", "name"});
}

bool Ready(const json& pod) {
  const json* conds = JsonAt(pod, {"status", "conditions"});
  if (conds == nullptr || !conds->is_array()) return false;
  return std::any_of(conds->begin(), conds->end(), [](const json& c) {
    return JsonStringOr(c, {"type"}) == "Ready" && JsonStringOr(c, {"status"}) == "True";
  });
}

// verify-and-fetch's flags that take no value (verifier/options.cc): every other flag written
// without `=` takes the next argument.
bool IsBooleanFlag(const std::string& a) {
  static constexpr std::array<const char*, 7> kFlags = {"--allow-any-identity",
                                                        "--allow-insecure-http",
                                                        "--insecure-skip-tls-verify",
                                                        "--anonymous",
                                                        "--allow-unpinned-revision",
                                                        "--help",
                                                        "--version"};
  return std::find(kFlags.begin(), kFlags.end(), a) != kFlags.end();
}

// The artifact the verifier container is told to fetch: AEGIS_ARTIFACT, else its first
// positional argument.
std::string ArtifactOf(const json& container) {
  if (const json* env = JsonAt(container, {"env"}); env != nullptr && env->is_array()) {
    for (const auto& e : *env) {
      if (JsonStringOr(e, {"name"}) == "AEGIS_ARTIFACT") return JsonStringOr(e, {"value"});
    }
  }
  const json* args = JsonAt(container, {"args"});
  if (args == nullptr || !args->is_array()) return {};
  bool value_next = false, positional = false;  // positional: after "--"
  for (const auto& a : *args) {
    if (!a.is_string()) return {};
    const std::string& s = a.get_ref<const std::string&>();
    if (value_next) {
      value_next = false;
    } else if (!positional && s == "--") {
      positional = true;
    } else if (!positional && s.size() > 1 && s[0] == '-') {
      value_next = s.find('=') == std::string::npos && !IsBooleanFlag(s);
    } else {
      return s;
    }
  }
  return {};
}

// The init container status named `name`, or nullptr.
const json* InitStatus(const json& pod, const std::string& name) {
  const json* statuses = JsonAt(pod, {"status", "initContainerStatuses"});
  if (statuses == nullptr || !statuses->is_array()) return nullptr;
  for (const auto& s : *statuses) {
    if (JsonStringOr(s, {"name"}) == name) return &s;
  }
  return nullptr;
}

// One line: a termination message may span several (the kubelet keeps it as written).
std::string OneLine(std::string s) {
  std::replace_if(
      s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The verifier's state from its container status: the current run, else (restarting after a
// failure: Init:Error, Init:CrashLoopBackOff) the last one.
void ReadVerifierStatus(const json& status, ServedModel& m) {
  const json* now = JsonAt(status, {"state", "terminated"});
  const json* last = JsonAt(status, {"lastState", "terminated"});
  const json* t = now != nullptr ? now : last;
  if (t == nullptr || !t->is_object()) {
    m.state = State::kVerifying;
    return;
  }
  int code = t->contains("exitCode") && (*t)["exitCode"].is_number_integer() ? (*t)["exitCode"].get<int>() : -1;
  std::string message = JsonStringOr(*t, {"message"});
  if (code != 0) {
    m.state = State::kFailed;
    m.exit_code = code;
    m.reason = OneLine(message.empty() ? JsonStringOr(*t, {"reason"}) : message);
    return;
  }
  if (now == nullptr) {  // the last run succeeded and the verifier runs again (a restarted pod)
    m.state = State::kVerifying;
    return;
  }
  m.state = State::kVerified;
  json record = json::parse(message, nullptr, false);  // a record of other shapes is no record
  if (!IsTrue(record, "verified")) return;             // no record (an older verifier), or not one
  m.digest = JsonStringOr(record, {"digest"});
  m.verified_at = JsonStringOr(record, {"verifiedAt"});
  if (std::string artifact = JsonStringOr(record, {"artifact"}); !artifact.empty()) m.model = artifact;
  if (const json* signer = JsonAt(record, {"signer"}); signer != nullptr && signer->is_object()) m.signer = *signer;
}

}  // namespace

const char* StateName(State s) {
  switch (s) {
    case State::kVerified: return "Verified";
    case State::kFailed: return "Failed";
    case State::kVerifying: return "Verifying";
    case State::kNoVerifier: return "NoVerifier";
  }
  return "?";
}

std::optional<ServedModel> Describe(const json& pod, const Labels& namespace_labels,
                                    const std::vector<Constraint>& constraints) {
  std::string ns = JsonStringOr(pod, {"metadata", "namespace"});
  ReadObject read = Read(pod, ns);
  if (!read.object) return std::nullopt;
  std::vector<const Constraint*> by = Selecting(*read.object, namespace_labels, constraints);
  std::string isvc = JsonStringOr(pod, {"metadata", "labels", kInferenceServiceLabel});
  if (!isvc.empty()) {
    ReadObject owner = Read(InferenceServiceOf(pod, isvc), ns);
    if (owner.object) {
      for (const Constraint* c : Selecting(*owner.object, namespace_labels, constraints)) {
        if (std::find(by.begin(), by.end(), c) == by.end()) by.push_back(c);
      }
    }
  }
  if (by.empty()) return std::nullopt;
  ServedModel m;
  m.namespace_ = ns;
  m.pod = JsonStringOr(pod, {"metadata", "name"});
  m.workload = WorkloadOf(pod);
  m.component = JsonStringOr(pod, {"metadata", "labels", "component"});
  m.ready = Ready(pod);
  for (const Constraint* c : by) m.constraints.push_back(c->name);
  // The verifier is the initContainer the selecting constraints accept as such.
  const yaml::Node* spec = read.object->root->Get("spec");
  for (const Constraint* c : by) {
    if (const yaml::Node* v = VerifierContainer(spec, c->parameters)) {
      const yaml::Node* name = v->Get("name");
      if (name != nullptr && name->AsString()) m.verifier = std::string(*name->AsString());
      break;
    }
  }
  if (m.verifier.empty()) {
    m.state = State::kNoVerifier;
    return m;
  }
  if (const json* inits = JsonAt(pod, {"spec", "initContainers"}); inits != nullptr && inits->is_array()) {
    for (const auto& c : *inits) {
      if (JsonStringOr(c, {"name"}) == m.verifier) m.model = ArtifactOf(c);
    }
  }
  const json* st = InitStatus(pod, m.verifier);
  if (st == nullptr) {
    m.state = State::kVerifying;
    return m;
  }
  ReadVerifierStatus(*st, m);
  return m;
}

std::string SignerText(const json& signer) {
  std::string identity = JsonStringOr(signer, {"identity"});
  if (!identity.empty()) return fmt::format("{} ({})", identity, JsonStringOr(signer, {"issuer"}));
  std::string fingerprint = JsonStringOr(signer, {"keyFingerprint"});
  if (!fingerprint.empty()) return "key " + fingerprint;
  return JsonStringOr(signer, {"key"});
}

}  // namespace aegis::status
