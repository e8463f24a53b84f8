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
// Thread safety: the factory and the decisions are safe for concurrent calls.

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "services/access/caller.h"
#include "services/access/audit_sink.h"
#include "services/access/identity.h"

namespace regulation::access {

class AccessInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `resolver`, `audit` and `clock` must outlive the server; `audit` may be null (no
  // audit trail).
  AccessInterceptorFactory(const IdentityResolver* resolver, AuditSink* audit, Clock* clock)
      : resolver_(resolver), audit_(audit), clock_(clock) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const IdentityResolver* const resolver_;
  AuditSink* const audit_;
  Clock* const clock_;
};

// The interceptors to install on a ServerBuilder.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAccessInterceptors(const IdentityResolver* resolver, AuditSink* audit, Clock* clock);

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
