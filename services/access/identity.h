#ifndef SERVICES_ACCESS_IDENTITY_H_
#define SERVICES_ACCESS_IDENTITY_H_

// How a call's identity is established. The access interceptor asks an
// IdentityResolver once per call.

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "services/access/caller.h"

namespace regulation::access {

class IdentityResolver {
 public:
  virtual ~IdentityResolver() = default;
  // The caller behind `context`; UNAUTHENTICATED when there is no valid identity.
  // Called concurrently from many threads.
  virtual absl::StatusOr<Caller> Resolve(const grpc::ServerContextBase& context) const = 0;
};

// Every caller is the local operator, holding every role. For a listener that only
// loopback clients can reach, before certificates exist.
class LocalOperatorResolver : public IdentityResolver {
 public:
  absl::StatusOr<Caller> Resolve(const grpc::ServerContextBase& context) const override {
    Caller caller;
    caller.roles = RoleSet::All();
    caller.subject = "local-operator";
    caller.service_name = kAnyService;
    return caller;
  }
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_IDENTITY_H_
