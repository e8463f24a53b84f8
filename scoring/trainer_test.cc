#include "scoring/trainer.h"

#include <vector>

#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "scoring/metrics.h"
#include "scoring/synthetic_data_for_test.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

constexpr size_t kCols = 10;

TEST(WithDefaults, FillsZeroFieldsOnly) {
  const v1::TrainingConfig d = WithDefaults(v1::TrainingConfig());
  EXPECT_EQ(d.max_rounds(), 400);
  EXPECT_EQ(d.early_stopping_rounds(), 30);
  EXPECT_EQ(d.max_depth(), 6);
  EXPECT_DOUBLE_EQ(d.learning_rate(), 0.08);
  EXPECT_DOUBLE_EQ(d.subsample(), 0.9);
  EXPECT_DOUBLE_EQ(d.colsample_bytree(), 0.9);
  EXPECT_DOUBLE_EQ(d.min_child_weight(), 5);
  EXPECT_DOUBLE_EQ(d.lambda(), 1);
  EXPECT_EQ(d.seed(), 1u);
  EXPECT_EQ(d.label_window_days(), 91);
  EXPECT_OK(ValidateTrainingConfig(d));

  v1::TrainingConfig mine;
  mine.set_max_depth(3);
  mine.set_seed(42);
  mine.set_subsample(0.5);
  const v1::TrainingConfig completed = WithDefaults(mine);
  EXPECT_EQ(completed.max_depth(), 3);
  EXPECT_EQ(completed.seed(), 42u);
  EXPECT_DOUBLE_EQ(completed.subsample(), 0.5);
  EXPECT_EQ(completed.max_rounds(), 400);
}

