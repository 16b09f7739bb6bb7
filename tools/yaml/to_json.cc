#include "yaml/to_json.h"

#include <cerrno>
#include <cstdlib>

namespace aegis::yaml {
namespace {

constexpr int kMaxDepth = 1000;

nlohmann::json Scalar(const Node* n) {
  if (n->IsString()) return n->scalar();
  if (auto b = n->AsBool()) return *b;
  const std::string& s = n->scalar();
  errno = 0;
  char* end = nullptr;
  long long i = std::strtoll(s.c_str(), &end, 0);
  if (errno == 0 && end != nullptr && *end == '\0' && s.find_first_of(".eEnN") == std::string::npos) return i;
  if (s.starts_with("0o")) return std::strtoll(s.c_str() + 2, nullptr, 8);
  double d = std::strtod(s.c_str(), &end);
  if (end != nullptr && *end == '\0') return d;
  return s;  // .inf/.nan have no JSON form: keep the text
}

nlohmann::json Convert(const Node* n, int depth) {
  if (n == nullptr || n->IsNull() || depth > kMaxDepth) return nullptr;
  if (n->IsScalar()) return Scalar(n);
  if (n->IsSequence()) {
    nlohmann::json arr = nlohmann::json::array();
    for (const Node* item : n->items()) arr.push_back(Convert(item, depth + 1));
    return arr;
  }
  nlohmann::json obj = nlohmann::json::object();
  // Merge keys first (earlier sources win), then explicit keys override them.
  for (size_t i = 0; i < n->pair_count(); ++i) {
    const Node* k = n->key_at(i);
    if (!(k->IsScalar() && k->style() == ScalarStyle::kPlain && k->scalar() == "<<")) continue;
    const Node* v = n->value_at(i);
    std::vector<const Node*> sources = v->IsSequence() ? v->items() : std::vector<const Node*>{v};
    for (auto it = sources.rbegin(); it != sources.rend(); ++it) {
      nlohmann::json merged = Convert(*it, depth + 1);
      if (merged.is_object()) obj.update(merged);  // walking backwards: earlier sources overwrite
    }
  }
  for (size_t i = 0; i < n->pair_count(); ++i) {
    const Node* k = n->key_at(i);
    if (k->IsScalar() && k->style() == ScalarStyle::kPlain && k->scalar() == "<<") continue;
    obj[k->IsScalar() ? k->scalar() : std::string()] = Convert(n->value_at(i), depth + 1);
  }
  return obj;
}

}  // namespace

nlohmann::json ToJson(const Node* node) { return Convert(node, 0); }

}  // namespace aegis::yaml
