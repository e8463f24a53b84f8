#ifndef TOOLS_REGCTL_ENTROPY_COMMAND_H_
#define TOOLS_REGCTL_ENTROPY_COMMAND_H_

// The registered entropy sources a plan may name (InspectionService, docs/draw-spec.md
// §4.1):
//
//   regctl entropy register --file=SOURCE.json [--cert=CERT.pem]
//       One regulation.v1.RegisteredEntropySource (canonical JSON); --cert fills a
//       beacon's certificate_pem from a PEM file. Admin. Prints the stored source.
//   regctl entropy list [--page_size=N] [--page_token=T] [--all]
//       Every source, retired ones included. With --output=json the response holds the
//       sources: the registry as published, what `verify-draw --sources` reads.
//   regctl entropy retire ID --reason=TEXT
//       No commitment or announcement may name the source from then on. Admin.
//
// Writes carry a fresh request_id and are retried when the server is unreachable.
//
// Thread safety: RunEntropyCommand may run on any thread; it shares nothing.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct EntropyOptions {
  // register: the source file (required) and a beacon's certificate file.
  std::string file;
  std::string cert;
  // retire: why (required).
  std::string reason;
  // list: rows per page (0: the server's default), where to start, follow to the end.
  int page_size = 0;
  std::string page_token;
  bool all_pages = false;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is the verb (register, list, retire), then the source id for retire. Returns
// the exit code (connection.h): 0 ok, 1 the server refused, 2 bad command line, 3 server
// unreachable. Results go to `out`, errors to stderr.
int RunEntropyCommand(const std::vector<std::string>& args, const EntropyOptions& options,
                      const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ENTROPY_COMMAND_H_
