#ifndef TOOLS_REGCTL_RECUSAL_COMMAND_H_
#define TOOLS_REGCTL_RECUSAL_COMMAND_H_

// Recusal requests (回避申请) and an enterprise's own draws, from the command line
// (InspectionService; docs/api.md):
//   regctl recusal request PLAN_ID --inspector_id=ID --grounds=TEXT   an enterprise, before the commit
//   regctl recusal grant PLAN_ID RECUSAL_ID --reason=TEXT             the plan's agency
//   regctl recusal refuse PLAN_ID RECUSAL_ID --reason=TEXT            the plan's agency
//   regctl recusal list [PLAN_ID] [--credit_code=C]                   every page
//   regctl my-draws [--credit_code=C]   the rounds that drew the enterprise, for its self-check
// Each write carries a fresh request id, so a retried call is applied once.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct RecusalOptions {
  std::string inspector_id;
  std::string grounds;
  std::string reason;
  std::string credit_code;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is "recusal" or "my-draws", then the verb and its arguments. Exit codes as in
// connection.h.
int RunRecusalCommand(const std::vector<std::string>& args, const RecusalOptions& options,
                      const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_RECUSAL_COMMAND_H_
