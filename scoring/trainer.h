#ifndef SCORING_TRAINER_H_
#define SCORING_TRAINER_H_

// Training the risk model (gradient-boosted trees) and its linear baseline with XGBoost.
//
//   REG_ASSIGN_OR_RETURN(
//       TrainedModel model,
//       TrainGradientBoosted(train, validation, config, CatalogueMonotoneConstraints(),
//                            [](int round, double logloss) { ... }));
//   store(model.model_bytes);  // and later Booster::Load(model_bytes)
//
// Procedure (docs/scoring.md): binary:logistic on the training rows, one tree per round
// ("hist" method); after each round the validation logloss is evaluated, and boosting
// stops after `early_stopping_rounds` rounds without a strictly lower one. The model
// kept is cut back to the best round (XGBoosterSlice): it holds best_iteration + 1 trees,
// exactly those a run of best_iteration + 1 rounds would have grown.
//
// Reproducibility: the same rows (bit for bit, in the same order), config, constraints
// and `nthread` give the same model_bytes with the same XGBoost build
// (model_properties_test). Keep `nthread` in the recipe: XGBoost does not promise the
// same trees for another thread count (its histograms are summed per thread, and float
// addition is not associative), although with 1.7.4 we measured identical bytes for 1
// and 2 threads (train_timing). XGBoost seeds a 32-bit generator (std::mt19937) from
// `seed`: seeds equal modulo 2^32 give the same model (measured).
//
// Thread safety: the functions may run concurrently from different threads. XGBoost's
// random generator is per thread, so a single training must stay on its calling thread
// (it does; `progress` is called on that thread).
//
// Status codes: INVALID_ARGUMENT for inconsistent data (see ValidateTrainingData), a
// validation set with other columns than the training set, a config out of range, or
// constraints of the wrong length or with values outside {-1, 0, 1}; INTERNAL when
// XGBoost fails.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "regulation/v1/scoring.pb.h"
#include "scoring/booster.h"
#include "scoring/training_data.h"

namespace regulation::scoring {

struct TrainedModel {
  // The model, as loaded from model_bytes (so it predicts exactly what a later
  // Booster::Load(model_bytes) does).
  Booster booster;
  // Zero-based round with the lowest validation logloss; the model holds
  // best_iteration + 1 rounds.
  int best_iteration = 0;
  // UBJSON (Booster::Save); its SHA-256 is the model digest.
  std::string model_bytes;
  // Rounds boosted before early stopping ended the run (>= best_iteration + 1).
  int rounds_boosted = 0;
  // Validation logloss at best_iteration.
  double best_validation_logloss = 0;
};

// Training threads when the caller does not say: a fixed number rather than "all
// cores", so that the same data and config give the same model on any machine.
inline constexpr int kDefaultTrainingThreads = 2;

// `config` with every zero field replaced by its default: max_rounds 400,
// early_stopping_rounds 30, max_depth 6, learning_rate 0.08, subsample 0.9,
// colsample_bytree 0.9, min_child_weight 5, lambda 1, seed 1, label_window_days 91.
// (A zero lambda therefore means the default; ask for 1e-9 to mean "almost none".)
v1::TrainingConfig WithDefaults(v1::TrainingConfig config);

// OK when every hyper-parameter of `config` (after WithDefaults) is in range:
// max_rounds 1..100000, early_stopping_rounds >= 1, max_depth 1..20, learning_rate,
// subsample and colsample_bytree in (0, 1], min_child_weight >= 0, lambda >= 0,
// label_window_days >= 1. Otherwise INVALID_ARGUMENT naming the field.
absl::Status ValidateTrainingConfig(const v1::TrainingConfig& config);

// The monotone constraints of the feature catalogue, in catalogue order: +1 where a
// feature increases risk, -1 where it decreases risk, 0 where it is free.
std::vector<int> CatalogueMonotoneConstraints();

// Trains gradient-boosted trees with early stopping on `validation` (see above).
// `config` is completed with WithDefaults. `monotone_constraints` is empty (none) or has
// one entry per column. `progress`, if set, is called after every round with the
// zero-based round and the validation logloss; an error it returns stops training and is
// returned (a caller that went away). `nthread` >= 1 is XGBoost's thread count.
absl::StatusOr<TrainedModel> TrainGradientBoosted(
    const TrainingData& train, const TrainingData& validation, const v1::TrainingConfig& config,
    absl::Span<const int> monotone_constraints,
    std::function<absl::Status(int round, double validation_logloss)> progress,
    int nthread = kDefaultTrainingThreads);

// The same trees grown for exactly `rounds` rounds (1..100000; config.max_rounds and
// early_stopping_rounds are ignored): nothing is selected on `monitor`, whose logloss is
// only reported to `progress`. For a final fit whose number of rounds was chosen
// elsewhere (rolling_validation.h), so that the held-out window decides nothing.
// best_iteration is rounds - 1. Statuses as TrainGradientBoosted, and INVALID_ARGUMENT
// for `rounds` out of range.
absl::StatusOr<TrainedModel> TrainGradientBoostedForRounds(
    const TrainingData& train, const TrainingData& monitor, const v1::TrainingConfig& config,
    absl::Span<const int> monotone_constraints, int rounds,
    std::function<absl::Status(int round, double monitor_logloss)> progress,
    int nthread = kDefaultTrainingThreads);

// The baseline: a linear model (booster gblinear, binary:logistic) fitted by cyclic
// coordinate descent on features standardised with the training means and standard
// deviations (gblinear's updates are not scale-invariant), with early stopping on
// `validation` (at most 200 rounds, patience 10) and then refitted for exactly the best
// number of rounds (gblinear cannot be sliced). The standardisation is folded into the
// saved weights (w_j / s_j, and bias - sum_j w_j m_j / s_j), so the model reads raw
// features like the tree model; a missing feature then counts as 0 in raw units. Runs
// on one thread: deterministic for the same data (`seed` is recorded but coordinate
// descent draws no random numbers).
absl::StatusOr<TrainedModel> TrainLinearBaseline(const TrainingData& train,
                                                 const TrainingData& validation, uint64_t seed);

}  // namespace regulation::scoring

#endif  // SCORING_TRAINER_H_
