#ifndef TOOLS_REGCTL_USAGE_ERROR_H_
#define TOOLS_REGCTL_USAGE_ERROR_H_

// How every regctl command reports a wrong command line: the problem, then the command's
// usage lines from the command table (regctl_commands.cc), so that no command keeps a copy
// of its own usage text.
//
// Thread safety: writes to stderr; call from one thread.

#include <initializer_list>

#include "absl/strings/string_view.h"

namespace regulation::regctl {

// Prints "error: MESSAGE", the usage of each of `commands` (names in the command table)
// and "(regctl help COMMAND)" to stderr; returns kExitUsage (2).
int UsageError(std::initializer_list<absl::string_view> commands, absl::string_view message);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_USAGE_ERROR_H_
