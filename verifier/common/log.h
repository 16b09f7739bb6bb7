// verify-and-fetch's log: human lines or one JSON object per line (`ts`, `level`, `event`,
// fields) on stderr. Secrets never reach it by construction; as a second line of defence
// every value the logger is told is secret is masked in whatever it writes.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace aegis::verifier {

// Field values keep their JSON type: numbers and booleans are written as such.
using Fields = std::vector<std::pair<std::string, nlohmann::json>>;

class Logger {
 public:
  explicit Logger(std::ostream& out, bool json = false) : out_(out), json_(json) {}

  void Info(const std::string& event, const Fields& fields = {}) { Write("info", event, fields); }
  void Warn(const std::string& event, const Fields& fields = {}) { Write("warn", event, fields); }
  void Error(const std::string& event, const Fields& fields = {}) { Write("error", event, fields); }

  // Values that must never be written (tokens, secret keys); short values are ignored.
  void AddSecret(const std::string& value);
  // `text` with every registered secret replaced by "***".
  std::string Mask(std::string text) const;

 private:
  void Write(const char* level, const std::string& event, const Fields& fields);

  std::ostream& out_;
  bool json_;
  std::vector<std::string> secrets_;
};

}  // namespace aegis::verifier
