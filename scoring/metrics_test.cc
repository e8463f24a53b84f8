#include "scoring/metrics.h"

#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

TEST(Auc, PerfectRankingIsOne) {
  EXPECT_DOUBLE_EQ(Auc({0.1f, 0.2f, 0.8f, 0.9f}, {0, 0, 1, 1}), 1.0);
}

TEST(Auc, ReversedRankingIsZero) {
  EXPECT_DOUBLE_EQ(Auc({0.9f, 0.8f, 0.2f, 0.1f}, {0, 0, 1, 1}), 0.0);
}

TEST(Auc, AllTiesIsOneHalf) {
  EXPECT_DOUBLE_EQ(Auc({0.3f, 0.3f, 0.3f, 0.3f, 0.3f}, {0, 1, 0, 1, 1}), 0.5);
}

TEST(Auc, KnownSmallExamples) {
  // Pairs (positive, negative): (0.35, 0.1) win, (0.35, 0.4) loss, (0.8, *) wins: 3/4.
  EXPECT_DOUBLE_EQ(Auc({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1}), 0.75);
  // A tie between a positive and a negative counts one half: (1 + 0.5 + 1 + 1) / 4.
  EXPECT_DOUBLE_EQ(Auc({0.5f, 0.5f, 0.2f, 0.9f}, {1, 0, 0, 1}), 0.875);
}

TEST(Auc, UndefinedWithOneClass) {
  EXPECT_TRUE(std::isnan(Auc({0.1f, 0.2f}, {1, 1})));
  EXPECT_TRUE(std::isnan(Auc({0.1f, 0.2f}, {0, 0})));
}

TEST(AtBudget, CountsTheTopRowsWithTiesByIndex) {
  // 20 rows, 4 positives (base rate 0.2), scores descending with the index: at 10% the
  // top k = 2 rows are 0 and 1.
  std::vector<float> scores(20), labels(20, 0);
  for (int i = 0; i < 20; ++i) scores[i] = 1.0f - 0.01f * i;
  labels[0] = 1;
  labels[3] = 1;
  labels[10] = 1;
  labels[19] = 1;
  BudgetResult at10 = AtBudget(scores, labels, 0.10);
  EXPECT_EQ(at10.inspected, 2);
  EXPECT_EQ(at10.found, 1);
  EXPECT_DOUBLE_EQ(at10.precision, 0.5);
  EXPECT_DOUBLE_EQ(at10.recall, 0.25);
  EXPECT_DOUBLE_EQ(at10.lift, 2.5);

  // 5% of 20 is exactly 1 row.
  BudgetResult at5 = AtBudget(scores, labels, 0.05);
  EXPECT_EQ(at5.inspected, 1);
  EXPECT_DOUBLE_EQ(at5.precision, 1.0);
  EXPECT_DOUBLE_EQ(at5.lift, 5.0);

  // Rows 1 and 2 tie: the lower index goes first, so the top 2 hold row 1, not row 2.
  scores[1] = scores[2] = 0.995f;
  labels = std::vector<float>(20, 0);
  labels[2] = 1;
  EXPECT_EQ(AtBudget(scores, labels, 0.10).found, 0);
  EXPECT_EQ(AtBudget(scores, labels, 0.15).found, 1);  // k = 3
}

TEST(AtBudget, RoundsTheBudgetUp) {
  std::vector<float> scores(30, 0.5f), labels(30, 0);
  EXPECT_EQ(AtBudget(scores, labels, 0.05).inspected, 2);  // ceil(1.5)
  EXPECT_EQ(AtBudget(scores, labels, 0.10).inspected, 3);  // exactly 3
  EXPECT_EQ(AtBudget(scores, labels, 0.10).recall, 0);     // no positives
}

TEST(Calibration, ExpectedCalibrationErrorByHand) {
  // Bin 0: mean 0.05, observed 0.5, weight 1/2; bin 9: mean 0.95, observed 1, weight 1/2.
  const std::vector<float> scores = {0.05f, 0.05f, 0.95f, 0.95f};
  const std::vector<float> labels = {0, 1, 1, 1};
  EXPECT_NEAR(ExpectedCalibrationError(scores, labels), 0.5 * 0.45 + 0.5 * 0.05, 1e-7);
  const std::vector<CalibrationBin> bins = CalibrationBins(scores, labels);
  ASSERT_EQ(bins.size(), 10u);
  EXPECT_EQ(bins[0].count, 2);
  EXPECT_DOUBLE_EQ(bins[0].observed_rate, 0.5);
  EXPECT_EQ(bins[9].count, 2);
  EXPECT_DOUBLE_EQ(bins[9].upper, 1.0);
  EXPECT_EQ(bins[5].count, 0);
}

TEST(Calibration, ScoreOfOneFallsInTheLastBin) {
  const std::vector<CalibrationBin> bins = CalibrationBins({1.0f, 0.0f}, {1, 0});
  EXPECT_EQ(bins[9].count, 1);
  EXPECT_EQ(bins[0].count, 1);
  EXPECT_DOUBLE_EQ(ExpectedCalibrationError({1.0f, 0.0f}, {1, 0}), 0.0);
}

TEST(BaseRate, IsTheShareOfPositives) {
  EXPECT_DOUBLE_EQ(BaseRate({1, 0, 0, 0}), 0.25);
  EXPECT_DOUBLE_EQ(BaseRate({}), 0.0);
}

