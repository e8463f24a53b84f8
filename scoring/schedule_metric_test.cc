// The schedule metric on hand-made cases whose answers are worked out below.

#include "scoring/schedule_metric.h"

#include <vector>

#include "gtest/gtest.h"

namespace regulation::scoring {
namespace {

TEST(ScheduleMetric, AHandMadeCaseGivesItsWorkedOutAnswer) {
  // Five inspections on days 1, 1, 2, 5, 9 (two on day 1: capacity two that day).
  // Violations were found on days 5 and 9. Scores put the day-9 one first, the day-5
  // one third. Slots, in order: 1, 1, 2, 5, 9.
  //   day 9 (score .9) takes slot 1 -> 8 days earlier
  //   day 1 (score .7) takes slot 1
  //   day 5 (score .5) takes slot 2 -> 3 days earlier
  //   day 2 (score .3) takes slot 5; day 1 (score .1) takes slot 9
  // Mean over the two violations: (8 + 3) / 2 = 5.5.
  const std::vector<int64_t> days = {1, 1, 2, 5, 9};
  const std::vector<float> scores = {0.7f, 0.1f, 0.3f, 0.5f, 0.9f};
  const std::vector<float> labels = {0, 0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(MeanDaysEarlier(days, scores, labels), 5.5);
}

TEST(ScheduleMetric, AScoreThatPutsViolationsLastMakesThemLate) {
  // The violation on day 1 is scored lowest of three (days 1, 2, 3): it takes slot 3.
  const std::vector<int64_t> days = {1, 2, 3};
  const std::vector<float> scores = {0.1f, 0.5f, 0.9f};
  const std::vector<float> labels = {1, 0, 0};
  EXPECT_DOUBLE_EQ(MeanDaysEarlier(days, scores, labels), -2.0);
}

TEST(ScheduleMetric, TiesKeepTheRealOrderAndNoViolationsGiveZero) {
  const std::vector<int64_t> days = {3, 1, 2};
  const std::vector<float> same = {0.5f, 0.5f, 0.5f};
  EXPECT_DOUBLE_EQ(MeanDaysEarlier(days, same, std::vector<float>{1, 1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(
      MeanDaysEarlier(days, std::vector<float>{0.9f, 0.2f, 0.1f}, std::vector<float>{0, 0, 0}),
      0.0);
}

TEST(ScheduleMetric, RandomOrderAveragesTheExpectedGainAndIsReproducible) {
  // One violation among days 0..9 on day 9: a random order gives it a uniform slot, so
  // the expected gain is 9 - 4.5 = 4.5.
  std::vector<int64_t> days;
  std::vector<float> labels;
  for (int d = 0; d < 10; ++d) {
    days.push_back(d);
    labels.push_back(d == 9 ? 1.0f : 0.0f);
  }
  const RandomOrderSummary r = RandomOrderDaysEarlier(days, labels, 4000, 7);
  EXPECT_NEAR(r.mean, 4.5, 0.25);
  EXPECT_NEAR(r.sd, 2.87, 0.15);  // sd of a uniform slot 0..9
  EXPECT_DOUBLE_EQ(r.p025, 0.0);
  EXPECT_DOUBLE_EQ(r.p975, 9.0);
  const RandomOrderSummary again = RandomOrderDaysEarlier(days, labels, 4000, 7);
  EXPECT_EQ(r.mean, again.mean);
}

}  // namespace
}  // namespace regulation::scoring
