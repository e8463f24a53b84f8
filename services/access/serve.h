#ifndef SERVICES_ACCESS_SERVE_H_
#define SERVICES_ACCESS_SERVE_H_

// Every RPC handler is one call to Serve: it admits the call (or returns the access
// decision's status), runs the handler body with the caller, and converts the
// body's absl::Status to a grpc::Status exactly once.
//
//   // EnterpriseDirectory::Get(const Caller&, absl::string_view)
//   //     -> absl::StatusOr<v1::Enterprise>   (services/portrait/enterprise_directory.h)
//   grpc::Status PortraitServiceImpl::GetEnterprise(grpc::ServerContext* context,
//                                                   const v1::GetEnterpriseRequest* request,
//                                                   v1::Enterprise* response) {
//     return Serve(context, [&](const Caller& caller) {
//       return Into(response, [&] { return directory_->Get(caller, request->credit_code()); });
//     });
//   }
//
// The body returns an absl::Status; Into (below) adapts one that produces a StatusOr.

#include <grpcpp/server_context.h>

#include <utility>

#include "absl/status/status.h"
#include "services/access/access_interceptor.h"
#include "services/access/caller.h"
#include "services/common/grpc_status.h"

namespace regulation::access {

template <typename Body>
grpc::Status Serve(const grpc::ServerContextBase* context, Body&& body) {
  absl::StatusOr<Caller> caller = AuthorizedCaller(context);
  if (!caller.ok()) return services::ToGrpcStatus(caller.status());
  return services::ToGrpcStatus(std::forward<Body>(body)(*caller));
}

// For a body whose result is a response message: runs `produce` and moves its value into
// `*out` when it succeeds.
//   return Serve(context, [&](const Caller& c) { return Into(resp, [&] { return f(c); }); });
template <typename T, typename Produce>
absl::Status Into(T* out, Produce&& produce) {
  auto result = std::forward<Produce>(produce)();
  if (!result.ok()) return result.status();
  *out = *std::move(result);
  return absl::OkStatus();
}

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_SERVE_H_
