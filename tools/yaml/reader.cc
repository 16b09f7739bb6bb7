#include "yaml/reader.h"

#include "yaml/line_breaks.h"

#include <yaml.h>

#include <unordered_map>
#include <vector>

#include <fmt/format.h>

namespace aegis::yaml {

// A collection being built: its node, anchor, weight (nodes it stands for, aliases
// expanded) and where its children start in the builder's child list.
struct OpenCollection {
  Node* node;
  std::string anchor;
  uint64_t weight;
  size_t first_child;  // its children so far are children[first_child…]
};

// The builder's working lists, kept by the reader from one document to the next.
struct BuilderLists {
  std::vector<OpenCollection> stack;
  // The children of every open collection, innermost last: each collection's items are
  // copied out once, at its end.
  std::vector<const Node*> children;
};

// Builds a Document from parser events. Friend of Node/Document.
class DocumentBuilder {
 public:
  DocumentBuilder(const std::string& file, const ReaderLimits& limits, uint32_t first_line, Document& doc,
                  size_t index, BuilderLists& lists)
      : file_(file), limits_(limits), first_line_(first_line), doc_(doc), stack_(lists.stack), children_(lists.children) {
    doc_.index_ = index;
    stack_.clear();
    children_.clear();
  }

  // Empties a document; its nodes become spares for the next one read into it.
  static void Clear(Document& doc) {
    doc.used_ = 0;
    doc.root_ = nullptr;
  }

  // Consumes one event (after DOCUMENT_START). Returns true when the document is complete.
  Expected<bool> Add(const yaml_event_t& ev);

 private:
  Mark ToMark(const yaml_mark_t& m) const {
    return Mark{static_cast<uint32_t>(m.line + 1) + first_line_, static_cast<uint32_t>(m.column + 1)};
  }
  // A fresh node: a spare one of an earlier document (its string and list keep their
  // capacity), else a new one.
  Node& NewNode(const yaml_mark_t& m) {
    Node& n = doc_.used_ < doc_.nodes_.size() ? doc_.nodes_[doc_.used_] : doc_.nodes_.emplace_back();
    ++doc_.used_;
    n.type_ = NodeType::kNull;
    n.style_ = ScalarStyle::kPlain;
    n.explicit_string_ = n.flow_ = n.anchored_ = false;
    n.mark_ = ToMark(m);
    n.end_ = Mark{};
    n.value_.clear();
    n.items_.clear();
    return n;
  }
  Error Fail(const yaml_mark_t& m, std::string msg) const { return Error{ErrorKind::kLimit, file_, ToMark(m), std::move(msg)}; }
  Expected<bool> Attach(const Node* n, uint64_t weight, const char* anchor);

