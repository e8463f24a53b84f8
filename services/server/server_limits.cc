#include "services/server/server_limits.h"

#include <grpc/grpc.h>
#include <grpcpp/resource_quota.h>

#include <limits>

namespace regulation::services {
namespace {

int Milliseconds(absl::Duration d) {
  const int64_t ms = absl::ToInt64Milliseconds(d);
  return ms > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                              : static_cast<int>(ms);
}

}  // namespace

void ApplyServerLimits(const ServerLimits& limits, grpc::ServerBuilder* builder) {
  if (limits.max_threads > 0 || limits.max_memory_bytes > 0) {
    grpc::ResourceQuota quota("regulatord");
    if (limits.max_threads > 0) quota.SetMaxThreads(limits.max_threads);
    if (limits.max_memory_bytes > 0) quota.Resize(limits.max_memory_bytes);
    builder->SetResourceQuota(quota);
  }
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                              limits.max_concurrent_streams_per_connection);
  builder->AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                              Milliseconds(limits.handshake_timeout));
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(limits.keepalive_time));
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                              Milliseconds(limits.keepalive_timeout));
  // Ping idle connections too: a peer that vanished without a call open still holds a
  // connection and its file descriptor.
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                              Milliseconds(limits.max_connection_idle));
}

}  // namespace regulation::services
