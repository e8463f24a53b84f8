#ifndef SCORING_BOOSTER_COMPILER_H_
#define SCORING_BOOSTER_COMPILER_H_

// Compiles a loaded XGBoost model into a CompiledForest and proves, before anyone uses
// it, that it predicts what XGBoost predicts.
//
//   absl::StatusOr<CompiledForest> forest = CompileBooster(booster);
//   if (!forest.ok()) { /* keep predicting with the booster */ }
//
// Steps: the booster's model as JSON (XGBoosterSaveModelToBuffer), ReadXgboostJsonModel,
// CompiledForest::Compile, then a check on kCheckRows probe rows built from the model's
// own thresholds: each feature takes a threshold, the floats just below and above it,
// NaN, the infinities or zero, so every split is tried on both sides of its threshold and
// with missing values. The probabilities of the compiled form and of XGBoost must be the
// same floats, bit for bit, or the compiled form is refused.
//
// Thread safety: a pure function of the booster, whose const methods are thread-safe.
//
// Status codes: UNIMPLEMENTED for models the compiler does not handle (booster other than
// gbtree, another objective, several outputs, categorical splits: see tree_ensemble.h);
// INTERNAL when the check finds a difference or XGBoost fails; INVALID_ARGUMENT when the
// model's JSON is not readable.

#include "absl/status/statusor.h"
#include "scoring/booster.h"
#include "scoring/compiled_forest.h"

namespace regulation::scoring {

// Probe rows of the check.
inline constexpr size_t kCheckRows = 4096;

absl::StatusOr<CompiledForest> CompileBooster(const Booster& booster,
                                              const CompileOptions& options = {});

}  // namespace regulation::scoring

#endif  // SCORING_BOOSTER_COMPILER_H_