TEST(ValidateTrainingConfig, NamesTheFieldOutOfRange) {
  v1::TrainingConfig c = WithDefaults(v1::TrainingConfig());
  c.set_subsample(1.5);
  absl::Status s = ValidateTrainingConfig(c);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(s.message().find("config.subsample"), absl::string_view::npos) << s;
  c = WithDefaults(v1::TrainingConfig());
  c.set_max_depth(-1);
  EXPECT_THAT(ValidateTrainingConfig(c), StatusIs(absl::StatusCode::kInvalidArgument));
  c = WithDefaults(v1::TrainingConfig());
  c.set_learning_rate(-0.1);
  EXPECT_THAT(ValidateTrainingConfig(c), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CatalogueMonotoneConstraints, FollowTheCatalogueDirections) {
  const std::vector<int> constraints = CatalogueMonotoneConstraints();
  const auto catalogue = FeatureCatalogue();
  ASSERT_EQ(constraints.size(), catalogue.size());
  for (size_t i = 0; i < catalogue.size(); ++i) {
    EXPECT_EQ(constraints[i], static_cast<int>(catalogue[i].direction)) << catalogue[i].name;
  }
  EXPECT_EQ(constraints[4], 1);   // penalties_1y
  EXPECT_EQ(constraints[8], -1);  // days_since_penalty
  EXPECT_EQ(constraints[0], 0);   // age_years
}

class TrainerTest : public ::testing::Test {
 protected:
  TrainingData train_ = MakeSyntheticData(3000, kCols, 1, Relation::kLinear);
  TrainingData valid_ = MakeSyntheticData(1000, kCols, 2, Relation::kLinear);
};

TEST_F(TrainerTest, EarlyStoppingKeepsTheBestRound) {
  v1::TrainingConfig config;
  config.set_learning_rate(0.3);  // overfits quickly, so early stopping ends the run
  config.set_early_stopping_rounds(5);
  std::vector<double> losses;
  absl::StatusOr<TrainedModel> model =
      TrainGradientBoosted(train_, valid_, config, {}, [&](int round, double logloss) {
        EXPECT_EQ(round, static_cast<int>(losses.size()));
        losses.push_back(logloss);
        return absl::OkStatus();
      });
  ASSERT_OK(model);
  ASSERT_EQ(static_cast<int>(losses.size()), model->rounds_boosted);
  EXPECT_LT(model->rounds_boosted, 400);  // stopped early
  EXPECT_EQ(model->rounds_boosted, model->best_iteration + 1 + 5);
  for (size_t i = 0; i < losses.size(); ++i) {
    if (static_cast<int>(i) < model->best_iteration) {
      EXPECT_GT(losses[i], losses[model->best_iteration]) << i;
    } else {
      EXPECT_GE(losses[i], losses[model->best_iteration]) << i;
    }
  }
  EXPECT_DOUBLE_EQ(model->best_validation_logloss, losses[model->best_iteration]);
  EXPECT_EQ(model->booster.boosted_rounds(), model->best_iteration + 1);

  // Cutting back is the same as never growing the later trees: a run of exactly
  // best_iteration + 1 rounds gives the same bytes.
  v1::TrainingConfig shorter = config;
  shorter.set_max_rounds(model->best_iteration + 1);
  absl::StatusOr<TrainedModel> direct = TrainGradientBoosted(train_, valid_, shorter, {}, nullptr);
  ASSERT_OK(direct);
  EXPECT_EQ(direct->model_bytes, model->model_bytes);
}

// A caller that went away stops the boosting loop at the next round.
TEST_F(TrainerTest, AProgressErrorStopsTrainingAfterThatRound) {
  v1::TrainingConfig config;
  config.set_max_rounds(200);
  int rounds = 0;
  absl::StatusOr<TrainedModel> model =
      TrainGradientBoosted(train_, valid_, config, {}, [&](int round, double) {
        ++rounds;
        return round == 2 ? absl::DeadlineExceededError("the call's deadline passed")
                          : absl::OkStatus();
      });
  EXPECT_THAT(model, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(rounds, 3);
}

TEST_F(TrainerTest, TheModelPredictsLikeItsBytes) {
  v1::TrainingConfig config;
  config.set_max_rounds(30);
  absl::StatusOr<TrainedModel> model = TrainGradientBoosted(train_, valid_, config, {}, nullptr);
  ASSERT_OK(model);
  absl::StatusOr<Booster> reloaded = Booster::Load(model->model_bytes);
  ASSERT_OK(reloaded);
  std::vector<float> a, b;
  ASSERT_OK(model->booster.PredictProbabilities(valid_.features, valid_.rows, kCols, &a));
  ASSERT_OK(reloaded->PredictProbabilities(valid_.features, valid_.rows, kCols, &b));
  EXPECT_EQ(a, b);
  EXPECT_GT(Auc(a, valid_.labels), 0.75);
}

TEST_F(TrainerTest, RejectsInconsistentInput) {
  v1::TrainingConfig config;
  TrainingData narrow = MakeSyntheticData(100, kCols - 1, 3, Relation::kLinear);
  EXPECT_THAT(TrainGradientBoosted(train_, narrow, config, {}, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  TrainingData bad = train_;
  bad.labels[7] = 2;
  EXPECT_THAT(TrainGradientBoosted(bad, valid_, config, {}, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const std::vector<int> too_short = {1, 0};
  EXPECT_THAT(TrainGradientBoosted(train_, valid_, config, too_short, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<int> out_of_range(kCols, 0);
  out_of_range[3] = 2;
  EXPECT_THAT(TrainGradientBoosted(train_, valid_, config, out_of_range, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TrainGradientBoosted(train_, valid_, config, {}, nullptr, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  TrainingData empty;
  empty.cols = kCols;
  EXPECT_THAT(TrainGradientBoosted(train_, empty, config, {}, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TrainLinearBaseline(train_, narrow, 1), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(TrainerTest, LinearBaselineIsDeterministicAndReadsRawFeatures) {
  absl::StatusOr<TrainedModel> first = TrainLinearBaseline(train_, valid_, 1);
  ASSERT_OK(first);
  absl::StatusOr<TrainedModel> second = TrainLinearBaseline(train_, valid_, 1);
  ASSERT_OK(second);
  EXPECT_EQ(first->model_bytes, second->model_bytes);
  EXPECT_EQ(first->booster.booster_type(), "gblinear");

  std::vector<float> p;
  ASSERT_OK(first->booster.PredictProbabilities(valid_.features, valid_.rows, kCols, &p));
  const double auc = Auc(p, valid_.labels);
  EXPECT_GT(auc, 0.75);

  // Rescaling a feature (e.g. yuan instead of ten-thousand yuan) leaves the fitted
  // probabilities essentially unchanged: the baseline standardises internally.
  TrainingData scaled_train = train_, scaled_valid = valid_;
  for (size_t r = 0; r < scaled_train.rows; ++r) scaled_train.features[r * kCols] *= 1000;
  for (size_t r = 0; r < scaled_valid.rows; ++r) scaled_valid.features[r * kCols] *= 1000;
  absl::StatusOr<TrainedModel> scaled = TrainLinearBaseline(scaled_train, scaled_valid, 1);
  ASSERT_OK(scaled);
  std::vector<float> q;
  ASSERT_OK(scaled->booster.PredictProbabilities(scaled_valid.features, valid_.rows, kCols, &q));
  for (size_t i = 0; i < p.size(); ++i) ASSERT_NEAR(p[i], q[i], 1e-3) << i;
}

}  // namespace
}  // namespace regulation::scoring
