// Writes the YAML that render inserts: a small node model whose scalars are rendered once
// (plain when that is unambiguous, else double-quoted), emitted as block or flow text in
// the indentation style of the file being edited.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aegis::render {

struct YEntry;

struct YNode {
  enum class Kind { kScalar, kMap, kSeq };
  Kind kind = Kind::kScalar;
  bool flow = false;  // emit {…}/[…] inline
  std::string text;   // scalar, already rendered as YAML
  std::string json;   // the same scalar as JSON
  std::vector<YEntry> map;
  std::vector<YNode> seq;
};

struct YEntry {
  std::string key;
  YNode value;
};

YNode Str(std::string_view s);     // plain if unambiguous, else quoted
YNode Quoted(std::string_view s);  // always double-quoted
YNode Raw(std::string_view text);  // numbers, booleans
YNode Octal(unsigned value);       // file modes: 0444 in YAML, 292 in JSON
YNode Map(std::vector<std::pair<std::string, YNode>> entries, bool flow = false);
YNode Seq(std::vector<YNode> items, bool flow = false);

struct Style {
  size_t map_step = 2;     // indentation of a nested mapping
  size_t seq_indent = 0;   // columns between a key and the '-' of its block sequence
  size_t item_offset = 2;  // columns between '-' and the item's content
  std::string eol = "\n";
};

// `key: value` lines at `indent` columns.
std::string EmitKey(const std::string& key, const YNode& value, size_t indent, const Style& s);
// One `- item` of a block sequence whose '-' sits at `dash` columns.
std::string EmitItem(const YNode& item, size_t dash, const Style& s);
// Flow text ({…}, […] or the scalar) for insertion into a flow collection.
std::string EmitFlow(const YNode& n);
// The same as JSON (keys quoted), for files written in JSON.
std::string EmitJson(const YNode& n);
// JSON spread over lines as a formatter writes it (one entry per line, `step` more columns
// per level, closing bracket at `indent`); flow nodes stay on one line. The first line is not
// indented (it follows a key or starts an item).
std::string EmitJsonLines(const YNode& n, size_t indent, size_t step, const std::string& eol);

}  // namespace aegis::render
