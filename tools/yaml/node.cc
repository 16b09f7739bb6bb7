#include "yaml/node.h"

#include <cctype>

namespace aegis::yaml {
namespace {

constexpr int kMaxMergeDepth = 16;

bool IsIn(std::string_view s, std::initializer_list<std::string_view> set) {
  for (auto v : set)
    if (s == v) return true;
  return false;
}

bool IsDigits(std::string_view s, bool (*ok)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}

// YAML 1.2 core schema numbers: 12, -3, 0x1F, 0o17, 1.5, -.5e3, .inf, .nan.
bool LooksNumeric(std::string_view s) {
  if (IsIn(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
               ".NaN", ".NAN"}))
    return true;
  if (s.starts_with("0x"))
    return IsDigits(s.substr(2), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  if (s.starts_with("0o")) return IsDigits(s.substr(2), [](char c) { return c >= '0' && c <= '7'; });
  std::string_view t = s;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
  bool digits = false, dot = false, exp = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      if (i + 1 < t.size() && (t[i + 1] == '-' || t[i + 1] == '+')) ++i;
      if (i + 1 >= t.size()) return false;
    } else {
      return false;
    }
  }
  return digits;
}

}  // namespace

std::optional<bool> Node::AsBool() const {
  if (type_ != NodeType::kScalar || style_ != ScalarStyle::kPlain || explicit_string_) return std::nullopt;
  if (IsIn(value_, {"true", "True", "TRUE"})) return true;
  if (IsIn(value_, {"false", "False", "FALSE"})) return false;
  return std::nullopt;
}

bool Node::IsString() const {
  if (type_ != NodeType::kScalar) return false;
  if (style_ != ScalarStyle::kPlain || explicit_string_) return true;
  return !AsBool() && !LooksNumeric(value_);
}

std::optional<std::string_view> Node::AsString() const {
  if (!IsString()) return std::nullopt;
  return std::string_view(value_);
}

const Node* Node::Get(std::string_view key) const { return GetDepth(key, 0); }

const Node* Node::GetDepth(std::string_view key, int depth) const {
  if (type_ != NodeType::kMapping) return nullptr;
  const Node* found = nullptr;
  const Node* merge = nullptr;
  for (size_t i = 0; i + 1 < items_.size(); i += 2) {
    const Node* k = items_[i];
    if (k->type_ != NodeType::kScalar) continue;
    if (k->value_ == key && k->IsString()) found = items_[i + 1];  // last duplicate wins
    if (k->style_ == ScalarStyle::kPlain && k->value_ == "<<") merge = items_[i + 1];
  }
  if (found != nullptr || merge == nullptr || depth >= kMaxMergeDepth) return found;
  // Merge keys: explicit keys win; among merged maps the first listed wins.
  if (merge->type_ == NodeType::kMapping) return merge->GetDepth(key, depth + 1);
  if (merge->type_ == NodeType::kSequence) {
    for (const Node* m : merge->items_) {
      if (const Node* v = m->GetDepth(key, depth + 1)) return v;
    }
  }
  return nullptr;
}

const Node* Node::KeyNode(std::string_view key) const {
  if (type_ != NodeType::kMapping) return nullptr;
  const Node* found = nullptr;
  for (size_t i = 0; i + 1 < items_.size(); i += 2) {
    if (items_[i]->type_ == NodeType::kScalar && items_[i]->value_ == key && items_[i]->IsString()) found = items_[i];
  }
  return found;
}

const Node* Node::Path(std::initializer_list<std::string_view> keys) const {
  const Node* n = this;
  for (auto k : keys) {
    n = n->Get(k);
    if (n == nullptr) return nullptr;
  }
  return n;
}

}  // namespace aegis::yaml
