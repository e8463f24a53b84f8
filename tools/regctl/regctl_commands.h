#ifndef TOOLS_REGCTL_REGCTL_COMMANDS_H_
#define TOOLS_REGCTL_REGCTL_COMMANDS_H_

// regctl's command table: every command, its usage and its flags with what each means
// for it. `regctl help CMD` is the reference the docs point at.

#include "tools/regctl/command_table.h"

namespace regulation::regctl {

// The one table; built once, never destroyed.
const CommandTable& RegctlCommands();

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_REGCTL_COMMANDS_H_
