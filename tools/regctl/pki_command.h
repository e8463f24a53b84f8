#ifndef TOOLS_REGCTL_PKI_COMMAND_H_
#define TOOLS_REGCTL_PKI_COMMAND_H_

// `regctl pki init|issue|revoke|show`: the system's certificate authority from the
// command line, entirely local (no server involved). Files are laid out as
// pki/tls_files.h describes.
//
//   regctl pki init   --ca_dir=DIR [--ca_name=NAME] [--days=3650]
//   regctl pki issue  --ca_dir=DIR --out=DIR --role=ROLE --name=CN [--department=D]
//                     [--region=PREFIX] [--inspector_id=ID] [--credit_code=C] [--days=365]
//   regctl pki issue  --ca_dir=DIR --out=DIR --server_cert --dns=HOST[,HOST] [--ip=ADDR[,ADDR]]
//                     [--name=CN] [--days=825]
//   regctl pki revoke --ca_dir=DIR --cert=FILE
//   regctl pki show   --cert=FILE
//
// Certificates start 5 minutes in the past, to tolerate clock skew between hosts.
//
// Thread safety: RunPkiCommand may run concurrently on different directories.

#include <cstdio>
#include <string>
#include <vector>

#include "common/clock.h"

namespace regulation::regctl {

// Flag values (regctl_main.cc); empty / 0 / false when not given.
struct PkiOptions {
  // The CA directory (init, issue, revoke).
  std::string ca_dir;
  // init: the CA's subject CN.
  std::string ca_name = "regulation CA";
  // issue: the TLS directory to write (ca.crt, tls.crt, tls.key).
  std::string out;
  // issue: agency, inspector, auditor, public, admin or enterprise (client certificates).
  std::string role;
  // issue: subject CN (client: required; server: defaults to the first DNS name/IP).
  std::string name;
  // issue: agencies and inspectors.
  std::string department;
  // issue: agencies, region-code prefix (2-6 digits).
  std::string region;
  // issue: inspectors, roster id.
  std::string inspector_id;
  // issue: enterprises, the credit code the certificate is bound to.
  std::string credit_code;
  // Validity in days; 0 picks the default (init 3650, client 365, server 825).
  int days = 0;
  // issue: a server certificate instead of a client one (flag --server_cert; --server
  // is regulatord's address).
  bool server_cert = false;
  // issue --server_cert: comma-separated DNS names and IP addresses.
  std::string dns;
  std::string ip;
  // revoke, show: a PEM certificate file.
  std::string cert;
  // The time source (not owned).
  Clock* clock = RealClock();
};

// Runs `regctl pki <args...>` (args[0] is init, issue, revoke or show) and returns the
// exit code (connection.h): 0 ok, 1 failure (files, refused overwrite), 2 usage (bad
// or missing flags, invalid certificate fields). Results go to `out`, errors to stderr.
int RunPkiCommand(const std::vector<std::string>& args, const PkiOptions& options, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_PKI_COMMAND_H_
