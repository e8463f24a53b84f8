#include "scheduler/roster_json.h"

#include <string>

#include "gtest/gtest.h"
#include "scheduler/testing/draw_fixtures.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

TEST(ParseRosterJson, ReadsTheSpecRoster) {
  absl::StatusOr<FrozenRoster> roster = ParseRosterJson(testing::ReadTestData("spec_roster.json"));
  ASSERT_OK(roster);
  EXPECT_EQ(roster->inspectors.size(), 14u);
  EXPECT_EQ(roster->inspectors[0].inspector_id, "HZ-M-01");
  EXPECT_EQ(roster->inspectors[0].department, "市场监管局");
  EXPECT_EQ(roster->inspectors[6].status, InspectorStatus::kUnavailable);
  EXPECT_FALSE(roster->conflicts.empty());
  EXPECT_FALSE(roster->last_inspections.empty());
}

TEST(WriteRosterJson, RoundTripsToTheSameDigest) {
  const FrozenRoster roster = testing::SpecRoster();
  const std::string text = WriteRosterJson(roster);
  absl::StatusOr<FrozenRoster> again = ParseRosterJson(text);
  ASSERT_OK(again);
  EXPECT_EQ(*RosterDigest(*again), *RosterDigest(roster));
  EXPECT_EQ(WriteRosterJson(*again), text);
}

TEST(ParseRosterJson, IsStrictAboutMembers) {
  const std::string inspector =
      R"({"inspector_id":"A","department":"d","region_code":"330100",)"
      R"("certificate_valid_until":"","qualifications":[],"status":"ACTIVE")";
  EXPECT_OK(ParseRosterJson(R"({"inspectors":[)" + inspector +
                            R"(}],"conflicts":[],"last_inspections":[]})"));
  EXPECT_EQ(ParseRosterJson(R"({"inspectors":[)" + inspector +
                            R"(,"qualification":["x"]}],"conflicts":[],"last_inspections":[]})")
                .status()
                .message(),
            "roster file: inspectors[0]: unknown member \"qualification\"");
  EXPECT_EQ(ParseRosterJson(R"({"inspectors":[],"conflicts":[]})").status().message(),
            "roster file: document: member \"last_inspections\" is missing");
  EXPECT_FALSE(ParseRosterJson(R"({"inspectors":[)" + inspector +
                               R"(}],"conflicts":[{"inspector_id":"A","credit_code":"x"}],)"
                               R"("last_inspections":[]})")
                   .ok());
  std::string bad_status = inspector;
  bad_status.replace(bad_status.find("ACTIVE"), 6, "ON_LEAVE");
  EXPECT_FALSE(ParseRosterJson(R"({"inspectors":[)" + bad_status +
                               R"(}],"conflicts":[],"last_inspections":[]})")
                   .ok());
  EXPECT_FALSE(ParseRosterJson("not json").ok());
}

}  // namespace
}  // namespace regulation::scheduler
