// The injector's care for a verifier that exists already: brought to what the flags and
// annotations say (image, artifact, hardening), and the verifier's storage settings.
#include <fmt/format.h>

#include "render/injector_impl.h"

namespace aegis::render::internal {

Status Injector::ReconcileVerifier(const PodSpecRef& ps, const Node* verifier, const std::string& where) {
  // The image, when --image says which.
  if (const Node* image = verifier->Get("image"); s_.image_given && image != nullptr && image->AsString() &&
                                                   *image->AsString() != s_.image) {
    out_.notes.push_back({image->mark(), fmt::format("{}: verifier image {} → {}", where, image->scalar(), s_.image)});
    if (auto st = editor_.ReplaceScalar(image, EmitFlow(Quoted(s_.image))); !st) return st;
  }
  // The artifact: verify-and-fetch's positional <artifact> <dest-dir> are the last two args.
  const Node* args = verifier->Get("args");
  if (args != nullptr && args->IsSequence() && args->size() >= 2) {
    const Node* artifact_node = args->at(args->size() - 2);
    auto current = artifact_node->AsString();
    auto wanted = current && !current->starts_with("-") ? Artifact(ps) : Expected<std::string>(std::string());
    if (wanted && !wanted->empty() && *wanted != *current) {
      out_.notes.push_back(
          {artifact_node->mark(), fmt::format("{}: verifier artifact {} → {}", where, *current, *wanted)});
      if (auto st = editor_.ReplaceScalar(artifact_node, EmitFlow(Quoted(*wanted))); !st) return st;
    }
  }
  // The hardening every injected verifier has (an older render's output lacks seccompProfile).
  const Node* sc = verifier->Get("securityContext");
  if (sc == nullptr || !sc->IsMapping()) return Ok{};
  struct Want {
    const char* key;
    YNode value;
    const char* text;  // the scalar, for a value to correct
  };
  std::vector<Want> wants = {{"runAsNonRoot", Raw("true"), "true"},
                             {"allowPrivilegeEscalation", Raw("false"), "false"},
                             {"readOnlyRootFilesystem", Raw("true"), "true"},
                             {"capabilities", Map({{"drop", Seq({Quoted("ALL")}, true)}}), nullptr},
                             {"seccompProfile", Map({{"type", Str("RuntimeDefault")}}, true), nullptr}};
  if (s_.fixed_uid) wants.push_back({"runAsUser", Raw("65532"), nullptr});
  for (const Want& w : wants) {
    const Node* have = sc->Get(w.key);
    if (have == nullptr) {
      out_.notes.push_back({sc->mark(), fmt::format("{}: verifier securityContext.{} added", where, w.key)});
      if (auto st = editor_.InsertKey(sc, w.key, w.value); !st) return st;
    } else if (w.text != nullptr && have->IsScalar() && have->scalar() != w.text) {
      out_.notes.push_back({have->mark(), fmt::format("{}: verifier securityContext.{} {} → {}", where, w.key,
                                                      have->scalar(), w.text)});
      if (auto st = editor_.ReplaceScalar(have, w.text); !st) return st;
    }
  }
  if (const Node* uid = sc->Get("runAsUser"); !s_.fixed_uid && uid != nullptr) {
    out_.notes.push_back({uid->mark(), fmt::format("{}: verifier securityContext.runAsUser removed (--no-run-as-user)", where)});
    if (auto st = editor_.DeleteKeyLine(sc, "runAsUser"); !st) return st;
  }
  return Ok{};
}

Status Injector::StorageSettings(const PodSpecRef& ps, const Node* verifier, const std::string& where) {
  if (!s_.service_account.empty()) {
    const Node* sa = ps.spec->Get("serviceAccountName");
    if (sa == nullptr) {
      out_.notes.push_back({ps.spec->mark(), fmt::format("{}: serviceAccountName {}", where, s_.service_account)});
      if (auto st = editor_.InsertKey(ps.spec, "serviceAccountName", Str(s_.service_account)); !st) return st;
    } else if (sa->AsString() != std::optional<std::string_view>(s_.service_account)) {
      out_.notes.push_back({sa->mark(), fmt::format("{}: serviceAccountName {} → {}", where, sa->scalar(), s_.service_account)});
      if (auto st = editor_.ReplaceScalar(sa, EmitFlow(Str(s_.service_account))); !st) return st;
    }
  }
  if (s_.env_from_secret.empty() || verifier == nullptr) return Ok{};  // a new verifier has it already
  const Node* env_from = verifier->Get("envFrom");
  if (env_from != nullptr && env_from->IsSequence()) {
    for (const Node* e : env_from->items()) {
      if (StringAt(e->IsMapping() ? e->Get("secretRef") : nullptr, "name") == std::optional<std::string_view>(s_.env_from_secret)) {
        return Ok{};
      }
    }
  }
  out_.notes.push_back({verifier->mark(), fmt::format("{}: verifier envFrom secret {}", where, s_.env_from_secret)});
  return editor_.AddToList(verifier, "envFrom", {Map({{"secretRef", Map({{"name", Str(s_.env_from_secret)}}, true)}})});
}

}  // namespace aegis::render::internal
