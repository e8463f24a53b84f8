#ifndef TOOLS_REGCTL_WITHDRAWAL_COMMAND_H_
#define TOOLS_REGCTL_WITHDRAWAL_COMMAND_H_

// Withdrawal of a published body from the command line (DisclosureService;
// docs/disclosure.md, "Withdrawal"), in two steps by two parties:
//   regctl withdrawal request LOG_INDEX --reason=TEXT --legal_basis=TEXT   (the record's agency)
//   regctl withdrawal approve LOG_INDEX [--comment=TEXT]                  (an admin)
//   regctl withdrawal list [--state=REQUESTED|WITHDRAWN]                  (every page)
// Each write carries a fresh request id, so a retried call is applied once. After the
// approval, `regctl publish` removes the body from the public site.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct WithdrawalOptions {
  std::string reason;
  std::string legal_basis;
  std::string comment;
  std::string state;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is the verb. Exit codes as in connection.h.
int RunWithdrawalCommand(const std::vector<std::string>& args, const WithdrawalOptions& options,
                         const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_WITHDRAWAL_COMMAND_H_
