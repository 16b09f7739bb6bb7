// JSON written as it goes, to a ReportStream, laid out byte for byte as nlohmann::json's
// dump(2) lays out a document (two-space indent, "key": value, [] and {} when empty, strings with
// invalid UTF-8 replaced by U+FFFD): the JSON and SARIF reports kept their bytes when they
// stopped building a document. Keys are written in the order given; the reports give them
// sorted, as nlohmann's std::map-backed objects wrote them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "report/report_stream.h"

namespace aegis {

class JsonWriter {
 public:
  explicit JsonWriter(ReportStream& out) : out_(out) {}

  JsonWriter& Object();
  JsonWriter& Array();
  JsonWriter& End();  // of the innermost object or array
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view s);
  JsonWriter& Number(uint64_t n);
  JsonWriter& Bool(bool b);

  // "key": value, in one call.
  JsonWriter& Field(std::string_view key, std::string_view s) { return Key(key).String(s); }
  JsonWriter& Field(std::string_view key, const char* s) { return Key(key).String(s); }
  JsonWriter& Field(std::string_view key, uint64_t n) { return Key(key).Number(n); }
  JsonWriter& Field(std::string_view key, bool b) { return Key(key).Bool(b); }

 private:
  struct Level {
    bool array;
    bool empty = true;
  };
  void BeforeValue();
  void Open(bool array);
  void Indent(size_t depth);

  ReportStream& out_;
  std::vector<Level> levels_;
};

// `s` as a JSON string literal, quotes included, as nlohmann::json dumps it (ensure_ascii off,
// invalid UTF-8 replaced).
std::string JsonString(std::string_view s);

}  // namespace aegis
