#include "services/seams/on_behalf_of.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/quote.h"

namespace regulation::services {

internal::v1::OnBehalfOf ToOnBehalfOf(const access::Caller& caller) {
  internal::v1::OnBehalfOf out;
  for (access::Role role : access::kAllRoles) {
    if (caller.roles.Contains(role)) out.add_roles(std::string(access::RoleName(role)));
  }
  out.set_subject(caller.subject);
  out.set_department(caller.department);
  out.set_region_prefix(caller.region_prefix);
  out.set_inspector_id(caller.inspector_id);
  out.set_credit_code(caller.credit_code);
  out.set_anonymous(caller.anonymous);
  return out;
}

absl::StatusOr<access::Caller> FromOnBehalfOf(const internal::v1::OnBehalfOf& on_behalf_of) {
  if (on_behalf_of.roles().empty()) {
    return absl::InvalidArgumentError("on_behalf_of.roles: at least one role is required");
  }
  access::Caller caller;
  for (const std::string& name : on_behalf_of.roles()) {
    std::optional<access::Role> role = access::RoleFromName(name);
    if (!role.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("on_behalf_of.roles: unknown role ", Quote(name)));
    }
    caller.roles.Add(*role);
  }
  caller.subject = on_behalf_of.subject();
  caller.department = on_behalf_of.department();
  caller.region_prefix = on_behalf_of.region_prefix();
  caller.inspector_id = on_behalf_of.inspector_id();
  caller.credit_code = on_behalf_of.credit_code();
  caller.anonymous = on_behalf_of.anonymous();
  return caller;
}

}  // namespace regulation::services
