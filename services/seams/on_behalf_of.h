#ifndef SERVICES_SEAMS_ON_BEHALF_OF_H_
#define SERVICES_SEAMS_ON_BEHALF_OF_H_

// The caller a service acts for, carried in an internal call: the calling service has
// authenticated the caller; the called service applies the caller's jurisdiction as if
// the caller had called it. Only a service identity may send one (the access policy of
// regulation.internal.v1), so a client cannot claim another's identity this way.

#include "absl/status/statusor.h"
#include "regulation/internal/v1/portrait_feed.pb.h"
#include "services/access/caller.h"

namespace regulation::services {

internal::v1::OnBehalfOf ToOnBehalfOf(const access::Caller& caller);

// INVALID_ARGUMENT "on_behalf_of.roles: ..." for no role or an unknown role name.
absl::StatusOr<access::Caller> FromOnBehalfOf(const internal::v1::OnBehalfOf& on_behalf_of);

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_ON_BEHALF_OF_H_
