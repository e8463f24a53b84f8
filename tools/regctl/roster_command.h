#ifndef TOOLS_REGCTL_ROSTER_COMMAND_H_
#define TOOLS_REGCTL_ROSTER_COMMAND_H_

// The inspector roster, conflicts of interest and inspection items (InspectionService):
//
//   regctl inspector put --file=INSPECTORS.jsonl
//   regctl inspector get ID
//   regctl inspector list [--department=D] [--region_prefix=P] [--page_size=N] [--all]
//   regctl conflict declare --inspector_id=ID --credit_code=C --reason=TEXT
//   regctl conflict list [--inspector_id=ID | --credit_code=C] [--all]
//   regctl item put --file=ITEMS.jsonl
//   regctl item list [--department=D] [--all]
//
// `put --file` reads one regulation.v1.Inspector (InspectionItem) per line in protobuf's
// canonical JSON and upserts each line with its own request_id; rejected lines go to
// stderr as "FILE:LINE: CODE: message" and make the exit code 4. Lists print a table, or
// with --output=json the List*Response holding every row fetched.
//
// Thread safety: RunRosterCommand may run on any thread; it shares nothing.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct RosterOptions {
  // inspector put, item put: the JSON-lines file.
  std::string file;
  // inspector list, item list: only this department. Default: any.
  std::string department;
  // inspector list: only jurisdictions whose region code starts with this. Default: any.
  std::string region_prefix;
  // conflict declare: both required; conflict list: exactly one of the two.
  std::string inspector_id;
  std::string credit_code;
  // conflict declare: why the inspector must stand aside, e.g. "relative is shareholder".
  std::string reason;
  // lists: rows per page (0: the server's default), where to start, follow to the end.
  int page_size = 0;
  std::string page_token;
  bool all_pages = false;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is inspector, conflict or item; args[1] the verb. Returns the exit code
// (connection.h): 0 ok, 1 the server refused, 2 bad command line, 3 server unreachable,
// 4 some lines of a put file were rejected. Results go to `out`, errors to stderr.
int RunRosterCommand(const std::vector<std::string>& args, const RosterOptions& options,
                     const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ROSTER_COMMAND_H_
