#include "render/emit.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace aegis::render {
namespace {

bool PlainSafe(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '/' || c == '-' ||
              c == '@' || c == '+';
    if (!ok) return false;
  }
  if (s.front() == '-' || s.front() == '.' || s.front() == '@') return false;
  // Words and numbers YAML would resolve to something other than a string.
  static const char* kReserved[] = {"true", "false", "True", "False", "TRUE", "FALSE", "null", "Null", "NULL",
                                    "yes",  "no",    "Yes",  "No",    "on",   "off",   "y",    "n"};
  for (const char* r : kReserved)
    if (s == r) return false;
  bool numeric = true;
  for (char c : s) numeric = numeric && (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '+');
  return !numeric;
}

std::string Pad(size_t n) { return std::string(n, ' '); }

std::string Block(const YNode& n, size_t indent, const Style& s);

// The value part after "key:" — inline for scalars and flow collections, else on new lines.
std::string Value(const YNode& v, size_t indent, const Style& s) {
  if (v.kind == YNode::Kind::kScalar || v.flow) return " " + EmitFlow(v) + s.eol;
  if (v.kind == YNode::Kind::kMap) {
    if (v.map.empty()) return " {}" + s.eol;
    return s.eol + Block(v, indent + s.map_step, s);
  }
  if (v.seq.empty()) return " []" + s.eol;
  return s.eol + Block(v, indent + s.seq_indent, s);
}

std::string Block(const YNode& n, size_t indent, const Style& s) {
  std::string out;
  if (n.kind == YNode::Kind::kMap) {
    for (const auto& [k, v] : n.map) out += Pad(indent) + k + ":" + Value(v, indent, s);
  } else if (n.kind == YNode::Kind::kSeq) {
    for (const auto& item : n.seq) out += EmitItem(item, indent, s);
  } else {
    out += Pad(indent) + n.text + s.eol;
  }
  return out;
}

}  // namespace

YNode Str(std::string_view s) {
  YNode n = PlainSafe(s) ? Raw(s) : Quoted(s);
  n.json = nlohmann::json(std::string(s)).dump();
  return n;
}
YNode Quoted(std::string_view s) { return Raw(nlohmann::json(std::string(s)).dump()); }
YNode Raw(std::string_view text) {
  YNode n;
  n.text = std::string(text);
  n.json = n.text;
  return n;
}
YNode Octal(unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0%o", value);
  YNode n = Raw(buf);
  n.json = std::to_string(value);
  return n;
}
YNode Map(std::vector<std::pair<std::string, YNode>> entries, bool flow) {
  YNode n;
  n.kind = YNode::Kind::kMap;
  n.flow = flow;
  for (auto& [k, v] : entries) n.map.push_back(YEntry{std::move(k), std::move(v)});
  return n;
}
YNode Seq(std::vector<YNode> items, bool flow) {
  YNode n;
  n.kind = YNode::Kind::kSeq;
  n.flow = flow;
  n.seq = std::move(items);
  return n;
}

std::string EmitKey(const std::string& key, const YNode& value, size_t indent, const Style& s) {
  return Pad(indent) + key + ":" + Value(value, indent, s);
}

std::string EmitItem(const YNode& item, size_t dash, const Style& s) {
  size_t content = dash + s.item_offset;
  std::string lead = Pad(dash) + "-" + Pad(s.item_offset - 1);
  if (item.kind != YNode::Kind::kMap || item.flow || item.map.empty()) return lead + EmitFlow(item) + s.eol;
  std::string body = Block(item, content, s);
  return lead + body.substr(content);  // the first key shares the dash's line
}

std::string EmitFlow(const YNode& n) {
  if (n.kind == YNode::Kind::kScalar) return n.text;
  std::string out = n.kind == YNode::Kind::kMap ? "{" : "[";
  bool first = true;
  if (n.kind == YNode::Kind::kMap) {
    for (const auto& [k, v] : n.map) {
      out += (first ? "" : ", ") + k + ": " + EmitFlow(v);
      first = false;
    }
  } else {
    for (const auto& item : n.seq) {
      out += (first ? "" : ", ") + EmitFlow(item);
      first = false;
    }
  }
  return out + (n.kind == YNode::Kind::kMap ? "}" : "]");
}

std::string EmitJsonLines(const YNode& n, size_t indent, size_t step, const std::string& eol) {
  if (n.kind == YNode::Kind::kScalar || n.flow || (n.map.empty() && n.seq.empty())) return EmitJson(n);
  const std::string inner(indent + step, ' ');
  std::string out = n.kind == YNode::Kind::kMap ? "{" : "[";
  bool first = true;
  for (const auto& [k, v] : n.map) {
    out += (first ? "" : ",") + eol + inner + nlohmann::json(k).dump() + ": " + EmitJsonLines(v, indent + step, step, eol);
    first = false;
  }
  for (const auto& item : n.seq) {
    out += (first ? "" : ",") + eol + inner + EmitJsonLines(item, indent + step, step, eol);
    first = false;
  }
  return out + eol + std::string(indent, ' ') + (n.kind == YNode::Kind::kMap ? "}" : "]");
}

std::string EmitJson(const YNode& n) {
  if (n.kind == YNode::Kind::kScalar) return n.json;
  std::string out = n.kind == YNode::Kind::kMap ? "{" : "[";
  bool first = true;
  for (const auto& [k, v] : n.map) {
    out += (first ? "" : ", ") + nlohmann::json(k).dump() + ": " + EmitJson(v);
    first = false;
  }
  for (const auto& item : n.seq) {
    out += (first ? "" : ", ") + EmitJson(item);
    first = false;
  }
  return out + (n.kind == YNode::Kind::kMap ? "}" : "]");
}

}  // namespace aegis::render
