#ifndef SERVICES_TELEMETRY_CALL_INTERCEPTOR_H_
#define SERVICES_TELEMETRY_CALL_INTERCEPTOR_H_

// What every call leaves behind for operators, from one server interceptor installed
// before the access interceptor:
//   - a request id: the client's `x-request-id` metadata when valid, else a new one;
//     registered for the call (services/common/request_id.h, so that its audit record
//     carries it) and sent back in the response's initial metadata;
//   - metrics: started and handled counts and the latency histogram, by method and
//     status code (ServerMetrics);
//   - one structured log line (common/log.h) with the method, request id, the caller's
//     role and department (never its name), status and duration, for every call that
//     changes state or fails, and for successful reads when `log_reads` is set.
//
// Thread safety: the factory is safe for concurrent calls; each interceptor belongs to
// one call.

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <vector>

#include "services/telemetry/server_metrics.h"

namespace regulation::telemetry {

struct CallLogOptions {
  // Also log successful calls of methods that change nothing. Default false: reads are
  // the bulk of the traffic, and their counts and latencies are in the metrics.
  bool log_reads = false;
};

class CallInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` must outlive the server.
  CallInterceptorFactory(ServerMetrics* metrics, CallLogOptions options)
      : metrics_(metrics), options_(options) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  ServerMetrics* const metrics_;
  const CallLogOptions options_;
};

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_CALL_INTERCEPTOR_H_
