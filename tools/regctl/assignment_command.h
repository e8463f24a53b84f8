#ifndef TOOLS_REGCTL_ASSIGNMENT_COMMAND_H_
#define TOOLS_REGCTL_ASSIGNMENT_COMMAND_H_

// An inspector's assignments (InspectionService), and a plan's for agencies and
// auditors:
//
//   regctl assignments list [--plan=ID]
//   regctl assignments watch
//   regctl assignments export --format=csv|html [--plan=ID] [--out=FILE]
//
// list and export fetch every page: ListMyAssignments (the caller's own, as the
// inspector its certificate names), or with --plan ListPlanAssignments. watch opens
// WatchAssignments without a deadline and prints each new assignment as one line as it
// arrives (JSON lines with --output=json) until interrupted or the server ends the
// stream. export renders assignment_sheet.h's CSV or HTML to --out (written atomically)
// or to `out`.
//
// Thread safety: RunAssignmentCommand may run on any thread; it shares nothing.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct AssignmentOptions {
  // list, export: one plan's assignments instead of the caller's own.
  std::string plan;
  // export: csv or html (required).
  std::string format;
  // export --format=csv: "zh" (default: Chinese column names) or "en".
  std::string csv_headers = "zh";
  // export: the file to write. Default: `out`.
  std::string out;
  int page_size = 0;
  // export: the sheet's generation time (HTML heading).
  absl::Time now = absl::UnixEpoch();
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is list, watch or export. Returns the exit code (connection.h): 0 ok, 1 the
// server refused (or --out could not be written), 2 bad command line, 3 server
// unreachable (watch: also when the stream breaks).
int RunAssignmentCommand(const std::vector<std::string>& args, const AssignmentOptions& options,
                         const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ASSIGNMENT_COMMAND_H_
