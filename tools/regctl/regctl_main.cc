// regctl: the operator's command line for regulatord, over gRPC.
//
//   regctl [--server=HOST:PORT] [--output=table|json] COMMAND ...
//
// Commands:
//   enterprise put --credit_code=C --name=N --region=R --industry=I --established=D ...
//   enterprise put --file=ENTERPRISES.jsonl
//   enterprise get CREDIT_CODE
//   enterprise list [--region_prefix=33] [--industry_prefix=C] [--status_filter=OPERATING]
//                   [--page_size=N] [--page_token=T] [--all]
//   health [SERVICE]
//   services
//
// Exit codes: 0 success; 1 the server refused the request; 2 bad command line;
// 3 server unreachable; 4 some rows of a file were rejected.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/enterprise_command.h"
#include "tools/regctl/output.h"
#include "tools/regctl/server_command.h"

ABSL_FLAG(std::string, server, "localhost:50051", "regulatord address, HOST:PORT");
ABSL_FLAG(std::string, output, "table", "table or json (protobuf's canonical JSON)");
ABSL_FLAG(int, timeout_seconds, 60, "deadline of each call");

// enterprise put
ABSL_FLAG(std::string, credit_code, "", "put: unified social credit code (18 characters)");
ABSL_FLAG(std::string, name, "", "put: registered name");
ABSL_FLAG(std::string, region, "", "put: region code, six digits (GB/T 2260)");
ABSL_FLAG(std::string, industry, "", "put: industry code (GB/T 4754), e.g. C13");
ABSL_FLAG(int64_t, capital_yuan, 0, "put: registered capital in yuan");
ABSL_FLAG(std::string, established, "", "put: establishment date, YYYY-MM-DD");
ABSL_FLAG(std::string, status, "OPERATING",
          "put: OPERATING, SUSPENDED, LIQUIDATING, REVOKED, DEREGISTERED or MOVED_OUT");
ABSL_FLAG(std::string, address, "", "put: registered business address");
ABSL_FLAG(std::string, file, "", "put: JSON-lines file, one Enterprise per line in canonical JSON");
// enterprise list
ABSL_FLAG(std::string, region_prefix, "", "list: only regions starting with this");
ABSL_FLAG(std::string, industry_prefix, "", "list: only industries starting with this");
ABSL_FLAG(std::string, status_filter, "", "list: only this status");
ABSL_FLAG(int, page_size, 0, "list: rows per page (0: server default, 100)");
ABSL_FLAG(std::string, page_token, "", "list: continue from this token");
ABSL_FLAG(bool, all, false, "list: follow page tokens to the end");

namespace regulation::regctl {
namespace {

constexpr char kUsage[] =
    "the operator's command line for regulatord.\n"
    "\n"
    "  regctl [--server=HOST:PORT] [--output=table|json] COMMAND ...\n"
    "\n"
    "commands:\n"
    "  enterprise put --credit_code=C --name=N --region=R --industry=I\n"
    "                 --established=YYYY-MM-DD [--capital_yuan=N] [--status=S] "
    "[--address=A]\n"
    "  enterprise put --file=ENTERPRISES.jsonl\n"
    "  enterprise get CREDIT_CODE\n"
    "  enterprise list [--region_prefix=P] [--industry_prefix=P] [--status_filter=S]\n"
    "                  [--page_size=N] [--page_token=T] [--all]\n"
    "  health [SERVICE]      standard gRPC health check\n"
    "  services              services listed by server reflection\n"
    "\n"
    "exit codes: 0 ok, 1 server refused, 2 usage, 3 unreachable, 4 rows rejected";

int Run(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "usage: regctl %s\n", kUsage);
    return kExitUsage;
  }
  absl::StatusOr<OutputFormat> output = ParseOutputFormat(absl::GetFlag(FLAGS_output));
  if (!output.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(output.status().message()).c_str());
    return kExitUsage;
  }
  ConnectionOptions connection;
  connection.server = absl::GetFlag(FLAGS_server);
  connection.call_timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_seconds));

  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "enterprise") {
    EnterpriseOptions options;
    options.credit_code = absl::GetFlag(FLAGS_credit_code);
    options.name = absl::GetFlag(FLAGS_name);
    options.region = absl::GetFlag(FLAGS_region);
    options.industry = absl::GetFlag(FLAGS_industry);
    options.capital_yuan = absl::GetFlag(FLAGS_capital_yuan);
    options.established = absl::GetFlag(FLAGS_established);
    options.status = absl::GetFlag(FLAGS_status);
    options.address = absl::GetFlag(FLAGS_address);
    options.file = absl::GetFlag(FLAGS_file);
    options.region_prefix = absl::GetFlag(FLAGS_region_prefix);
    options.industry_prefix = absl::GetFlag(FLAGS_industry_prefix);
    options.status_filter = absl::GetFlag(FLAGS_status_filter);
    options.page_size = absl::GetFlag(FLAGS_page_size);
    options.page_token = absl::GetFlag(FLAGS_page_token);
    options.all_pages = absl::GetFlag(FLAGS_all);
    options.output = *output;
    return RunEnterpriseCommand(rest, options, connection, stdout);
  }
  if (command == "health") return RunHealthCommand(args, connection, stdout);
  if (command == "services") return RunServicesCommand(connection, stdout);
  std::fprintf(stderr, "error: unknown command \"%s\" (regctl --help)\n", command.c_str());
  return kExitUsage;
}

}  // namespace
}  // namespace regulation::regctl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(regulation::regctl::kUsage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return regulation::regctl::Run(args);
}
