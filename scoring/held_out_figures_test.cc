#include "scoring/held_out_figures.h"

#include <vector>

#include "gtest/gtest.h"
#include "scoring/schedule_metric.h"

namespace regulation::scoring {
namespace {

const std::vector<double> kCuts = {0.1, 0.2, 0.3};

TEST(ClassHitRates, CountsEachClassWithAWilsonInterval) {
  // Class A: 4 rows, 1 violation; B: none; C: 2 rows, 2 violations; D: 1 row, 0.
  const std::vector<float> scores = {0.01, 0.05, 0.09, 0.0, 0.25, 0.29, 0.9};
  const std::vector<float> labels = {1, 0, 0, 0, 1, 1, 0};
  const std::vector<ClassHitRate> rates = ClassHitRates(scores, labels, kCuts).value();
  ASSERT_EQ(rates.size(), 4u);
  EXPECT_EQ(rates[0].rows, 4);
  EXPECT_EQ(rates[0].violations, 1);
  EXPECT_DOUBLE_EQ(rates[0].rate.estimate, 0.25);
  // Wilson 95% for 1 of 4: [0.0456, 0.6994].
  EXPECT_NEAR(rates[0].rate.lower, 0.0456, 1e-3);
  EXPECT_NEAR(rates[0].rate.upper, 0.6994, 1e-3);
  EXPECT_EQ(rates[1].rows, 0);
  EXPECT_EQ(rates[2].violations, 2);
  EXPECT_DOUBLE_EQ(rates[2].rate.upper, 1.0);
  EXPECT_EQ(rates[3].rows, 1);
  EXPECT_EQ(ClassHitRates(scores, labels, {0.3, 0.2, 0.1}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CompareQuotaPolicy, WeighsClassesByTheirQuotas) {
  // 100 rows in A with 5 violations, 100 in D with 50. Quotas 1% and 30%: the draw
  // takes 1 from A and 30 from D, so expects (0.05 + 15) / 31 = 48.5 per 100; a uniform
  // draw finds 27.5 per 100.
  std::vector<float> scores, labels;
  for (int i = 0; i < 100; ++i) {
    scores.push_back(0.05f);
    labels.push_back(i < 5 ? 1.0f : 0.0f);
    scores.push_back(0.5f);
    labels.push_back(i < 50 ? 1.0f : 0.0f);
  }
  const PolicyComparison p =
      CompareQuotaPolicy(scores, labels, kCuts, {0.01, 0.03, 0.10, 0.30}).value();
  EXPECT_NEAR(p.quota_per_100.estimate, 100 * (0.01 * 5 + 0.30 * 50) / 31.0, 1e-9);
  EXPECT_NEAR(p.uniform_per_100.estimate, 27.5, 1e-9);
  EXPECT_GT(p.difference.lower, 0);
  EXPECT_LT(p.quota_per_100.lower, p.quota_per_100.estimate);
  EXPECT_GT(p.quota_per_100.upper, p.quota_per_100.estimate);
  EXPECT_EQ(CompareQuotaPolicy(scores, labels, kCuts, {0, 0, 0, 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ScheduleCurveOf, ScoreOrderReachesTheViolationsFirst) {
  // Four inspections on days 0, 1, 2, 3; the violations were the last two, and the model
  // ranks them first: by day 1 score order has reached both, the real order none.
  const std::vector<int64_t> days = {10, 11, 12, 13};
  const std::vector<float> scores = {0.1, 0.2, 0.9, 0.8};
  const std::vector<float> labels = {0, 0, 1, 1};
  const ScheduleCurve c = ScheduleCurveOf(days, scores, labels, 500, 3).value();
  ASSERT_EQ(c.points.size(), 4u);
  EXPECT_EQ(c.violations, 2);
  EXPECT_EQ(c.points[0].model, 1);
  EXPECT_EQ(c.points[1].model, 2);
  EXPECT_EQ(c.points[1].real, 0);
  EXPECT_EQ(c.points[3].real, 2);
  // Random order: by day 1 (two slots), 2 * 2/4 = 1 violation on average.
  EXPECT_NEAR(c.points[1].random_mean, 1.0, 0.1);
  EXPECT_EQ(c.points[1].random_lower, 0);
  EXPECT_EQ(c.points[1].random_upper, 2);
  EXPECT_EQ(c.points[3].random_mean, 2);
  // The same order as the schedule metric: both violations gain two days.
  EXPECT_DOUBLE_EQ(MeanDaysEarlier(days, scores, labels), 2.0);
}

TEST(ScheduleCurveOf, SharesADayBetweenItsSlots) {
  // Three inspections on one day and one two days later: day 0 has three slots.
  const std::vector<int64_t> days = {5, 5, 5, 7};
  const std::vector<float> scores = {0.1, 0.2, 0.3, 0.9};
  const std::vector<float> labels = {0, 0, 0, 1};
  const ScheduleCurve c = ScheduleCurveOf(days, scores, labels).value();
  ASSERT_EQ(c.points.size(), 3u);
  EXPECT_EQ(c.points[0].model, 1);
  EXPECT_EQ(c.points[0].real, 0);
  EXPECT_EQ(c.points[1].real, 0);
  EXPECT_NEAR(c.points[0].random_mean, 0.75, 0.1);
  EXPECT_EQ(ScheduleCurveOf({}, {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::scoring
