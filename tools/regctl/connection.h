#ifndef TOOLS_REGCTL_CONNECTION_H_
#define TOOLS_REGCTL_CONNECTION_H_

// regctl's connection to regulatord, and how call failures become messages and exit
// codes.

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace regulation::regctl {

// Exit codes, documented in `regctl --help`.
enum ExitCode : int {
  kExitOk = 0,
  // The server answered with an error status.
  kExitServerError = 1,
  // The command line was wrong.
  kExitUsage = 2,
  // The server could not be reached.
  kExitUnreachable = 3,
  // A bulk command finished but some rows were rejected.
  kExitRowsRejected = 4,
};

struct ConnectionOptions {
  // host:port of regulatord. With TLS, the host must be a name in the server
  // certificate (tools/up's demo certificate: localhost, 127.0.0.1, ::1).
  std::string server = "localhost:50051";
  // Directory with ca.crt, tls.crt and tls.key (`regctl pki issue` writes one): mutual
  // TLS as the identity in tls.crt. Ignored with insecure_loopback.
  std::string tls_dir;
  // Plaintext to a server started with --insecure_loopback; only to loopback addresses.
  bool insecure_loopback = false;
  // How long to wait for the connection before giving up.
  absl::Duration connect_timeout = absl::Seconds(5);
  // Deadline of each call.
  absl::Duration call_timeout = absl::Seconds(60);
  // The region shard `server` is, when a shard map chose it (shard_routing.h): failures to
  // reach it name the shard. Empty: a single server.
  std::string shard;
};

class Connection {
 public:
  // UNAVAILABLE with an explanation when nothing answers at options.server;
  // NOT_FOUND when the TLS directory lacks a file; INVALID_ARGUMENT for plaintext to a
  // non-loopback address.
  static absl::StatusOr<Connection> Open(const ConnectionOptions& options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // A context with the call deadline set, for streaming calls; unary calls go through
  // CallRpc / RunRpc (rpc_call.h), which also apply the retry rules.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  const ConnectionOptions& options() const { return options_; }

 private:
  Connection(std::shared_ptr<grpc::Channel> channel, ConnectionOptions options)
      : channel_(std::move(channel)), options_(std::move(options)) {}

  std::shared_ptr<grpc::Channel> channel_;
  ConnectionOptions options_;
};

// A fresh idempotency key for one write ("regctl-" and 24 random hex digits): retries
// of that write reuse it; a new write gets a new one.
std::string NewRequestId();

// Prints "error: <CODE>: <message>" (with a hint for unreachable servers) to stderr
// and returns the exit code for it.
int ReportFailure(const absl::Status& status, const ConnectionOptions& options);

// For Connection::Open's failure: an unreachable server as ReportFailure says; anything
// else (no TLS files, a plaintext --server that is not loopback) is a local problem, so
// the usage exit code, not a server error.
int ReportOpenFailure(const absl::Status& status, const ConnectionOptions& options);

// The status of a finished call, as absl::Status.
absl::Status CallStatus(const grpc::Status& status);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_CONNECTION_H_
