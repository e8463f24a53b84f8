#include "scoring/rolling_validation.h"

#include <vector>

#include "gtest/gtest.h"
#include "scoring/synthetic_data_for_test.h"
#include "scoring/trainer.h"

namespace regulation::scoring {
namespace {

constexpr size_t kCols = 6;

// Three expanding folds over four "windows" of interaction data.
std::vector<TimeFold> Folds() {
  std::vector<TrainingData> windows;
  for (uint64_t w = 0; w < 4; ++w) {
    windows.push_back(MakeSyntheticData(1500, kCols, 100 + w, Relation::kInteraction));
  }
  std::vector<TimeFold> folds;
  for (size_t f = 1; f < windows.size(); ++f) {
    TimeFold fold;
    fold.train.cols = kCols;
    for (size_t w = 0; w < f; ++w) {
      fold.train.features.insert(fold.train.features.end(), windows[w].features.begin(),
                                 windows[w].features.end());
      fold.train.labels.insert(fold.train.labels.end(), windows[w].labels.begin(),
                               windows[w].labels.end());
      fold.train.rows += windows[w].rows;
    }
    fold.validation = windows[f];
    folds.push_back(std::move(fold));
  }
  return folds;
}

v1::TrainingConfig Shape(int depth) {
  v1::TrainingConfig c;
  c.set_max_depth(depth);
  c.set_max_rounds(150);
  c.set_early_stopping_rounds(15);
  return WithDefaults(c);
}

TEST(TuneByRollingValidation, PicksTheCandidateWithTheBestMeanFoldAuc) {
  const std::vector<TimeFold> folds = Folds();
  // A stump cannot express x0 * x1; depth 3 can.
  const std::vector<v1::TrainingConfig> grid = {Shape(1), Shape(3)};
  const TuningResult r = TuneByRollingValidation(folds, grid, {}, nullptr, 1).value();
  ASSERT_EQ(r.candidates.size(), 2u);
  EXPECT_EQ(r.chosen, 1);
  EXPECT_GT(r.candidates[1].mean_auc, r.candidates[0].mean_auc + 0.05);
  for (const CandidateResult& c : r.candidates) {
    ASSERT_EQ(c.fold_auc.size(), folds.size());
    double sum = 0;
    for (double a : c.fold_auc) sum += a;
    EXPECT_DOUBLE_EQ(c.mean_auc, sum / 3);
  }
  EXPECT_EQ(r.rounds, r.candidates[1].fold_rounds.back());
}

TEST(TuneByRollingValidation, RefusesFoldsItCannotScore) {
  std::vector<TimeFold> folds = Folds();
  const std::vector<v1::TrainingConfig> grid = {Shape(2)};
  EXPECT_EQ(TuneByRollingValidation({}, grid, {}, nullptr, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TuneByRollingValidation(folds, {}, {}, nullptr, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::fill(folds[1].validation.labels.begin(), folds[1].validation.labels.end(), 0.0f);
  const absl::Status s = TuneByRollingValidation(folds, grid, {}, nullptr, 1).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("folds[1]"), absl::string_view::npos) << s;
}

TEST(DefaultTuningGrid, KeepsTheCallersOtherFields) {
  v1::TrainingConfig base;
  base.set_seed(9);
  base.set_label_window_days(61);
  const std::vector<v1::TrainingConfig> grid = DefaultTuningGrid(base);
  ASSERT_GE(grid.size(), 4u);
  for (const v1::TrainingConfig& c : grid) {
    EXPECT_EQ(c.seed(), 9u);
    EXPECT_EQ(c.label_window_days(), 61);
    EXPECT_TRUE(ValidateTrainingConfig(c).ok());
  }
}

TEST(TrainGradientBoostedForRounds, TheMonitorSetDecidesNothing) {
  const TrainingData train = MakeSyntheticData(2000, kCols, 1, Relation::kInteraction);
  const TrainingData monitor = MakeSyntheticData(500, kCols, 2, Relation::kInteraction);
  TrainingData flipped = monitor;
  for (float& y : flipped.labels) y = 1.0f - y;
  const v1::TrainingConfig c = Shape(3);
  const TrainedModel a = TrainGradientBoostedForRounds(train, monitor, c, {}, 37, nullptr).value();
  const TrainedModel b = TrainGradientBoostedForRounds(train, flipped, c, {}, 37, nullptr).value();
  EXPECT_EQ(a.model_bytes, b.model_bytes);
  EXPECT_EQ(a.best_iteration, 36);
  EXPECT_EQ(a.rounds_boosted, 37);
  // Early stopping on the flipped labels would have stopped almost at once.
  const TrainedModel early = TrainGradientBoosted(train, flipped, c, {}, nullptr).value();
  EXPECT_LT(early.best_iteration, 36);
  EXPECT_EQ(TrainGradientBoostedForRounds(train, monitor, c, {}, 0, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::scoring
