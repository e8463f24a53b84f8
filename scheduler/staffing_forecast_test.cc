// The staffing forecast a commit is refused on: seats, departments and regions, from the
// rules that do not depend on the draw.

#include "scheduler/staffing_forecast.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace regulation::scheduler {
namespace {

PlanSpec Plan(int team_size, int workload_cap) {
  PlanSpec plan;
  plan.plan_id = "P-1";
  plan.departments = {"samr"};
  plan.items = {{"food-1", "samr", "food"}};
  plan.quotas = {ClassQuota::Count(10), ClassQuota::Count(0), ClassQuota::Count(0),
                 ClassQuota::Count(0)};
  plan.team_size = team_size;
  plan.workload_cap = workload_cap;
  plan.due_date = "2027-03-31";
  return plan;
}

InspectorRecord Inspector(std::string id, std::string department, std::string region,
                          std::vector<std::string> qualifications = {"food"}) {
  return {std::move(id), std::move(department),     std::move(region),
          "2028-12-31",  std::move(qualifications), InspectorStatus::kActive};
}

TEST(ForecastStaffing, EnoughEligibleInspectorsInEveryRegionIsNoShortfall) {
  FrozenRoster roster;
  for (int i = 0; i < 4; ++i)
    roster.inspectors.push_back(Inspector("M" + std::to_string(i), "samr", "330100"));
  const StaffingForecast f = ForecastStaffing(Plan(2, 5), roster, {{"330106", {40, 0, 0, 0}}});
  EXPECT_EQ(f.expected_targets, 10);
  EXPECT_EQ(f.seats_needed, 20);
  EXPECT_EQ(f.eligible_inspectors, 4);
  EXPECT_EQ(f.capacity, 20);
  EXPECT_FALSE(f.shortfall());
}

TEST(ForecastStaffing, TooFewSeatsForTheExpectedTargets) {
  FrozenRoster roster;
  for (int i = 0; i < 4; ++i)
    roster.inspectors.push_back(Inspector("M" + std::to_string(i), "samr", "330100"));
  // Neither the unqualified nor the retired count.
  roster.inspectors.push_back(Inspector("U", "samr", "330100", {}));
  roster.inspectors.push_back(Inspector("R", "samr", "330100"));
  roster.inspectors.back().status = InspectorStatus::kRetired;
  const PlanSpec plan = Plan(2, 4);
  const StaffingForecast f = ForecastStaffing(plan, roster, {{"330106", {40, 0, 0, 0}}});
  EXPECT_EQ(f.eligible_inspectors, 4);
  EXPECT_EQ(f.capacity, 16);
  EXPECT_TRUE(f.shortfall());
  const std::string text = f.Describe(plan);
  EXPECT_TRUE(absl::StrContains(text, "the quotas select 10 targets, 20 seats at 2 per team"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "4 inspectors pass the static rules")) << text;
  EXPECT_TRUE(absl::StrContains(text, "can take 16 at the workload cap of 4")) << text;
}

TEST(ForecastStaffing, ExpectedTargetsOutsideEveryTeamsJurisdiction) {
  FrozenRoster roster;
  for (int i = 0; i < 6; ++i)
    roster.inspectors.push_back(Inspector("M" + std::to_string(i), "samr", "330100"));
  roster.inspectors.push_back(Inspector("WZ", "samr", "330300"));  // one alone in Wenzhou
  const PlanSpec plan = Plan(2, 10);
  // 30 of 40 class-A enterprises in Hangzhou, 10 in Wenzhou: 2.5 of 10 expected there.
  const StaffingForecast f =
      ForecastStaffing(plan, roster, {{"330106", {30, 0, 0, 0}}, {"330302", {10, 0, 0, 0}}});
  EXPECT_EQ(f.unstaffable_expected_millis, 2500);
  EXPECT_EQ(f.unstaffable_regions, std::vector<std::string>{"330302"});
  EXPECT_TRUE(f.shortfall());
  EXPECT_TRUE(absl::StrContains(f.Describe(plan),
                                "2.500 expected targets are in regions where fewer than 2 "
                                "eligible inspectors have jurisdiction (330302)"))
      << f.Describe(plan);
  // A class the plan does not draw does not count.
  EXPECT_FALSE(
      ForecastStaffing(plan, roster, {{"330106", {30, 0, 0, 0}}, {"330302", {0, 10, 0, 0}}})
          .shortfall());
}

TEST(ForecastStaffing, AJointPlanNeedsEveryDepartmentEverywhere) {
  PlanSpec plan = Plan(3, 10);
  plan.departments = {"fire", "samr"};
  plan.items.push_back({"fire-1", "fire", ""});
  FrozenRoster roster;
  for (int i = 0; i < 6; ++i)
    roster.inspectors.push_back(Inspector("M" + std::to_string(i), "samr", "330100"));
  roster.inspectors.push_back(Inspector("F", "fire", "330106", {}));
  const StaffingForecast f =
      ForecastStaffing(plan, roster, {{"330106", {20, 0, 0, 0}}, {"330102", {20, 0, 0, 0}}});
  // 330102 has no fire inspector: half the expected targets; fire can take 10 of 10.
  EXPECT_EQ(f.unstaffable_expected_millis, 5000);
  EXPECT_TRUE(f.short_departments.empty());
  roster.inspectors.pop_back();
  const StaffingForecast none = ForecastStaffing(plan, roster, {{"330106", {20, 0, 0, 0}}});
  ASSERT_EQ(none.short_departments.size(), 1u);
  EXPECT_EQ(none.short_departments[0].first, "fire");
  EXPECT_TRUE(absl::StrContains(none.Describe(plan), "department fire's eligible inspectors"));
}

TEST(ForecastStaffing, EnterprisesWithoutARegionCannotBeStaffed) {
  FrozenRoster roster;
  for (int i = 0; i < 4; ++i)
    roster.inspectors.push_back(Inspector("M" + std::to_string(i), "samr", "330000"));
  const StaffingForecast f =
      ForecastStaffing(Plan(2, 10), roster, {{"", {1, 0, 0, 0}}, {"330106", {9, 0, 0, 0}}});
  EXPECT_EQ(f.unstaffable_expected_millis, 1000);
  EXPECT_EQ(f.unstaffable_regions, std::vector<std::string>{""});
}

}  // namespace
}  // namespace regulation::scheduler
