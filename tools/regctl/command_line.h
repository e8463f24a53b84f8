#ifndef TOOLS_REGCTL_COMMAND_LINE_H_
#define TOOLS_REGCTL_COMMAND_LINE_H_

// Reads a regctl command line before absl parses it, to learn which flags it sets, which
// words are the command and its arguments, and whether it asks for help, so that the
// command table (command_table.h) can check the flags per command and print per-command
// help. absl::ParseCommandLine still parses the values afterwards.
//
// Forms understood, as absl does: --name=value, --name value (for a flag that is not
// boolean), --name and --noname (booleans); one dash works like two; after "--" every
// word is an argument.
//
// Thread safety: a stateless function.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace regulation::regctl {

enum class FlagKind {
  kUnknown,  // no flag of that name is defined
  kBool,     // takes no separate value word
  kValue,    // --name value consumes the next word
};

struct ScannedCommandLine {
  // Defined flags that are set, as named (without dashes; "noall" is recorded as "all").
  std::vector<std::string> flags;
  // Flags that are not defined, as written ("--bogus=1").
  std::vector<std::string> unknown_flags;
  // Everything else: the command, its verb and arguments.
  std::vector<std::string> positional;
  // --help, -help, --h or -h.
  bool help = false;
};

// `args` is the command line without the program name; `kind` says what a name is.
ScannedCommandLine ScanCommandLine(const std::vector<std::string>& args,
                                   const std::function<FlagKind(absl::string_view)>& kind);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_COMMAND_LINE_H_
