#include "services/access/enterprise_scope.h"

#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.pb.h"
#include "regulation/v1/scoring_service.pb.h"
#include "testing/status_matchers.h"

namespace regulation::access {
namespace {

using ::regulation::testing::StatusIs;

constexpr char kOwn[] = "91350100M000100Y43";
constexpr char kOther[] = "91350100M000101Y4X";

RpcPolicy Allowing(RoleSet roles) { return {"/x/Y", roles, false}; }

Caller WithRoles(RoleSet roles) {
  Caller caller;
  caller.roles = roles;
  caller.credit_code = kOwn;
  return caller;
}

TEST(EnterpriseScope, OnlyAnEnterpriseAdmittedAsSuchIsScoped) {
  const RpcPolicy readers = Allowing({Role::kAgency, Role::kAdmin, Role::kEnterprise});
  EXPECT_TRUE(AdmittedOnlyAsEnterprise(readers, WithRoles({Role::kEnterprise})));
  EXPECT_FALSE(AdmittedOnlyAsEnterprise(readers, WithRoles({Role::kAgency})));
  // The local operator holds every role: admitted as admin too, so not scoped.
  EXPECT_FALSE(AdmittedOnlyAsEnterprise(readers, WithRoles(RoleSet::All())));
  EXPECT_FALSE(AdmittedOnlyAsEnterprise(Allowing({Role::kAdmin}), WithRoles({Role::kEnterprise})));
  // Disclosed data: an enterprise reads it as anyone does.
  EXPECT_FALSE(AdmittedOnlyAsEnterprise(Allowing(RoleSet::All()), WithRoles({Role::kEnterprise})));
}

TEST(EnterpriseScope, ItsOwnCodeOrNoneIsAdmittedAnyOtherIsNot) {
  v1::GetPortraitRequest request;
  request.set_credit_code(kOwn);
  EXPECT_OK(WithinOwnEnterprise(request, kOwn));
  request.clear_credit_code();  // the service says it is required
  EXPECT_OK(WithinOwnEnterprise(request, kOwn));
  for (const char* other : {kOther, "91350100M000100Y44", "91350100m000100y43", "x"}) {
    request.set_credit_code(other);
    const absl::Status refused = WithinOwnEnterprise(request, kOwn);
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied)) << other;
    // The same words for every other code: existence is not revealed.
    EXPECT_EQ(refused.message(),
              "credit_code: an enterprise's certificate reaches only its own enterprise's records");
  }
}

TEST(EnterpriseScope, ARequestWithoutACreditCodeIsRefused) {
  v1::ListEnterprisesRequest request;  // a region-wide list
  EXPECT_THAT(WithinOwnEnterprise(request, kOwn), StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace regulation::access
