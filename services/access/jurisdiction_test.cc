#include "services/access/jurisdiction.h"

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::access {
namespace {

using ::regulation::testing::StatusIs;

Caller Agency(std::string prefix) {
  Caller caller;
  caller.roles = {Role::kAgency};
  caller.region_prefix = std::move(prefix);
  return caller;
}

TEST(Jurisdiction, RegionInsidePrefixOnly) {
  EXPECT_TRUE(InJurisdiction(Agency("3301"), "330106"));
  EXPECT_FALSE(InJurisdiction(Agency("3301"), "330206"));
  EXPECT_TRUE(InJurisdiction(Agency(""), "110105"));
}

TEST(Jurisdiction, ListPrefixIsNarrowedNeverWidened) {
  EXPECT_EQ(*ScopedRegionPrefix(Agency("3301"), "", "region_prefix"), "3301");
  EXPECT_EQ(*ScopedRegionPrefix(Agency("3301"), "33", "region_prefix"), "3301");
  EXPECT_EQ(*ScopedRegionPrefix(Agency("3301"), "330106", "region_prefix"), "330106");
  EXPECT_EQ(*ScopedRegionPrefix(Agency(""), "44", "region_prefix"), "44");
  const absl::StatusOr<std::string> disjoint =
      ScopedRegionPrefix(Agency("3301"), "3302", "region_prefix");
  EXPECT_THAT(disjoint, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(disjoint.status().message(), "region_prefix: outside your jurisdiction");
}

}  // namespace
}  // namespace regulation::access
