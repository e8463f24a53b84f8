#ifndef SERVICES_ACCESS_ROLE_H_
#define SERVICES_ACCESS_ROLE_H_

// Who a caller is to the system (docs/security.md has the full role table).

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation::access {

enum class Role : uint8_t {
  // A regulator department, scoped to its region prefix and department.
  kAgency = 0,
  // A law-enforcement inspector: own assignments only.
  kInspector = 1,
  // Oversight: reads everything, changes nothing.
  kAuditor = 2,
  // Anyone: disclosed, redacted data only.
  kPublic = 3,
  // Operators of the system: models, rosters.
  kAdmin = 4,
  // A market entity itself, bound to one credit code: its own records only.
  kEnterprise = 5,
};

inline constexpr Role kAllRoles[] = {Role::kAgency, Role::kInspector, Role::kAuditor, Role::kPublic,
                                     Role::kAdmin,  Role::kEnterprise};

// "agency", "inspector", "auditor", "public", "admin", "enterprise".
absl::string_view RoleName(Role role);
std::optional<Role> RoleFromName(absl::string_view name);

// A set of roles, as a bit mask.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= Bit(r);
  }
  static constexpr RoleSet All() {
    return {Role::kAgency, Role::kInspector, Role::kAuditor, Role::kPublic, Role::kAdmin,
            Role::kEnterprise};
  }
  constexpr bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  // "agency, auditor".
  std::string ToString() const;

 private:
  static constexpr uint8_t Bit(Role r) { return uint8_t{1} << static_cast<uint8_t>(r); }
  uint8_t bits_ = 0;
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_ROLE_H_
