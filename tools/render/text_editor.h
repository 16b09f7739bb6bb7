// Edits to a YAML text at positions from its parse: new keys and list items in the file's own
// style (block or flow, JSON one entry per line, indentation, line ends), deleted key lines.
// Nothing is rewritten: the edits are insertions and line removals, applied by ApplyEdits.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "render/edit.h"
#include "render/emit.h"
#include "util/expected.h"
#include "yaml/node.h"
#include "yaml/text_index.h"

namespace aegis::render {

class TextEditor {
 public:
  // `file` and `subject` ("Deployment ns/name") name refusals: "subject: what".
  TextEditor(const std::string& file, std::string_view text, const yaml::TextIndex& index)
      : file_(file), text_(text), idx_(index) {
    style_.eol = std::string(idx_.Eol());
  }

  void SetSubject(std::string subject) { subject_ = std::move(subject); }
  Error Fail(const yaml::Node* at, Mark fallback, const std::string& what) const;

  Status InsertKey(const yaml::Node* map, const std::string& key, const YNode& value);
  Status PrependItems(const yaml::Node* seq, const std::vector<YNode>& items);
  Status AddToList(const yaml::Node* map, const std::string& key, const std::vector<YNode>& items);
  // Replaces a one-line scalar with `text` (already emitted: quoted or raw).
  Status ReplaceScalar(const yaml::Node* scalar, const std::string& text);
  // Removes a `key: scalar` line; refused where that is not safe (flow, anchors, the last key).
  Status DeleteKeyLine(const yaml::Node* map, const std::string& key);  // also a pair of a flow map
  // Learns indentation and list style from a pod spec (and the key above it).
  void DetectStyle(const yaml::Node* spec, const yaml::Node* parent_key);

  const Style& style() const { return style_; }
  std::vector<Edit> TakeEdits() { return std::move(edits_); }

 private:
  Status DeleteFlowPair(const yaml::Node* key_node, const yaml::Node* value);
  Error Fail(const yaml::Node* at, const std::string& what) const { return Fail(at, Mark{}, what); }
  bool StartsLine(const yaml::Node* n) const {
    return idx_.Offset(n->mark()) == idx_.LineStart(n->mark().line) + idx_.Indent(n->mark().line);
  }
  // Where to insert lines before `line`: above the comment lines that belong to it.
  size_t InsertionPoint(uint32_t line, size_t indent) const;
  // Inserts whole lines after `line`; a last line without a line break gets one first.
  void InsertAfterLine(uint32_t line, std::string text);
  static bool JsonStyle(const yaml::Node* map) {
    return map->pair_count() > 0 && map->key_at(0)->style() == yaml::ScalarStyle::kDoubleQuoted;
  }

  const std::string& file_;
  std::string_view text_;
  const yaml::TextIndex& idx_;
  std::string subject_;
  Style style_;
  std::vector<Edit> edits_;
  std::set<const yaml::Node*> grown_;  // mappings keys are added to
  bool eof_broken_ = false;            // a line break was added after a last unterminated line
};

}  // namespace aegis::render
