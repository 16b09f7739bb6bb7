// An immutable YAML node tree with source marks, built one document at a time.
//
// Aliases are shared, never copied (an alias bomb costs nothing to hold); mapping
// lookups honour merge keys ("<<") and let the last duplicate key win, as Kubernetes'
// YAML decoder does.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace aegis::yaml {

enum class NodeType : uint8_t { kNull, kScalar, kSequence, kMapping };

enum class ScalarStyle : uint8_t { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

class Node {
 public:
  NodeType type() const { return type_; }
  bool IsNull() const { return type_ == NodeType::kNull; }
  bool IsScalar() const { return type_ == NodeType::kScalar; }
  bool IsSequence() const { return type_ == NodeType::kSequence; }
  bool IsMapping() const { return type_ == NodeType::kMapping; }

  // Where the node starts and ends in its file (1-based; column in characters).
  const Mark& mark() const { return mark_; }
  const Mark& end_mark() const { return end_; }
  ScalarStyle style() const { return style_; }
  bool flow() const { return flow_; }          // a {…} or […] collection
  bool anchored() const { return anchored_; }  // has an &anchor (aliases may share it)

  // Raw scalar text (empty for collections and null).
  const std::string& scalar() const { return value_; }
  // True for a scalar that resolves to a string (quoted, !!str, or a plain scalar
  // that is not a bool, number or null under the YAML 1.2 core schema).
  bool IsString() const;
  // Some(value) for a scalar that resolves to a boolean.
  std::optional<bool> AsBool() const;
  // The scalar text when IsString(), else nullopt.
  std::optional<std::string_view> AsString() const;

  // Sequence access.
  size_t size() const { return type_ == NodeType::kSequence ? items_.size() : 0; }
  const Node* at(size_t i) const { return items_[i]; }
  const std::vector<const Node*>& items() const { return items_; }

  // Mapping access: the value for `key` (a string key), or nullptr.
  const Node* Get(std::string_view key) const;
  // The key node of an explicit entry (merge keys are not searched), or nullptr.
  const Node* KeyNode(std::string_view key) const;
  // Walks a path of mapping keys; nullptr as soon as a step is missing.
  const Node* Path(std::initializer_list<std::string_view> keys) const;
  // Mapping entries as (key, value) pairs, in source order, merge keys unexpanded.
  size_t pair_count() const { return type_ == NodeType::kMapping ? items_.size() / 2 : 0; }
  const Node* key_at(size_t i) const { return items_[2 * i]; }
  const Node* value_at(size_t i) const { return items_[2 * i + 1]; }

 private:
  friend class DocumentBuilder;
  const Node* GetDepth(std::string_view key, int depth) const;

  NodeType type_ = NodeType::kNull;
  ScalarStyle style_ = ScalarStyle::kPlain;
  bool explicit_string_ = false;  // tagged !!str
  bool flow_ = false;
  bool anchored_ = false;
  Mark mark_;
  Mark end_;
  std::string value_;
  std::vector<const Node*> items_;  // sequence items, or key,value,key,value…
};

// One YAML document: owns its nodes.
class Document {
 public:
  // Move-only: nodes point at each other, so a copy would dangle. Reading the next document
  // into the same Document reuses its nodes' storage (strings, item lists): a stream of
  // similar documents allocates little after its first.
  Document() = default;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  Document(Document&&) = default;
  Document& operator=(Document&&) = default;

  const Node* root() const { return root_; }
  // Zero-based index of the document in its stream.
  size_t index() const { return index_; }

 private:
  friend class DocumentBuilder;
  std::deque<Node> nodes_;  // nodes_[0…used_) are this document's; the rest are spare
  size_t used_ = 0;
  const Node* root_ = nullptr;
  size_t index_ = 0;
};

}  // namespace aegis::yaml
