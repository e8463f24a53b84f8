#ifndef SERVICES_ACCESS_RPC_POLICY_H_
#define SERVICES_ACCESS_RPC_POLICY_H_

// The access table: for every RPC the server answers, which roles may call it and
// whether it changes state (and so is audited). The access interceptor consults it on
// every call; an RPC missing from it is refused (fail closed), and
// rpc_policy_test fails when a method of a regulation.v1 service has no row.
//
// Role checks are the first gate only: jurisdiction (an agency's region and
// department, an inspector's own assignments) is enforced inside the services.

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "services/access/role.h"

namespace regulation::access {

struct RpcPolicy {
  // Full gRPC method name, "/regulation.v1.PortraitService/GetEnterprise".
  absl::string_view method;
  RoleSet allowed;
  // True for calls that change stored state: they are recorded in the audit trail.
  bool mutating;
  // True for infrastructure (health, reflection) that any connected peer may call.
  bool infrastructure = false;
  // For the internal calls between services (regulation.internal.v1): the names of the
  // service identities that may make it, space-separated ("scoringd"). A caller admitted
  // by role `service` alone must be one of them. Empty for every other row.
  absl::string_view services = {};
};

// Whether a caller holding role `service` with name `service_name` may make `policy`'s
// call as that service: the row allows role service, and names it (or the caller is
// the local operator, kAnyService).
bool ServiceMayCall(const RpcPolicy& policy, absl::string_view service_name);

// The row for `method`, or nullptr when the table has none.
const RpcPolicy* FindRpcPolicy(absl::string_view method);

// Every row, in table order.
absl::Span<const RpcPolicy> AllRpcPolicies();

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_RPC_POLICY_H_
