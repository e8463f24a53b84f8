#include "scoring/rolling_validation.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "scoring/metrics.h"
#include "scoring/trainer.h"

namespace regulation::scoring {
namespace {

bool BothClasses(const TrainingData& data) {
  const auto positives = std::count(data.labels.begin(), data.labels.end(), 1.0f);
  return positives > 0 && positives < static_cast<std::ptrdiff_t>(data.labels.size());
}

}  // namespace

std::vector<v1::TrainingConfig> DefaultTuningGrid(const v1::TrainingConfig& base) {
  struct Shape {
    int max_depth;
    double min_child_weight;
    double learning_rate;
  };
  // From an almost additive model to the old default: the generator's log-odds are
  // mostly additive with a few interactions, and a real population's may be anything.
  static constexpr Shape kShapes[] = {
      {2, 10, 0.08}, {3, 20, 0.05}, {4, 40, 0.05}, {4, 10, 0.05}, {6, 5, 0.08}, {6, 50, 0.03},
  };
  std::vector<v1::TrainingConfig> grid;
  for (const Shape& s : kShapes) {
    v1::TrainingConfig c = base;
    c.set_max_depth(s.max_depth);
    c.set_min_child_weight(s.min_child_weight);
    c.set_learning_rate(s.learning_rate);
    grid.push_back(WithDefaults(c));
  }
  return grid;
}

absl::StatusOr<TuningResult> TuneByRollingValidation(
    absl::Span<const TimeFold> folds, absl::Span<const v1::TrainingConfig> grid,
    absl::Span<const int> monotone_constraints,
    const std::function<absl::Status(const std::string& stage)>& progress, int nthread) {
  if (folds.empty()) return absl::InvalidArgumentError("folds: none");
  if (grid.empty()) return absl::InvalidArgumentError("grid: no candidates");
  for (size_t k = 0; k < folds.size(); ++k) {
    if (!BothClasses(folds[k].train) || !BothClasses(folds[k].validation)) {
      return absl::InvalidArgumentError(
          absl::StrCat("folds[", k, "]: training or validation rows hold one class only"));
    }
  }
  TuningResult result;
  for (size_t i = 0; i < grid.size(); ++i) {
    CandidateResult candidate;
    candidate.config = WithDefaults(grid[i]);
    for (size_t k = 0; k < folds.size(); ++k) {
      REG_ASSIGN_OR_RETURN(TrainedModel model,
                           TrainGradientBoosted(folds[k].train, folds[k].validation,
                                                candidate.config, monotone_constraints,
                                                nullptr, nthread));
      std::vector<float> scores;
      REG_RETURN_IF_ERROR(model.booster.PredictProbabilities(
          folds[k].validation.features, folds[k].validation.rows, folds[k].validation.cols,
          &scores));
      candidate.fold_auc.push_back(Auc(scores, folds[k].validation.labels));
      candidate.fold_rounds.push_back(model.best_iteration + 1);
      if (progress) {
        REG_RETURN_IF_ERROR(progress(absl::StrCat("tuning: candidate ", i + 1, "/", grid.size(),
                                                  ", fold ", k + 1, "/", folds.size(), ", AUC ",
                                                  candidate.fold_auc.back())));
      }
    }
    double sum = 0;
    for (double a : candidate.fold_auc) sum += a;
    candidate.mean_auc = sum / static_cast<double>(folds.size());
    result.candidates.push_back(std::move(candidate));
  }
  for (size_t i = 1; i < result.candidates.size(); ++i) {
    if (result.candidates[i].mean_auc > result.candidates[result.chosen].mean_auc) {
      result.chosen = static_cast<int>(i);
    }
  }
  result.rounds = result.candidates[result.chosen].fold_rounds.back();
  return result;
}

}  // namespace regulation::scoring
