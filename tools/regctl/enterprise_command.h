#ifndef TOOLS_REGCTL_ENTERPRISE_COMMAND_H_
#define TOOLS_REGCTL_ENTERPRISE_COMMAND_H_

// `regctl enterprise put|get|list`: the enterprise directory from the command line.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct EnterpriseOptions {
  // put, one enterprise: every field of v1::Enterprise.
  std::string credit_code;
  std::string name;
  std::string region;
  std::string industry;
  int64_t capital_yuan = 0;
  std::string established;  // YYYY-MM-DD
  std::string status = "OPERATING";
  std::string address;
  // put, many: a JSON-lines file of v1::Enterprise in the canonical JSON mapping.
  std::string file;
  // list
  std::string region_prefix;
  std::string industry_prefix;
  std::string status_filter;
  int page_size = 0;
  std::string page_token;
  bool all_pages = false;
  // list over region shards (--shards): each shard the region prefix spans; empty for one
  // server.
  std::vector<ConnectionOptions> list_shards;
  OutputFormat output = OutputFormat::kTable;
};

// Runs `regctl enterprise <args...>` (args[0] is put, get or list) and returns the
// exit code. Results go to `out`, errors to stderr.
int RunEnterpriseCommand(const std::vector<std::string>& args, const EnterpriseOptions& options,
                         const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ENTERPRISE_COMMAND_H_
