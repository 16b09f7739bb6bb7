#include "cli/command_line.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/strings.h"

namespace aegis::cli {
namespace {

// Levenshtein distance, for short words.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

const std::vector<std::string_view>& AllCommandNames() {
  static const std::vector<std::string_view> kNames = {"init",   "lint", "render", "policy", "sign",
                                                       "verify", "pack", "canary", "status"};
  return kNames;
}

std::vector<std::string> RewriteHelp(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (args.size() >= 2 && args[1] == "help") {
    args.erase(args.begin() + 1);
    args.push_back("--help");
  }
  return args;
}

std::optional<std::string> UnknownCommandError(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[1].starts_with("-")) return std::nullopt;
  const std::string& word = args[1];
  const auto& names = AllCommandNames();
  if (std::find(names.begin(), names.end(), word) != names.end()) return std::nullopt;
  std::string_view nearest;
  size_t best = 3;  // at most two edits away, or a prefix
  for (std::string_view name : names) {
    size_t d = name.starts_with(word) ? 1 : Distance(word, name);
    if (d < best) {
      best = d;
      nearest = name;
    }
  }
  std::string hint = nearest.empty() ? "" : fmt::format("; did you mean \"{}\"?", nearest);
  return fmt::format("unknown command \"{}\"{}\nCommands: {}\nRun 'aegis --help' for what each does, 'aegis help COMMAND' for its flags.",
                     Printable(word), hint, fmt::join(names, ", "));
}

}  // namespace aegis::cli
