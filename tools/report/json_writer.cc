#include "report/json_writer.h"

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

namespace aegis {
namespace {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      auto b = static_cast<unsigned char>(s[i + k]);
      unsigned char want_lo = k == 1 ? lo : 0x80, want_hi = k == 1 ? hi : 0xBF;
      if (b < want_lo || b > want_hi) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

std::string JsonString(std::string_view s) {
  // Invalid UTF-8 is rare (a file in another encoding); nlohmann itself decides how it is replaced.
  if (!ValidUtf8(s))
    return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xF]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

void JsonWriter::Indent(size_t depth) {
  static constexpr std::string_view kSpaces = "                                                                ";
  size_t n = 2 * depth;
  while (n > 0) {
    size_t k = std::min(n, kSpaces.size());
    out_ << kSpaces.substr(0, k);
    n -= k;
  }
}

void JsonWriter::BeforeValue() {
  if (levels_.empty() || !levels_.back().array) return;  // the top, or after a key
  out_ << (levels_.back().empty ? "\n" : ",\n");
  levels_.back().empty = false;
  Indent(levels_.size());
}

void JsonWriter::Open(bool array) {
  BeforeValue();
  out_ << (array ? '[' : '{');
  levels_.push_back(Level{array});
}

JsonWriter& JsonWriter::Object() {
  Open(false);
  return *this;
}

JsonWriter& JsonWriter::Array() {
  Open(true);
  return *this;
}

JsonWriter& JsonWriter::End() {
  Level level = levels_.back();
  levels_.pop_back();
  if (!level.empty) {
    out_ << '\n';
    Indent(levels_.size());
  }
  out_ << (level.array ? ']' : '}');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  out_ << (levels_.back().empty ? "\n" : ",\n");
  levels_.back().empty = false;
  Indent(levels_.size());
  out_ << JsonString(key) << ": ";
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  out_ << JsonString(s);
  return *this;
}

JsonWriter& JsonWriter::Number(uint64_t n) {
  BeforeValue();
  out_.Format("{}", n);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  out_ << (b ? "true" : "false");
  return *this;
}

}  // namespace aegis
