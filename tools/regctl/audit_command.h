#ifndef TOOLS_REGCTL_AUDIT_COMMAND_H_
#define TOOLS_REGCTL_AUDIT_COMMAND_H_

// `regctl audit list|verify`: the audit trail from the command line.
//
//   audit list    records in sequence order, filtered; follows page tokens to the end.
//                 Table: SEQ, TIME (China Standard Time), CALLER, ROLES, METHOD (short
//                 name), STATUS; or, with --output=json, one ListAuditRecordsResponse
//                 holding every record and the chain's head.
//   audit verify  fetches the whole chain (paging with after_sequence) and checks it
//                 here with AuditChainVerifier: regctl does not trust the server. Also
//                 checks that every head the server reported, and --expect_head when
//                 given, is in the chain. Prints "VALID: N records; head SEQ:HEX" and
//                 exits 0, or "BROKEN: <reason>" and exits 1 (also when the server
//                 reports DATA_LOSS). Prints that one line whatever --output says.
//
// Thread safety: RunAuditCommand may run on any thread; it shares nothing.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct AuditOptions {
  // list: only records whose caller subject contains this. Default: any.
  std::string caller;
  // list: only this method: its full name ("/regulation.v1.PortraitService/
  // UpsertEnterprise") or a trailing part of it ("UpsertEnterprise"). Default: any.
  std::string rpc;
  // list: only records at or after this moment: RFC 3339 ("2024-05-01T08:00:00+08:00")
  // or a date, YYYY-MM-DD, meaning its start in China Standard Time. Default: no bound.
  std::string since;
  // list: only records before this moment: RFC 3339 (exclusive), or a date, YYYY-MM-DD,
  // which includes that whole day in China Standard Time. Default: no bound.
  std::string until;
  // Records per call. Default 0: the server's default (100) for list, 1000 for verify.
  int page_size = 0;
  // verify: a head saved earlier, "SEQ:HEX" as verify prints it, that the chain must
  // still contain. Default: none.
  std::string expect_head;
  // list: table (default) or JSON.
  OutputFormat output = OutputFormat::kTable;
};

// Runs `regctl audit <args...>` (args[0] is list or verify) and returns the exit code:
// 0 ok (verify: the chain is valid); 1 the server refused, or verify found the chain
// broken; 2 bad command line; 3 server unreachable. Results go to `out`, errors to
// stderr.
int RunAuditCommand(const std::vector<std::string>& args, const AuditOptions& options,
                    const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_AUDIT_COMMAND_H_
