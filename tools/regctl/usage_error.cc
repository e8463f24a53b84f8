#include "tools/regctl/usage_error.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "tools/regctl/regctl_commands.h"

namespace regulation::regctl {

int UsageError(std::initializer_list<absl::string_view> commands, absl::string_view message) {
  std::string text = absl::StrCat("error: ", message, "\n");
  const char* label = "usage: ";
  for (absl::string_view name : commands) {
    const CommandSpec* command = RegctlCommands().Find(name);
    if (command == nullptr) continue;
    for (const std::string& usage : command->usage) {
      absl::StrAppend(&text, label, "regctl ", usage, "\n");
      label = "       ";
    }
  }
  if (commands.size() > 0) absl::StrAppend(&text, "(regctl help ", *commands.begin(), ")\n");
  std::fputs(text.c_str(), stderr);
  return 2;  // kExitUsage (connection.h)
}

}  // namespace regulation::regctl
