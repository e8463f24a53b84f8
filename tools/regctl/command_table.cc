#include "tools/regctl/command_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace regulation::regctl {
namespace {

bool Takes(const CommandSpec& command, absl::string_view flag) {
  return std::any_of(command.flags.begin(), command.flags.end(),
                     [&](const FlagHelp& f) { return f.name == flag; });
}

constexpr size_t kLineWidth = 100;

// `text` after `indent` columns, wrapped at spaces so that lines end by kLineWidth.
std::string Wrap(absl::string_view text, size_t indent) {
  std::string out;
  size_t column = indent;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (column > indent && column + 1 + word.size() > kLineWidth) {
      absl::StrAppend(&out, "\n", std::string(indent, ' '));
      column = indent;
    } else if (column > indent) {
      out += ' ';
      ++column;
    }
    absl::StrAppend(&out, word);
    column += word.size();
  }
  return out;
}

// "  --name  help", the help aligned in a column and wrapped onto following lines.
void AppendFlags(const std::vector<FlagHelp>& flags, std::string* out) {
  size_t width = 0;
  for (const FlagHelp& f : flags) width = std::max(width, f.name.size() + 2);
  for (const FlagHelp& f : flags) {
    const std::string name = absl::StrCat("--", f.name);
    absl::StrAppend(out, "  ", name, std::string(width - name.size() + 2, ' '),
                    Wrap(f.help, width + 4), "\n");
  }
}

}  // namespace

CommandTable::CommandTable(std::vector<CommandSpec> commands, std::vector<FlagHelp> global_flags,
                           std::string exit_codes)
    : commands_(std::move(commands)),
      global_flags_(std::move(global_flags)),
      exit_codes_(std::move(exit_codes)) {}

const CommandSpec* CommandTable::Find(absl::string_view name) const {
  for (const CommandSpec& command : commands_) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

bool CommandTable::IsGlobal(absl::string_view flag) const {
  return std::any_of(global_flags_.begin(), global_flags_.end(),
                     [&](const FlagHelp& f) { return f.name == flag; });
}

std::string CommandTable::Overview() const {
  std::string out =
      "the operator's command line for regulatord.\n\n"
      "  regctl [global flags] COMMAND ...\n"
      "  regctl help COMMAND     (or regctl COMMAND --help): its flags and what they mean\n\n"
      "global flags:\n";
  AppendFlags(global_flags_, &out);
  absl::StrAppend(&out, "\ncommands:\n");
  size_t width = 0;
  for (const CommandSpec& command : commands_) width = std::max(width, command.name.size());
  for (const CommandSpec& command : commands_) {
    absl::StrAppend(&out, "  ", command.name, std::string(width - command.name.size() + 2, ' '),
                    command.summary, "\n");
    for (const std::string& usage : command.usage) {
      absl::StrAppend(&out, "      regctl ", usage, "\n");
    }
  }
  absl::StrAppend(&out, "\n", exit_codes_, "\n");
  return out;
}

std::string CommandTable::Help(const CommandSpec& command) const {
  std::string out = absl::StrCat("regctl ", command.name, ": ", command.summary, "\n\nusage:\n");
  for (const std::string& usage : command.usage) absl::StrAppend(&out, "  regctl ", usage, "\n");
  if (!command.flags.empty()) {
    absl::StrAppend(&out, "\nflags:\n");
    AppendFlags(command.flags, &out);
  }
  absl::StrAppend(&out, command.local
                            ? "\nruns locally: no server, so the global connection flags do not "
                              "apply.\n"
                            : "\nand the global flags (regctl --help).\n");
  return out;
}

std::string CommandTable::FlagList(const CommandSpec& command) const {
  if (command.flags.empty()) return "none besides the global ones";
  std::vector<std::string> names;
  for (const FlagHelp& f : command.flags) names.push_back(absl::StrCat("--", f.name));
  return absl::StrJoin(names, ", ");
}

absl::Status CommandTable::CheckFlags(const CommandSpec& command,
                                      const std::vector<std::string>& flags_set) const {
  for (const std::string& flag : flags_set) {
    if (IsGlobal(flag) || Takes(command, flag)) continue;
    std::vector<std::string> owners;
    for (const CommandSpec& other : commands_) {
      if (Takes(other, flag)) owners.push_back(absl::StrCat("regctl ", other.name));
    }
    const std::string whose =
        owners.empty() ? absl::StrCat("--", flag, " is not a regctl flag")
                       : absl::StrCat("--", flag, " is a flag of ", absl::StrJoin(owners, ", "),
                                      ", not of regctl ", command.name);
    return absl::InvalidArgumentError(absl::StrCat(whose, "; regctl ", command.name,
                                                   " takes: ", FlagList(command),
                                                   " (regctl help ", command.name, ")"));
  }
  return absl::OkStatus();
}

}  // namespace regulation::regctl
