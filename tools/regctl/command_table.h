#ifndef TOOLS_REGCTL_COMMAND_TABLE_H_
#define TOOLS_REGCTL_COMMAND_TABLE_H_

// regctl's commands as data: each command's name, one-line summary, usage lines and its
// own flags, with what each flag means for that command. `regctl --help`, `regctl help
// CMD` and `regctl CMD --help` are rendered from it, and a command line is checked
// against it before anything runs: a flag the command does not take is a usage error that
// lists the flags it does take.
//
// The table holds no runners: flags are read only in regctl_main.cc, which binds a runner
// to every command here (and refuses to start when one is missing).
//
// Thread safety: immutable after construction; const methods may be called from any
// thread.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation::regctl {

// A flag as one command understands it.
struct FlagHelp {
  // Without dashes: "out".
  std::string name;
  // What the flag means for this command (a flag like --out means something else for
  // each command that takes it).
  std::string help;
};

struct CommandSpec {
  // The first word after the global flags: "enterprise", "verify-draw".
  std::string name;
  // One line for the overview.
  std::string summary;
  // Each way to call it, without the leading "regctl ": "enterprise get CREDIT_CODE".
  std::vector<std::string> usage;
  // The flags it takes besides the global ones.
  std::vector<FlagHelp> flags;
  // Runs without a server (pki, synth, verify-draw, ...): the connection flags do not apply.
  bool local = false;
};

class CommandTable {
 public:
  // REQUIRES: command names are unique, and so are the flag names within one command.
  CommandTable(std::vector<CommandSpec> commands, std::vector<FlagHelp> global_flags,
               std::string exit_codes);

  const std::vector<CommandSpec>& commands() const { return commands_; }

  // nullptr when there is no such command.
  const CommandSpec* Find(absl::string_view name) const;

  // `regctl --help`: the global flags, then each command's summary and usage.
  std::string Overview() const;

  // `regctl help CMD`: its usage and each of its flags with what it means here.
  std::string Help(const CommandSpec& command) const;

  // OK when every flag in `flags_set` (names without dashes, as given on the command line)
  // is a global flag or one of `command`'s. Otherwise INVALID_ARGUMENT naming the first
  // flag that is not, the command's flags and, for a flag of another command, that
  // command ("--ca_dir is a flag of regctl pki, not of regctl enterprise; ...").
  absl::Status CheckFlags(const CommandSpec& command,
                          const std::vector<std::string>& flags_set) const;

  // "--a, --b, --c": the flags `command` takes, for messages.
  std::string FlagList(const CommandSpec& command) const;

 private:
  bool IsGlobal(absl::string_view flag) const;

  std::vector<CommandSpec> commands_;
  std::vector<FlagHelp> global_flags_;
  std::string exit_codes_;
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_COMMAND_TABLE_H_
