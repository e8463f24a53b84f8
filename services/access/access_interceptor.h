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
// Thread safety: the factory and the decisions are safe for concurrent calls.

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "absl/status/statusor.h"
#include "services/access/caller.h"
#include "services/access/identity.h"

namespace regulation::access {

class AccessInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `resolver` must outlive the server.
  explicit AccessInterceptorFactory(const IdentityResolver* resolver) : resolver_(resolver) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const IdentityResolver* const resolver_;
};

// The interceptors to install on a ServerBuilder.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAccessInterceptors(const IdentityResolver* resolver);

// The caller of an admitted call. PERMISSION_DENIED or UNAUTHENTICATED as decided by
// the interceptor; PERMISSION_DENIED when no decision exists for `context`.
absl::StatusOr<Caller> AuthorizedCaller(const grpc::ServerContextBase* context);

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_ACCESS_INTERCEPTOR_H_
