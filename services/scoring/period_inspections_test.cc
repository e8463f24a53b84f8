#include "services/scoring/period_inspections.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "services/scoring/testing/event_history.h"
#include "storage/kv_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::EventHistory;
using ::regulation::services::testing::kNow;
using ::regulation::services::testing::FeatureIndex;
using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;

constexpr int64_t kHour = int64_t{3600} * 1000000;

TEST(DayOf, DaysBeginAtMidnightChinaTime) {
  // 2024-03-01 00:00 in China is 2024-02-29 16:00 UTC.
  const int64_t day = absl::CivilDay(2024, 3, 1) - absl::CivilDay(1970, 1, 1);
  const int64_t start = DayStartMicros(day);
  EXPECT_EQ(start, absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(2024, 2, 29, 16, 0, 0),
                                                      absl::UTCTimeZone())));
  EXPECT_EQ(DayOf(start), day);
  EXPECT_EQ(DayOf(start - 1), day - 1);
  EXPECT_EQ(DayOf(start + 24 * kHour - 1), day);
}

class CollectPeriodInspectionsTest : public ::testing::Test {
 protected:
  CollectPeriodInspectionsTest() : history_(kNow) {}
  void SetUp() override {
    ASSERT_OK(history_.AddEnterprise(0));
    ASSERT_OK(history_.AddEnterprise(1));
  }
  EventHistory history_;
  const int64_t day_ = DayOf(kNow) - 10;
};

TEST_F(CollectPeriodInspectionsTest, FeaturesAreAsOfTheInstantBeforeTheInspectionsDay) {
  const int64_t start = DayStartMicros(day_);
  ASSERT_OK(history_.AddPenalty(0, "day-before", start - kHour));
  ASSERT_OK(history_.AddPenalty(0, "same-day", start + kHour));
  ASSERT_OK(history_.AddInspection(0, "inspection", start + 10 * kHour, /*problem_found=*/true,
                                   "plan-7"));
  ASSERT_OK_AND_ASSIGN(std::vector<PeriodInspection> rows,
                       CollectPeriodInspections(history_.store(), day_, day_));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].event_id, "inspection");
  EXPECT_EQ(rows[0].credit_code, EventHistory::Code(0));
  EXPECT_EQ(rows[0].plan_id, "plan-7");
  EXPECT_EQ(rows[0].day, day_);
  EXPECT_TRUE(rows[0].violation);
  ASSERT_EQ(rows[0].features.size(), scoring::FeatureCatalogue().size());
  // The penalty of the same day happened after planning could know of it.
  EXPECT_EQ(rows[0].features[FeatureIndex("penalties_1y")], 1.0f);
}

TEST_F(CollectPeriodInspectionsTest, OnlyInspectionsOfThePeriodInCodeAndTimeOrder) {
  const int64_t start = DayStartMicros(day_);
  ASSERT_OK(history_.AddInspection(1, "b-in", start + kHour, false));
  ASSERT_OK(history_.AddInspection(0, "a-later", DayStartMicros(day_ + 1) + kHour, false));
  ASSERT_OK(history_.AddInspection(0, "a-in", start + 2 * kHour, true));
  ASSERT_OK(history_.AddInspection(0, "a-before", start - kHour, true));
  ASSERT_OK(history_.AddInspection(0, "a-after", DayStartMicros(day_ + 2), true));
  ASSERT_OK(history_.AddPenalty(1, "not-an-inspection", start + 3 * kHour));
  ASSERT_OK_AND_ASSIGN(std::vector<PeriodInspection> rows,
                       CollectPeriodInspections(history_.store(), day_, day_ + 1));
  const std::string a = EventHistory::Code(0);
  const std::string b = EventHistory::Code(1);
  ASSERT_LT(a, b);
  EXPECT_THAT(rows, ElementsAre(Field(&PeriodInspection::event_id, "a-in"),
                                Field(&PeriodInspection::event_id, "a-later"),
                                Field(&PeriodInspection::event_id, "b-in")));
  EXPECT_THAT(rows, ElementsAre(Field(&PeriodInspection::violation, true),
                                Field(&PeriodInspection::violation, false),
                                Field(&PeriodInspection::violation, false)));
}

TEST_F(CollectPeriodInspectionsTest, CorruptEnterpriseIsDataLoss) {
  ASSERT_OK(history_.AddInspection(0, "i", DayStartMicros(day_) + kHour, true));
  storage::WriteBatch corrupt;
  corrupt.Put(storage::ColumnFamily::kEnterprises, EventHistory::Code(0), "\xff\xff garbage");
  ASSERT_OK(history_.store()->Write(corrupt));
  EXPECT_THAT(CollectPeriodInspections(history_.store(), day_, day_),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace regulation::services
