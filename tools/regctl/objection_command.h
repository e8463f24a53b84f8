#ifndef TOOLS_REGCTL_OBJECTION_COMMAND_H_
#define TOOLS_REGCTL_OBJECTION_COMMAND_H_

// Objections (异议) to published results from the command line (DisclosureService;
// docs/disclosure.md, "Objections"):
//   regctl objection file RESULT_ID --credit_code=C --grounds=TEXT [--evidence=REF,...]
//                                                       the enterprise (its own code)
//   regctl objection answer OBJECTION_ID --decision=upheld|rejected --reason=TEXT
//       [--category=C --findings=T --follow_up=T --inspection_end=YYYY-MM-DD]
//                                                       the result's agency; upheld needs
//                                                       the corrected content
//   regctl objection get OBJECTION_ID [--credit_code=C]
//   regctl objection list [--credit_code=C] [--state=open|upheld|rejected] [--overdue]
// Each write carries a fresh request id, so a retried call is applied once.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct ObjectionOptions {
  std::string credit_code;
  std::string grounds;
  std::vector<std::string> evidence;
  std::string decision;
  std::string reason;
  // The corrected content, for an upheld objection.
  std::string category;
  std::string findings;
  std::string follow_up;
  std::string end_date;
  std::string state;
  bool overdue = false;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is the verb. Exit codes as in connection.h.
int RunObjectionCommand(const std::vector<std::string>& args, const ObjectionOptions& options,
                        const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_OBJECTION_COMMAND_H_
