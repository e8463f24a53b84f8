#include "tools/regctl/connection.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/net_address.h"
#include "pki/tls_files.h"
#include "services/common/grpc_status.h"

namespace regulation::regctl {

absl::StatusOr<Connection> Connection::Open(const ConnectionOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.insecure_loopback) {
    if (!IsLoopbackAddress(options.server)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--insecure_loopback sends plaintext, so --server must be a loopback address, not ",
          options.server));
    }
    credentials = grpc::InsecureChannelCredentials();
  } else {
    absl::StatusOr<pki::TlsFiles> tls = pki::ReadTlsDir(options.tls_dir);
    if (!tls.ok()) return tls.status();
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = tls->ca_cert_pem;
    ssl.pem_private_key = tls->key_pem;
    ssl.pem_cert_chain = tls->cert_pem;
    credentials = grpc::SslCredentials(ssl);
  }
  // Draw records and tile bundles can exceed gRPC's default 4 MiB receive limit (an entry
  // bundle of 256 large records reaches about 16 MiB).
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.server, credentials, arguments);
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + options.connect_timeout))) {
    return absl::UnavailableError(absl::StrCat(
        "cannot reach the server at ", options.server, " within ",
        absl::FormatDuration(options.connect_timeout),
        options.insecure_loopback
            ? " (plaintext)"
            : absl::StrCat(" over TLS as ", options.tls_dir,
                           " (a server started with --insecure_loopback needs "
                           "--insecure_loopback here too)")));
  }
  return Connection(std::move(channel), options);
}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.call_timeout));
  return context;
}

std::string NewRequestId() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();
  return absl::StrCat("regctl-", absl::BytesToHexString(absl::string_view(
                                     reinterpret_cast<const char*>(bytes), sizeof(bytes))));
}

absl::Status CallStatus(const grpc::Status& status) { return services::FromGrpcStatus(status); }

int ReportFailure(const absl::Status& status, const ConnectionOptions& options) {
  const bool unreachable = absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
  const std::string shard =
      options.shard.empty() ? "" : absl::StrCat("shard ", options.shard, " (", options.server, "): ");
  std::fprintf(stderr, "error: %s: %s%s\n", absl::StatusCodeToString(status.code()).c_str(),
               shard.c_str(), std::string(status.message()).c_str());
  if (unreachable && !options.shard.empty()) {
    std::fprintf(stderr,
                 "hint: shard %s is down or unreachable; enterprises of other shards' regions "
                 "are not affected.\n",
                 options.shard.c_str());
    return kExitUnreachable;
  }
  if (unreachable) {
    // A service run apart answered, but a peer it calls did not: its message names the
    // peer ("portrait service: ...", the seams' clients), which is what is down.
    const std::string message(status.message());
    const size_t peer_end = message.find(" service: ");
    if (peer_end != std::string::npos && peer_end > 0 &&
        message.find_first_of(" :") == peer_end) {
      std::fprintf(stderr,
                   "hint: the server at %s answered, but the %s service it calls is down or "
                   "unreachable (the address in its --peers file).\n",
                   options.server.c_str(), message.substr(0, peer_end).c_str());
      return kExitUnreachable;
    }
    std::fprintf(stderr,
                 "hint: no answer from %s: is the service (regulatord, or the one you "
                 "meant) running there? `tools/up` starts regulatord; --server=HOST:PORT points "
                 "regctl elsewhere.\n",
                 options.server.c_str());
    return kExitUnreachable;
  }
  return kExitServerError;
}

int ReportOpenFailure(const absl::Status& status, const ConnectionOptions& options) {
  if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
    return ReportFailure(status, options);
  }
  std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
  return kExitUsage;
}

}  // namespace regulation::regctl
