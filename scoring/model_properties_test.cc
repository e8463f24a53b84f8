// Properties of trained models (docs/scoring.md): reproducible bytes, monotone
// constraints that hold, SHAP values that add up to the margin, and quality on data
// with a signal.

#include <cstdint>
#include <iostream>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "scoring/booster.h"
#include "scoring/explanations.h"
#include "scoring/metrics.h"
#include "scoring/synthetic_data_for_test.h"
#include "scoring/trainer.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

constexpr size_t kCols = 10;
constexpr int kThreads = 2;

v1::TrainingConfig SmallConfig(uint64_t seed) {
  v1::TrainingConfig config;
  config.set_max_rounds(80);
  config.set_seed(seed);
  config.set_subsample(0.8);
  config.set_colsample_bytree(0.8);
  return config;
}

TEST(Reproducibility, SameDataConfigAndThreadsGiveIdenticalModelBytes) {
  const TrainingData train = MakeSyntheticData(3000, kCols, 21, Relation::kLinear);
  const TrainingData valid = MakeSyntheticData(1000, kCols, 22, Relation::kLinear);
  std::vector<int> constraints(kCols, 0);
  constraints[0] = 1;
  absl::StatusOr<TrainedModel> a =
      TrainGradientBoosted(train, valid, SmallConfig(7), constraints, nullptr, kThreads);
  absl::StatusOr<TrainedModel> b =
      TrainGradientBoosted(train, valid, SmallConfig(7), constraints, nullptr, kThreads);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->best_iteration, b->best_iteration);
  EXPECT_EQ(a->model_bytes, b->model_bytes);

  // Another seed draws other rows and columns (subsample < 1): other trees.
  absl::StatusOr<TrainedModel> c =
      TrainGradientBoosted(train, valid, SmallConfig(8), constraints, nullptr, kThreads);
  ASSERT_OK(c);
  EXPECT_NE(a->model_bytes, c->model_bytes);
}

TEST(Monotonicity, RaisingAnIncreasingFeatureNeverLowersTheProbability) {
  // The true effect of x0 rises and falls; the model is constrained to rise.
  constexpr size_t kFeature = 0;
  const TrainingData train = MakeSyntheticData(3000, kCols, 31, Relation::kWavy);
  const TrainingData valid = MakeSyntheticData(1000, kCols, 32, Relation::kWavy);
  std::vector<int> constraints(kCols, 0);
  constraints[kFeature] = 1;
  v1::TrainingConfig config = SmallConfig(3);
  config.set_max_rounds(150);
  absl::StatusOr<TrainedModel> model =
      TrainGradientBoosted(train, valid, config, constraints, nullptr, kThreads);
  ASSERT_OK(model);

  // 1,000 cases: a random validation row, and the same row with x0 raised by a random
  // amount in (0, 3].
  constexpr int kCases = 1000;
  std::mt19937_64 rng(99);
  std::vector<float> before, after;
  before.reserve(kCases * kCols);
  after.reserve(kCases * kCols);
  for (int i = 0; i < kCases; ++i) {
    const size_t row = rng() % valid.rows;
    const float increment = static_cast<float>((rng() % 3000 + 1) / 1000.0);
    for (size_t c = 0; c < kCols; ++c) {
      const float v = valid.features[row * kCols + c];
      before.push_back(v);
      after.push_back(c == kFeature ? v + increment : v);
    }
  }
  std::vector<float> p_before, p_after;
  ASSERT_OK(model->booster.PredictProbabilities(before, kCases, kCols, &p_before));
  ASSERT_OK(model->booster.PredictProbabilities(after, kCases, kCols, &p_after));
  int violations = 0, raised = 0;
  for (int i = 0; i < kCases; ++i) {
    violations += p_after[i] < p_before[i];
    raised += p_after[i] > p_before[i];
  }
  EXPECT_EQ(violations, 0);
  EXPECT_GT(raised, kCases / 2);  // the feature matters: the test is not vacuous

  // Without the constraint the same data gives a model that does go down somewhere.
  absl::StatusOr<TrainedModel> free =
      TrainGradientBoosted(train, valid, config, {}, nullptr, kThreads);
  ASSERT_OK(free);
  ASSERT_OK(free->booster.PredictProbabilities(before, kCases, kCols, &p_before));
  ASSERT_OK(free->booster.PredictProbabilities(after, kCases, kCols, &p_after));
  int free_violations = 0;
  for (int i = 0; i < kCases; ++i) free_violations += p_after[i] < p_before[i];
  EXPECT_GT(free_violations, 0);
}

