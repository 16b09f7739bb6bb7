// The command line before CLI11 reads it: `aegis help [COMMAND]`, and a first word that is
// no command (a typo gets a "did you mean", as git and kubectl give one).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aegis::cli {

// Every subcommand's name, in help order (both executables know them all).
const std::vector<std::string_view>& AllCommandNames();

// `aegis help` is `aegis --help`; `aegis help COMMAND …` is `aegis COMMAND --help`.
std::vector<std::string> RewriteHelp(int argc, char** argv);

// The error for a first argument that is neither a flag nor a command, with the nearest
// command when one is close; nullopt when the first argument is fine.
std::optional<std::string> UnknownCommandError(const std::vector<std::string>& args);

}  // namespace aegis::cli
