#include "tools/regctl/connection.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/grpc_status.h"

namespace regulation::regctl {

absl::StatusOr<Connection> Connection::Open(const ConnectionOptions& options) {
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(options.server, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + options.connect_timeout))) {
    return absl::UnavailableError(absl::StrCat("cannot reach regulatord at ", options.server,
                                               " within ",
                                               absl::FormatDuration(options.connect_timeout)));
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
  std::fprintf(stderr, "error: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
    std::fprintf(stderr,
                 "hint: is regulatord running at %s? `tools/up` starts it; "
                 "--server=HOST:PORT points regctl elsewhere.\n",
                 options.server.c_str());
    return kExitUnreachable;
  }
  return kExitServerError;
}

}  // namespace regulation::regctl
