#ifndef TOOLS_REGCTL_ALERT_COMMAND_H_
#define TOOLS_REGCTL_ALERT_COMMAND_H_

// Early-warning alerts (AlertService, docs/api.md §Alerts):
//
//   regctl alerts list [--region_prefix=P] [--credit_code=C] [--rule=R] [--state=S]
//   regctl alerts watch [--region_prefix=P]
//   regctl alerts ack ALERT_ID --disposition=D [--note=TEXT]
//   regctl alerts rules
//   regctl alerts set-rules --file=RULES.json
//
// list fetches every page; watch opens WatchAlerts without a deadline and prints the
// open alerts in scope, then each new one, one line each (JSON lines with
// --output=json) until interrupted. ack and set-rules carry a fresh request_id and are
// retried when the server is unreachable. set-rules reads regulation.v1.AlertRules as
// JSON (the form `alerts rules --output=json` prints).
//
// Thread safety: RunAlertCommand may run on any thread; it shares nothing.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct AlertOptions {
  std::string region_prefix;
  std::string credit_code;
  // list: a rule name without its prefix, e.g. CLASS_RAISED (any case).
  std::string rule;
  // list: open or acknowledged.
  std::string state;
  // ack: DISMISSED, MONITORING, ACTION_TAKEN or REFERRED (any case).
  std::string disposition;
  std::string note;
  // set-rules: the rules file.
  std::string file;
  int page_size = 0;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is the verb. Returns the exit code (connection.h): 0 ok, 1 the server
// refused, 2 bad command line, 3 server unreachable (watch: also when the stream breaks).
int RunAlertCommand(const std::vector<std::string>& args, const AlertOptions& options,
                    const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ALERT_COMMAND_H_
