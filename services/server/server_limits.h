#ifndef SERVICES_SERVER_SERVER_LIMITS_H_
#define SERVICES_SERVER_SERVER_LIMITS_H_

// Bounds on what the gRPC server itself spends, whoever calls: threads, memory, streams
// per connection, time to finish a TLS handshake, and keepalive pings that find dead
// peers. The per-identity limits (streams, write rate) are in services/access/call_limits.h.
// docs/api.md §1.3 lists each limit with its regulatord flag.

#include <grpcpp/server_builder.h>

#include "absl/time/time.h"

namespace regulation::services {

struct ServerLimits {
  // Threads gRPC may run calls on (grpc::ResourceQuota::SetMaxThreads). With every thread
  // busy, a new call is refused at once with RESOURCE_EXHAUSTED. 0: no limit. Default 256.
  int max_threads = 256;
  // Memory gRPC may use for its buffers (grpc::ResourceQuota::Resize). 0: no limit.
  // Default 1 GiB.
  size_t max_memory_bytes = size_t{1} << 30;
  // HTTP/2 streams (calls) one connection may have open; further calls wait on the client
  // side. Default 100.
  int max_concurrent_streams_per_connection = 100;
  // A connection must complete its TLS handshake (and send its HTTP/2 preface) within this
  // time, or it is closed. Default 10 s.
  absl::Duration handshake_timeout = absl::Seconds(10);
  // The server pings each connection after this long without traffic, and closes it when
  // the ping is not answered within keepalive_timeout: dead peers do not hold streams.
  // Defaults 60 s and 20 s.
  absl::Duration keepalive_time = absl::Seconds(60);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // A connection with no call for this long is closed (the client reconnects when it needs
  // to). Default 30 min.
  absl::Duration max_connection_idle = absl::Minutes(30);
};

// Sets `limits` on `builder` (before BuildAndStart).
void ApplyServerLimits(const ServerLimits& limits, grpc::ServerBuilder* builder);

}  // namespace regulation::services

#endif  // SERVICES_SERVER_SERVER_LIMITS_H_
