#ifndef SERVICES_ACCESS_ENTERPRISE_SCOPE_H_
#define SERVICES_ACCESS_ENTERPRISE_SCOPE_H_

// An enterprise's certificate is bound to one credit code, and reaches only that
// enterprise's records. The access interceptor enforces it on every call admitted through
// the enterprise role alone, from the request message itself, so that no handler can
// forget it: the request's `credit_code` must be the certificate's. Nothing of another
// enterprise is visible, not even whether it exists: the refusal is the same for every
// other code.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/access/caller.h"
#include "services/access/rpc_policy.h"

namespace regulation::access {

// True when `caller` is admitted to `policy` through the enterprise role and no other
// (the local operator, holding every role, is not scoped), and `policy` is not open to
// the public (disclosed data is everyone's).
bool AdmittedOnlyAsEnterprise(const RpcPolicy& policy, const Caller& caller);

// OK when `request`'s string field `credit_code` is `own_credit_code`, or empty (the
// service then says it is required). PERMISSION_DENIED "credit_code: ..." for any other
// code, and when the request has no such field (fail closed).
absl::Status WithinOwnEnterprise(const google::protobuf::Message& request,
                                 absl::string_view own_credit_code);

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_ENTERPRISE_SCOPE_H_
