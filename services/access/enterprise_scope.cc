#include "services/access/enterprise_scope.h"

#include <string>

#include "google/protobuf/descriptor.h"

namespace regulation::access {

bool AdmittedOnlyAsEnterprise(const RpcPolicy& policy, const Caller& caller) {
  // What the public may read is everyone's, not one enterprise's.
  if (!caller.roles.Contains(Role::kEnterprise) || !policy.allowed.Contains(Role::kEnterprise) ||
      policy.allowed.Contains(Role::kPublic)) {
    return false;
  }
  for (Role role : kAllRoles) {
    if (role != Role::kEnterprise && caller.roles.Contains(role) && policy.allowed.Contains(role)) {
      return false;
    }
  }
  return true;
}

absl::Status WithinOwnEnterprise(const google::protobuf::Message& request,
                                 absl::string_view own_credit_code) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("credit_code");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return absl::PermissionDeniedError(
        "credit_code: an enterprise's certificate reaches only requests about its own "
        "enterprise");
  }
  std::string scratch;
  const std::string& asked =
      request.GetReflection()->GetStringReference(request, field, &scratch);
  if (asked.empty() || asked == own_credit_code) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "credit_code: an enterprise's certificate reaches only its own enterprise's records");
}

}  // namespace regulation::access
