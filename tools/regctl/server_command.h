#ifndef TOOLS_REGCTL_SERVER_COMMAND_H_
#define TOOLS_REGCTL_SERVER_COMMAND_H_

// `regctl health [SERVICE]` (the standard grpc.health.v1 check) and `regctl services`
// (the services a server lists through server reflection).

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"

namespace regulation::regctl {

// Prints the serving status of the server ("" service) or of args[1]; exit 0 only when
// SERVING.
int RunHealthCommand(const std::vector<std::string>& args, const ConnectionOptions& connection,
                     std::FILE* out);

// Prints the fully qualified name of each service, one per line.
int RunServicesCommand(const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_SERVER_COMMAND_H_
