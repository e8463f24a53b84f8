#ifndef TOOLS_REGCTL_RESULT_COMMAND_H_
#define TOOLS_REGCTL_RESULT_COMMAND_H_

// Inspection results from the command line (DisclosureService):
//   regctl results submit --plan=P --credit_code=C --category=NAME --inspection_end=YYYY-MM-DD
//                         [--findings=TEXT] [--follow_up=TEXT]          (an inspector)
//   regctl results preview RESULT_ID        what approval would publish, each removal of
//                                           personal data, and the preview's digest
//   regctl results approve RESULT_ID --preview_digest=D [--comment=TEXT]
//                                           (the plan's agency, after checking the preview)
//   regctl results return RESULT_ID --comment=TEXT
//   regctl results correct RESULT_ID --corrects_index=N --category=NAME --inspection_end=D
//                          [--findings=TEXT] [--follow_up=TEXT] --reason=TEXT
//   regctl results get RESULT_ID
//   regctl results list [--plan=P] [--credit_code=C] [--state=S]        (every page)
//   regctl results overdue [--within=N] [--as_of=YYYY-MM-DD]
// Categories are the official ones (regulation.v1.InspectionResultCategory), e.g.
// NO_PROBLEM_FOUND; states SUBMITTED, RETURNED, APPROVED, PUBLISHED.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct ResultOptions {
  std::string plan;
  std::string credit_code;
  std::string category;
  std::string findings;
  std::string follow_up;
  std::string end_date;
  std::string comment;
  std::string preview_digest;
  std::string reason;
  int64_t corrects_index = -1;
  std::string state;
  int within = 0;
  std::string as_of;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is the verb. Exit codes as in connection.h.
int RunResultCommand(const std::vector<std::string>& args, const ResultOptions& options,
                     const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_RESULT_COMMAND_H_