  const std::string& file_;
  const ReaderLimits& limits_;
  uint32_t first_line_;
  Document& doc_;
  std::vector<OpenCollection>& stack_;
  std::vector<const Node*>& children_;
  std::unordered_map<std::string, std::pair<const Node*, uint64_t>> anchors_;
  uint64_t expanded_ = 0;
};

namespace {

std::string_view Str(const yaml_char_t* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

bool IsNullScalar(std::string_view v) {
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

ScalarStyle StyleOf(yaml_scalar_style_t s) {
  switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return ScalarStyle::kSingleQuoted;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return ScalarStyle::kDoubleQuoted;
    case YAML_LITERAL_SCALAR_STYLE: return ScalarStyle::kLiteral;
    case YAML_FOLDED_SCALAR_STYLE: return ScalarStyle::kFolded;
    default: return ScalarStyle::kPlain;
  }
}

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";
constexpr std::string_view kNullTag = "tag:yaml.org,2002:null";

}  // namespace

Expected<bool> DocumentBuilder::Attach(const Node* n, uint64_t weight, const char* anchor) {
  if (anchor != nullptr) anchors_[anchor] = {n, weight};
  if (stack_.empty()) {
    doc_.root_ = n;
    return true;
  }
  OpenCollection& parent = stack_.back();
  children_.push_back(n);
  parent.weight = parent.weight + weight < parent.weight ? UINT64_MAX : parent.weight + weight;
  return false;
}

Expected<bool> DocumentBuilder::Add(const yaml_event_t& ev) {
  switch (ev.type) {
    case YAML_SCALAR_EVENT: {
      Node& n = NewNode(ev.start_mark);
      auto value = std::string_view(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
      auto tag = Str(ev.data.scalar.tag);
      n.style_ = StyleOf(ev.data.scalar.style);
      n.explicit_string_ = tag == kStrTag || tag == "!";
      bool plain = n.style_ == ScalarStyle::kPlain && !n.explicit_string_;
      n.type_ = (plain && IsNullScalar(value)) || tag == kNullTag ? NodeType::kNull : NodeType::kScalar;
      n.value_.assign(value);
      n.end_ = ToMark(ev.end_mark);
      n.anchored_ = ev.data.scalar.anchor != nullptr;
      return Attach(&n, 1, reinterpret_cast<const char*>(ev.data.scalar.anchor));
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      if (stack_.size() >= limits_.max_depth) {
        return Fail(ev.start_mark, fmt::format("nesting deeper than {} levels", limits_.max_depth));
      }
      Node& n = NewNode(ev.start_mark);
      bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
      n.type_ = seq ? NodeType::kSequence : NodeType::kMapping;
      n.flow_ = seq ? ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                    : ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
      auto anchor = Str(seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor);
      n.anchored_ = !anchor.empty();
      stack_.push_back(OpenCollection{&n, std::string(anchor), 1, children_.size()});
      return false;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
      OpenCollection done = std::move(stack_.back());
      stack_.pop_back();
      done.node->end_ = ToMark(ev.end_mark);
      done.node->items_.assign(children_.begin() + static_cast<std::ptrdiff_t>(done.first_child), children_.end());
      children_.resize(done.first_child);
      return Attach(done.node, done.weight, done.anchor.empty() ? nullptr : done.anchor.c_str());
    }
    case YAML_ALIAS_EVENT: {
      auto name = Str(ev.data.alias.anchor);
      auto it = anchors_.find(std::string(name));
      if (it == anchors_.end()) {
        return Fail(ev.start_mark, fmt::format("alias *{} refers to an unknown or unfinished anchor", name));
      }
      uint64_t w = it->second.second;
      expanded_ = expanded_ + w < expanded_ ? UINT64_MAX : expanded_ + w;
      uint64_t allowed = std::max<uint64_t>(limits_.min_alias_expansion, limits_.alias_ratio * doc_.used_);
      if (expanded_ > allowed) {
        return Fail(ev.start_mark, "excessive aliasing: aliases expand to too many nodes (alias bomb?)");
      }
      return Attach(it->second.first, w, nullptr);
    }
    default:
      return false;
  }
}

struct StreamReader::Impl {
  std::string file;
  std::string_view text;
  ReaderLimits limits;
  uint32_t first_line = 0;
  yaml_parser_t parser{};
  bool finished = false;
  size_t next_index = 0;
  BuilderLists lists;

  Error ParserError() const {
    Error e{ErrorKind::kSyntax, file, {}, {}};
    std::string problem = parser.problem != nullptr ? parser.problem : "invalid YAML";
    if (parser.error == YAML_READER_ERROR) {
      // Reader errors only carry a byte offset: find its line and column.
      size_t off = std::min(parser.problem_offset, text.size());
      uint32_t line = 1 + first_line, col = 1;
      for (size_t i = 0; i < off;) {
        if (size_t b = LineBreakAt(text, i); b > 0) {
          ++line;
          col = 1;
          i += b;
          continue;
        }
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
        ++i;
      }
      e.mark = {line, col};
      e.message = fmt::format("invalid input: {} (byte offset {})", problem, off);
      return e;
    }
    e.mark = {static_cast<uint32_t>(parser.problem_mark.line + 1) + first_line,
              static_cast<uint32_t>(parser.problem_mark.column + 1)};
    e.message = fmt::format("invalid YAML: {}", problem);
    if (parser.context != nullptr) {
      e.message += fmt::format(" ({} at line {} column {})", parser.context, parser.context_mark.line + 1 + first_line,
                               parser.context_mark.column + 1);
    }
    return e;
  }
};

StreamReader::StreamReader(std::string file, std::string_view text, ReaderLimits limits, uint32_t first_line)
    : impl_(std::make_unique<Impl>()) {
  impl_->first_line = first_line;
  impl_->file = std::move(file);
  impl_->text = text;
  impl_->limits = limits;
  yaml_parser_initialize(&impl_->parser);
  yaml_parser_set_input_string(&impl_->parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

StreamReader::~StreamReader() { yaml_parser_delete(&impl_->parser); }

Expected<bool> StreamReader::Next(Document& doc) {
  if (impl_->finished) return false;
  DocumentBuilder::Clear(doc);
  std::optional<DocumentBuilder> builder;
  for (;;) {
    yaml_event_t ev;
    if (yaml_parser_parse(&impl_->parser, &ev) == 0) {
      impl_->finished = true;
      return impl_->ParserError();
    }
    struct Guard {
      yaml_event_t* e;
      ~Guard() { yaml_event_delete(e); }
    } guard{&ev};
    switch (ev.type) {
      case YAML_STREAM_END_EVENT:
        impl_->finished = true;
        return false;
      case YAML_DOCUMENT_START_EVENT:
        builder.emplace(impl_->file, impl_->limits, impl_->first_line, doc, impl_->next_index++, impl_->lists);
        break;
      case YAML_DOCUMENT_END_EVENT:
        return true;
      default:
        if (builder) {
          auto r = builder->Add(ev);
          if (!r.ok()) {
            impl_->finished = true;
            return r.error();
          }
        }
    }
  }
}

Expected<std::vector<Document>> ReadAll(const std::string& file, std::string_view text) {
  StreamReader reader(file, text);
  std::vector<Document> docs;
  for (;;) {
    Document d;
    auto r = reader.Next(d);
    if (!r.ok()) return r.error();
    if (!*r) return docs;
    docs.push_back(std::move(d));
  }
}

}  // namespace aegis::yaml
