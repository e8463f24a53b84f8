#include "services/access/role.h"

#include <vector>

#include "absl/strings/str_join.h"

namespace regulation::access {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAgency:
      return "agency";
    case Role::kInspector:
      return "inspector";
    case Role::kAuditor:
      return "auditor";
    case Role::kPublic:
      return "public";
    case Role::kAdmin:
      return "admin";
    case Role::kEnterprise:
      return "enterprise";
  }
  return "unknown";
}

std::optional<Role> RoleFromName(absl::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::string RoleSet::ToString() const {
  std::vector<absl::string_view> names;
  for (Role role : kAllRoles) {
    if (Contains(role)) names.push_back(RoleName(role));
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace regulation::access
