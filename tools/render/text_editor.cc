#include "render/text_editor.h"

#include <fmt/format.h>

#include "policy/policy_error.h"

namespace aegis::render {

using yaml::Node;

Error TextEditor::Fail(const Node* at, Mark fallback, const std::string& what) const {
  return Error{PolicyError::kInvalid, file_, at != nullptr ? at->mark() : fallback, fmt::format("{}: {}", subject_, what)};
}

Status TextEditor::ReplaceScalar(const Node* scalar, const std::string& text) {
  if (!scalar->IsScalar() || scalar->anchored() || scalar->end_mark().line != scalar->mark().line ||
      scalar->style() == yaml::ScalarStyle::kLiteral || scalar->style() == yaml::ScalarStyle::kFolded) {
    return Fail(scalar, "cannot replace this value safely (edit it by hand)");
  }
  size_t start = idx_.Offset(scalar->mark());
  size_t end = idx_.Offset(scalar->end_mark());
  edits_.push_back({start, end - start, text});
  return Ok{};
}

size_t TextEditor::InsertionPoint(uint32_t line, size_t indent) const {
  while (line > 1 && idx_.IsBlankOrComment(line - 1) && !idx_.Line(line - 1).empty() && idx_.Indent(line - 1) == indent) {
    --line;
  }
  return idx_.LineStart(line);
}

void TextEditor::InsertAfterLine(uint32_t line, std::string text) {
  size_t at = idx_.LineStart(line + 1);
  if (at == text_.size() && at > 0 && !idx_.EndsWithLineBreak() && !eof_broken_) {
    text = style_.eol + text;
    eof_broken_ = true;  // once: later insertions at the end follow this one
  }
  edits_.push_back({at, 0, std::move(text)});
}

Status TextEditor::InsertKey(const Node* map, const std::string& key, const YNode& value) {
  if (map->anchored()) return Fail(map, "cannot edit a mapping that has an anchor (aliases share it)");
  grown_.insert(map);
  if (map->flow() && JsonStyle(map) && StartsLine(map->key_at(0)) && map->key_at(0)->mark().line > map->mark().line) {
    // A JSON object written one entry per line: the new entry gets its own lines, in the
    // file's indentation, before the first entry.
    const Node* first = map->key_at(0);
    size_t indent = first->mark().column - 1;
    size_t outer = idx_.Indent(map->mark().line);
    size_t step = indent > outer ? indent - outer : 2;
    std::string entry = std::string(indent, ' ') + fmt::format("\"{}\": ", key) + EmitJsonLines(value, indent, step, style_.eol) +
                        "," + style_.eol;
    edits_.push_back({idx_.LineStart(first->mark().line), 0, entry});
    return Ok{};
  }
  if (map->flow()) {
    size_t at = idx_.Offset(map->mark()) + 1;  // just after '{'
    std::string entry = JsonStyle(map) ? fmt::format("\"{}\": {}", key, EmitJson(value))
                                       : fmt::format("{}: {}", key, EmitFlow(value));
    edits_.push_back({at, 0, entry + (map->pair_count() > 0 ? ", " : "")});
    return Ok{};
  }
  for (size_t i = 0; i < map->pair_count(); ++i) {
    const Node* k = map->key_at(i);
    if (!StartsLine(k)) continue;
    size_t indent = k->mark().column - 1;
    edits_.push_back({InsertionPoint(k->mark().line, indent), 0, EmitKey(key, value, indent, style_)});
    return Ok{};
  }
  // Every key shares a line with something before it (`- name: x`): add after the last
  // entry when that entry is a one-line scalar.
  const Node* last_key = map->pair_count() > 0 ? map->key_at(map->pair_count() - 1) : nullptr;
  const Node* last = map->pair_count() > 0 ? map->value_at(map->pair_count() - 1) : nullptr;
  if (last != nullptr && (last->IsScalar() || last->IsNull() || last->flow()) &&
      last->end_mark().line == last_key->mark().line) {
    InsertAfterLine(last_key->mark().line, EmitKey(key, value, last_key->mark().column - 1, style_));
    return Ok{};
  }
  return Fail(map, fmt::format("cannot add {}: no key of this mapping starts a line (edit it by hand)", key));
}

Status TextEditor::PrependItems(const Node* seq, const std::vector<YNode>& items) {
  if (seq->anchored()) return Fail(seq, "cannot edit a list that has an anchor (aliases share it)");
  if (seq->flow() && seq->size() > 0 && seq->at(0)->IsMapping() && JsonStyle(seq->at(0)) && StartsLine(seq->at(0)) &&
      seq->at(0)->mark().line > seq->mark().line) {
    // A JSON array written one item per line: each new item on its own lines, first.
    const Node* first = seq->at(0);
    size_t indent = first->mark().column - 1;
    size_t outer = idx_.Indent(seq->mark().line);
    size_t step = indent > outer ? indent - outer : 2;
    std::string text;
    for (const YNode& item : items) text += std::string(indent, ' ') + EmitJsonLines(item, indent, step, style_.eol) + "," + style_.eol;
    edits_.push_back({idx_.LineStart(first->mark().line), 0, text});
    return Ok{};
  }
  if (seq->flow()) {
    bool json = seq->size() > 0 && seq->at(0)->IsMapping() && JsonStyle(seq->at(0));
    std::string text;
    for (const YNode& item : items) text += (json ? EmitJson(item) : EmitFlow(item)) + ", ";
    if (seq->size() == 0) text.resize(text.size() - 2);
    edits_.push_back({idx_.Offset(seq->mark()) + 1, 0, text});
    return Ok{};
  }
  if (!StartsLine(seq)) return Fail(seq, "cannot edit a list whose first '-' does not start a line");
  size_t dash = seq->mark().column - 1;
  Style style = style_;
  if (seq->size() > 0 && seq->at(0)->mark().line == seq->mark().line) {
    style.item_offset = seq->at(0)->mark().column - seq->mark().column;
  }
  std::string text;
  for (const YNode& item : items) text += EmitItem(item, dash, style);
  edits_.push_back({InsertionPoint(seq->mark().line, dash), 0, text});
  return Ok{};
}

Status TextEditor::AddToList(const Node* map, const std::string& key, const std::vector<YNode>& items) {
  const Node* value = map->Get(key);
  const Node* key_node = map->KeyNode(key);
  if (value != nullptr && key_node == nullptr) return Fail(map, fmt::format("{} comes from a merge key (<<)", key));
  if (value == nullptr) return InsertKey(map, key, Seq(items));
  if (value->IsSequence()) return PrependItems(value, items);
  if (!value->IsNull()) return Fail(value, fmt::format("{} is not a list", key));
  // `key:` or `key: null` — replace that line with the filled-in key.
  uint32_t line = key_node->mark().line;
  if (map->flow() || !StartsLine(key_node) || value->end_mark().line > line + 1) {
    return Fail(value, fmt::format("cannot replace the empty {} here (edit it by hand)", key));
  }
  size_t start = idx_.LineStart(line);
  size_t end = idx_.LineStart(line + 1);
  edits_.push_back({start, end - start, EmitKey(key, Seq(items), key_node->mark().column - 1, style_)});
  return Ok{};
}

Status TextEditor::DeleteKeyLine(const Node* map, const std::string& key) {
  // A mapping render adds keys to may lose its last original key.
  bool refilled = grown_.count(map) > 0;
  const Node* key_node = map->KeyNode(key);
  const Node* value = map->Get(key);
  if (key_node == nullptr || value == nullptr) return Ok{};
  uint32_t line = key_node->mark().line;
  bool single_line = (value->IsScalar() || value->flow()) && value->end_mark().line == line;  // `k: v`, `k: [a, b]`
  if (map->flow() && !map->anchored() && single_line && map->pair_count() >= 2) return DeleteFlowPair(key_node, value);
  if (map->flow() || map->anchored() || !StartsLine(key_node) || !single_line || (map->pair_count() < 2 && !refilled)) {
    return Fail(key_node, fmt::format("cannot remove {} safely (edit it by hand)", key));
  }
  size_t start = idx_.LineStart(line);
  edits_.push_back({start, idx_.LineStart(line + 1) - start, ""});
  return Ok{};
}

// `k: v` out of `{a: 1, k: v, b: 2}` (or JSON): the pair and the comma after it, or before it
// when it is the last pair.
Status TextEditor::DeleteFlowPair(const Node* key_node, const Node* value) {
  size_t start = idx_.Offset(key_node->mark());
  size_t end = idx_.Offset(value->end_mark());
  if (start >= end || end > text_.size()) return Fail(key_node, "cannot remove this key safely (edit it by hand)");
  size_t after = end;
  while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
  if (after < text_.size() && text_[after] == ',') {
    ++after;
    while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
    edits_.push_back({start, after - start, ""});
    return Ok{};
  }
  size_t before = start;
  while (before > 0 && (text_[before - 1] == ' ' || text_[before - 1] == '\t')) --before;
  if (before == 0 || text_[before - 1] != ',') return Fail(key_node, "cannot remove this key safely (edit it by hand)");
  edits_.push_back({before - 1, end - (before - 1), ""});
  return Ok{};
}

void TextEditor::DetectStyle(const Node* spec, const Node* parent_key) {
  if (parent_key != nullptr && spec->mark().column > parent_key->mark().column) {
    style_.map_step = spec->mark().column - parent_key->mark().column;
  }
  for (const char* key : {"containers", "initContainers", "volumes"}) {
    const Node* k = spec->KeyNode(key);
    const Node* seq = spec->Get(key);
    if (k == nullptr || seq == nullptr || !seq->IsSequence() || seq->flow() || seq->size() == 0) continue;
    style_.seq_indent = seq->mark().column >= k->mark().column ? seq->mark().column - k->mark().column : 0;
    if (seq->at(0)->mark().line == seq->mark().line) style_.item_offset = seq->at(0)->mark().column - seq->mark().column;
    return;
  }
}


}  // namespace aegis::render
