#ifndef TOOLS_REGCTL_ADMIN_COMMAND_H_
#define TOOLS_REGCTL_ADMIN_COMMAND_H_

// `regctl admin backup --out=DIR`: a consistent online backup of the server's database
// (AdminService.Backup), written into a new directory DIR all or nothing
// (services/backup/backup_receiver.h). Restore it with `regulatord --restore_from=DIR`
// (docs/operations.md). The log signing key is not in it: back that up separately.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"

namespace regulation::regctl {

struct AdminOptions {
  // backup: the directory to create. Required.
  std::string out;
};

// Exit codes as documented in regctl --help; a backup the client could not write is 1
// with the reason.
int RunAdminCommand(const std::vector<std::string>& args, const AdminOptions& options,
                    const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ADMIN_COMMAND_H_
