#ifndef SERVICES_ACCESS_JURISDICTION_H_
#define SERVICES_ACCESS_JURISDICTION_H_

// Jurisdiction: an agency reads and writes only what lies in its region prefix. Callers
// without a region prefix (auditors, admins, the local operator) reach every region.
// Refusals never say what the refused record contains.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/access/caller.h"

namespace regulation::access {

// True when `region_code` lies in the caller's jurisdiction.
bool InJurisdiction(const Caller& caller, absl::string_view region_code);

// The region prefix a list call may scan: the requested prefix when it lies inside the
// jurisdiction, the jurisdiction when the request asks for more (or for everything).
// PERMISSION_DENIED "<field>: outside your jurisdiction" when the two do not overlap.
absl::StatusOr<std::string> ScopedRegionPrefix(const Caller& caller, absl::string_view requested,
                                               absl::string_view field);

// PERMISSION_DENIED "<field>: outside your jurisdiction".
absl::Status OutsideJurisdiction(absl::string_view field);

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_JURISDICTION_H_
