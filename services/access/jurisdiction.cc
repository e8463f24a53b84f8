#include "services/access/jurisdiction.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace regulation::access {

bool InJurisdiction(const Caller& caller, absl::string_view region_code) {
  return absl::StartsWith(region_code, caller.region_prefix);
}

absl::StatusOr<std::string> ScopedRegionPrefix(const Caller& caller, absl::string_view requested,
                                               absl::string_view field) {
  if (absl::StartsWith(requested, caller.region_prefix)) return std::string(requested);
  if (absl::StartsWith(caller.region_prefix, requested)) return caller.region_prefix;
  return OutsideJurisdiction(field);
}

absl::Status OutsideJurisdiction(absl::string_view field) {
  return absl::PermissionDeniedError(absl::StrCat(field, ": outside your jurisdiction"));
}

}  // namespace regulation::access