TEST(Shap, ContributionsPlusBiasEqualTheMarginForEveryRow) {
  const TrainingData train = MakeSyntheticData(3000, kCols, 41, Relation::kInteraction);
  const TrainingData valid = MakeSyntheticData(1000, kCols, 42, Relation::kInteraction);
  absl::StatusOr<TrainedModel> model =
      TrainGradientBoosted(train, valid, SmallConfig(1), {}, nullptr, kThreads);
  ASSERT_OK(model);
  for (const Booster* booster : {&model->booster}) {
    constexpr size_t kRows = 500;
    const absl::Span<const float> rows =
        absl::MakeConstSpan(valid.features).subspan(0, kRows * kCols);
    std::vector<float> contributions, margins;
    ASSERT_OK(booster->Contributions(rows, kRows, kCols, &contributions));
    ASSERT_OK(booster->PredictMargins(rows, kRows, kCols, &margins));
    EXPECT_OK(CheckContributionsSumToMargin(contributions, margins, kCols));
    // The check does catch a row that does not add up.
    contributions[3 * (kCols + 1) + 2] += 0.01f;
    EXPECT_THAT(CheckContributionsSumToMargin(contributions, margins, kCols),
                StatusIs(absl::StatusCode::kFailedPrecondition));
  }
}

TEST(Shap, LinearContributionsAddUpToo) {
  const TrainingData train = MakeSyntheticData(3000, kCols, 43, Relation::kLinear);
  const TrainingData valid = MakeSyntheticData(1000, kCols, 44, Relation::kLinear);
  absl::StatusOr<TrainedModel> model = TrainLinearBaseline(train, valid, 1);
  ASSERT_OK(model);
  std::vector<float> contributions, margins;
  ASSERT_OK(model->booster.Contributions(valid.features, valid.rows, kCols, &contributions));
  ASSERT_OK(model->booster.PredictMargins(valid.features, valid.rows, kCols, &margins));
  EXPECT_OK(CheckContributionsSumToMargin(contributions, margins, kCols));
}

TEST(Quality, TreesFindTheSignalAndBeatTheLinearBaselineOnAnInteraction) {
  std::vector<float> oracle;
  const TrainingData train = MakeSyntheticData(3000, kCols, 51, Relation::kInteraction);
  const TrainingData valid = MakeSyntheticData(2000, kCols, 52, Relation::kInteraction, &oracle);
  absl::StatusOr<TrainedModel> trees =
      TrainGradientBoosted(train, valid, v1::TrainingConfig(), {}, nullptr, kThreads);
  ASSERT_OK(trees);
  absl::StatusOr<TrainedModel> linear = TrainLinearBaseline(train, valid, 1);
  ASSERT_OK(linear);
  std::vector<float> p_trees, p_linear;
  ASSERT_OK(trees->booster.PredictProbabilities(valid.features, valid.rows, kCols, &p_trees));
  ASSERT_OK(linear->booster.PredictProbabilities(valid.features, valid.rows, kCols, &p_linear));
  absl::StatusOr<v1::ModelMetrics> m = ComputeModelMetrics(p_trees, valid.labels, p_linear, oracle);
  ASSERT_OK(m);
  EXPECT_GT(m->auc(), 0.75) << m->DebugString();
  EXPECT_GT(m->auc(), m->baseline_auc() + 0.05) << m->DebugString();
  EXPECT_GT(m->auc_to_oracle(), 0.9) << m->DebugString();
  EXPECT_GT(m->lift_at_10pct(), 1.5) << m->DebugString();
  std::cout << "interaction data: " << m->ShortDebugString() << "\n";
}

TEST(Quality, OnAdditiveDataBothModelsDoWell) {
  std::vector<float> oracle;
  const TrainingData train = MakeSyntheticData(3000, kCols, 61, Relation::kLinear);
  const TrainingData valid = MakeSyntheticData(2000, kCols, 62, Relation::kLinear, &oracle);
  absl::StatusOr<TrainedModel> trees =
      TrainGradientBoosted(train, valid, v1::TrainingConfig(), {}, nullptr, kThreads);
  ASSERT_OK(trees);
  absl::StatusOr<TrainedModel> linear = TrainLinearBaseline(train, valid, 1);
  ASSERT_OK(linear);
  std::vector<float> p_trees, p_linear;
  ASSERT_OK(trees->booster.PredictProbabilities(valid.features, valid.rows, kCols, &p_trees));
  ASSERT_OK(linear->booster.PredictProbabilities(valid.features, valid.rows, kCols, &p_linear));
  absl::StatusOr<v1::ModelMetrics> m = ComputeModelMetrics(p_trees, valid.labels, p_linear, oracle);
  ASSERT_OK(m);
  EXPECT_GT(m->auc(), 0.75) << m->DebugString();
  EXPECT_GT(m->baseline_auc(), 0.75) << m->DebugString();
  std::cout << "additive data: " << m->ShortDebugString() << "\n";
}

}  // namespace
}  // namespace regulation::scoring
