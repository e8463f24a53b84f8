#ifndef SERVICES_ACCESS_ACCESS_INTERCEPTOR_H_
#define SERVICES_ACCESS_ACCESS_INTERCEPTOR_H_

// The one gate every call passes. A server interceptor runs on every call: it finds
// the RPC's row in the access table (rpc_policy.h), resolves the caller's identity and
// decides. gRPC's C++ server interceptors cannot end a call themselves, so the
// decision is kept for the duration of the call, and each handler starts with
// Serve() (serve.h), which returns the decision's status when the call was refused.
// A handler reached without a decision (no interceptor installed) is refused too:
// access fails closed.
//
// The same interceptor keeps the audit trail: for every call to a state-changing RPC
// (admitted or refused) it hashes the request messages as they arrive and, just
// before the status is sent, appends one AuditEntry to the AuditSink.
//
// Admission also applies the per-identity limits (call_limits.h): a caller past its
// limit on open streams or on state-changing calls is refused with RESOURCE_EXHAUSTED,
// through the same decision. And just before the status is sent, the interceptor makes
// gRPC's own answers readable (boundary_status.h): an unparseable request becomes
// INVALID_ARGUMENT naming the problem, and no message is longer than 1 KiB. (Creating
// the factory routes protobuf's log through parse_errors.h, which names the field of an
// invalid-UTF-8 parse failure.)
//
// Thread safety: the factory and the decisions are safe for concurrent calls.

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "services/access/audit_sink.h"
#include "services/access/call_limits.h"
#include "services/access/caller.h"
#include "services/access/identity.h"

namespace regulation::access {

// What the interceptor needs; the pointers must outlive the server.
struct AccessOptions {
  // Who callers are. Required.
  const IdentityResolver* resolver = nullptr;
  // Where records of state-changing calls go; null: no audit trail.
  AuditSink* audit = nullptr;
  // Time of audit records. Required.
  Clock* clock = nullptr;
  // Per-identity limits on open streams and on state-changing calls; null: no limits.
  CallLimiter* limiter = nullptr;
  // The server's thread limit, named when gRPC refuses a call for want of a thread; 0 if
  // none is set.
  int max_threads = 0;
};

class AccessInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit AccessInterceptorFactory(const AccessOptions& options);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const AccessOptions options_;
};

// The interceptors to install on a ServerBuilder.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAccessInterceptors(const AccessOptions& options);

// The caller of an admitted call. PERMISSION_DENIED or UNAUTHENTICATED as decided by
// the interceptor; PERMISSION_DENIED when no decision exists for `context`.
absl::StatusOr<Caller> AuthorizedCaller(const grpc::ServerContextBase* context);

// For a long-lived call (a stream that stays open): whether its caller's identity still
// holds now, resolved again (a certificate revoked or expired since the call began ends
// it). OK, UNAUTHENTICATED with the resolver's reason, or PERMISSION_DENIED for a call
// that was not admitted.
absl::Status StillAuthorized(const grpc::ServerContextBase* context);

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_ACCESS_INTERCEPTOR_H_