TEST(RocCurve, RunsFromOriginToOneOnePointPerThreshold) {
  const std::vector<CurvePoint> roc = RocCurve({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1});
  ASSERT_EQ(roc.size(), 5u);
  EXPECT_DOUBLE_EQ(roc.front().x, 0);
  EXPECT_DOUBLE_EQ(roc.front().y, 0);
  EXPECT_DOUBLE_EQ(roc[1].y, 0.5);  // 0.8: one positive
  EXPECT_DOUBLE_EQ(roc[2].x, 0.5);  // 0.4: one negative
  EXPECT_DOUBLE_EQ(roc.back().x, 1);
  EXPECT_DOUBLE_EQ(roc.back().y, 1);
  // Trapezoids under the curve give the AUC.
  double area = 0;
  for (size_t i = 1; i < roc.size(); ++i) {
    area += (roc[i].x - roc[i - 1].x) * (roc[i].y + roc[i - 1].y) / 2;
  }
  EXPECT_DOUBLE_EQ(area, 0.75);
}

TEST(RocCurve, IsDownsampledKeepingBothEnds) {
  std::vector<float> scores(10000), labels(10000);
  for (int i = 0; i < 10000; ++i) {
    scores[i] = static_cast<float>(i) / 10000;
    labels[i] = (i * 7919) % 3 == 0 ? 1 : 0;
  }
  const std::vector<CurvePoint> roc = RocCurve(scores, labels);
  EXPECT_LE(roc.size(), static_cast<size_t>(kMaxRocPoints));
  EXPECT_GE(roc.size(), 100u);
  EXPECT_DOUBLE_EQ(roc.front().x, 0);
  EXPECT_DOUBLE_EQ(roc.back().y, 1);
  for (size_t i = 1; i < roc.size(); ++i) {
    EXPECT_GE(roc[i].x, roc[i - 1].x);
    EXPECT_GE(roc[i].y, roc[i - 1].y);
  }
}

TEST(GainCurve, HasOnePointPerPercentAndEndsAtOne) {
  std::vector<float> scores(200), labels(200, 0);
  for (int i = 0; i < 200; ++i) scores[i] = 1.0f - i / 200.0f;
  for (int i = 0; i < 10; ++i) labels[i] = 1;  // all positives in the top 5%
  const std::vector<CurvePoint> gain = GainCurve(scores, labels);
  ASSERT_EQ(gain.size(), 101u);
  EXPECT_DOUBLE_EQ(gain[0].y, 0);
  EXPECT_DOUBLE_EQ(gain[5].x, 0.05);
  EXPECT_DOUBLE_EQ(gain[5].y, 1.0);
  EXPECT_DOUBLE_EQ(gain[1].y, 0.2);  // top 2 rows of 200
  EXPECT_DOUBLE_EQ(gain[100].y, 1.0);
}

TEST(ComputeModelMetrics, FillsEveryFigure) {
  std::vector<float> scores(100), labels(100, 0), baseline(100), oracle(100);
  for (int i = 0; i < 100; ++i) {
    scores[i] = 1.0f - i / 100.0f;
    baseline[i] = 0.5f;
    oracle[i] = scores[i];
  }
  for (int i : {0, 1, 2, 30, 60}) labels[i] = 1;
  absl::StatusOr<v1::ModelMetrics> m = ComputeModelMetrics(scores, labels, baseline, oracle);
  ASSERT_OK(m);
  EXPECT_EQ(m->validation_rows(), 100);
  EXPECT_DOUBLE_EQ(m->base_rate(), 0.05);
  EXPECT_DOUBLE_EQ(m->precision_at_5pct(), 0.6);
  EXPECT_DOUBLE_EQ(m->recall_at_5pct(), 0.6);
  EXPECT_DOUBLE_EQ(m->lift_at_5pct(), 12.0);
  EXPECT_DOUBLE_EQ(m->precision_at_10pct(), 0.3);
  EXPECT_DOUBLE_EQ(m->baseline_auc(), 0.5);
  EXPECT_DOUBLE_EQ(m->baseline_precision_at_5pct(), 0.6);  // all tie: rows 0..4
  EXPECT_DOUBLE_EQ(m->oracle_auc(), m->auc());
  EXPECT_DOUBLE_EQ(m->auc_to_oracle(), 1.0);
  EXPECT_GT(m->auc(), 0.8);
  EXPECT_GT(m->calibration_error(), 0);
}

TEST(ComputeModelMetrics, LeavesBaselineAndOracleUnsetWhenNotGiven) {
  absl::StatusOr<v1::ModelMetrics> m = ComputeModelMetrics({0.2f, 0.7f}, {0, 1}, {}, {});
  ASSERT_OK(m);
  EXPECT_EQ(m->baseline_auc(), 0);
  EXPECT_EQ(m->oracle_auc(), 0);
  EXPECT_DOUBLE_EQ(m->auc(), 1.0);
}

TEST(ComputeModelMetrics, RejectsBadInput) {
  EXPECT_THAT(ComputeModelMetrics({}, {}, {}, {}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputeModelMetrics({0.1f, 0.2f}, {1, 1}, {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputeModelMetrics({0.1f}, {0, 1}, {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputeModelMetrics({0.1f, 0.2f}, {0, 1}, {0.5f}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(ComputeModelMetrics({nan, 0.2f}, {0, 1}, {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scoring
