#ifndef SCORING_ROLLING_VALIDATION_H_
#define SCORING_ROLLING_VALIDATION_H_

// Hyper-parameters chosen by rolling (expanding-window) time-series validation, never on
// the held-out window (docs/scoring.md, "Choosing hyper-parameters").
//
// The caller cuts the training windows into folds: fold k trains on every window before
// window f_k and validates on window f_k (several of the latest training windows, each
// fold's training set a prefix of the next one's). Each candidate is trained on every fold
// with early stopping on that fold's validation window, and scored by its mean validation
// AUC over the folds; the best candidate wins (ties: the earlier one). The final model is
// then grown on all training windows for the winner's number of rounds on the latest fold
// (the fold whose training set is closest in size), with TrainGradientBoostedForRounds.
//
// Thread safety: may run concurrently with other trainings; one tuning stays on its
// calling thread (as training does).

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "regulation/v1/scoring_service.pb.h"
#include "scoring/training_data.h"

namespace regulation::scoring {

struct TimeFold {
  TrainingData train;       // the windows before the validation window
  TrainingData validation;  // one window, later than all of train's
};

struct CandidateResult {
  v1::TrainingConfig config;  // completed (WithDefaults)
  std::vector<double> fold_auc;
  std::vector<int> fold_rounds;  // best_iteration + 1 on each fold
  double mean_auc = 0;
};

struct TuningResult {
  std::vector<CandidateResult> candidates;  // in grid order
  int chosen = 0;                           // index into candidates
  int rounds = 0;                           // for the final fit
};

// The default grid: `base` with (max_depth, min_child_weight, learning_rate) set to each
// of a few shapes from shallow and heavily regularised to the old default (6, 5, 0.08).
// Other fields of `base` are kept.
std::vector<v1::TrainingConfig> DefaultTuningGrid(const v1::TrainingConfig& base);

// INVALID_ARGUMENT when there are no folds or no candidates, or a fold's data is invalid
// or holds one class only (fold named); errors of training (and of `progress`, called
// with "candidate i/n, fold k/m" after each fit) are returned as they are.
absl::StatusOr<TuningResult> TuneByRollingValidation(
    absl::Span<const TimeFold> folds, absl::Span<const v1::TrainingConfig> grid,
    absl::Span<const int> monotone_constraints,
    const std::function<absl::Status(const std::string& stage)>& progress, int nthread);

}  // namespace regulation::scoring

#endif  // SCORING_ROLLING_VALIDATION_H_
