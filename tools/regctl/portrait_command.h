#ifndef TOOLS_REGCTL_PORTRAIT_COMMAND_H_
#define TOOLS_REGCTL_PORTRAIT_COMMAND_H_

// `regctl portrait get CODE [--as_of=T]` shows a credit portrait, now or as it was;
// `regctl portrait verify [--region_prefix=P]` checks, for every enterprise in scope,
// that the portrait the server keeps up to date equals the one it recomputes from the
// event history (GetPortrait == GetPortraitAsOf at the same moment).

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct PortraitOptions {
  // get: RFC 3339 time, or YYYY-MM-DD for the end of that day in China (now, for
  // today); empty means now.
  std::string as_of;
  // verify: only enterprises whose region code starts with this.
  std::string region_prefix;
  OutputFormat output = OutputFormat::kTable;
};

// Exit codes as in connection.h; verify exits 1 when any portrait differs.
int RunPortraitCommand(const std::vector<std::string>& args, const PortraitOptions& options,
                       const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_PORTRAIT_COMMAND_H_
