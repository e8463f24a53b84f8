#ifndef SCORING_BOOTSTRAP_METRICS_H_
#define SCORING_BOOTSTRAP_METRICS_H_

// Bootstrap intervals for the held-out figures (docs/scoring.md, "Intervals"): the rows
// are resampled with replacement `replicates` times (SplitMix64 from `seed`, so the
// intervals are reproducible), and every scorer (the model, the linear baseline, the
// oracle) is evaluated on the same resample, so differences between them are paired.
// Intervals are the 2.5th and 97.5th percentiles of the replicates; the estimate is
// the figure on the rows themselves.
//
// Definitions are those of metrics.h (AUC with ties one half; precision at b over the
// top ceil(b n) rows, ties broken by row index), applied to the resample with each row
// counted as often as it was drawn.
//
// Thread safety: pure functions.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "scoring/selection_estimates.h"

namespace regulation::scoring {

struct ScorerIntervals {
  Interval auc;
  Interval precision_at_5pct;
  Interval precision_at_10pct;
  Interval lift_at_5pct;
};

struct BootstrapSummary {
  int replicates = 0;
  int64_t rows = 0;
  Interval base_rate;
  ScorerIntervals model;
  ScorerIntervals baseline;  // when baseline scores were given
  ScorerIntervals oracle;    // when oracle scores were given
  bool has_baseline = false;
  bool has_oracle = false;
  // Paired differences and ratios, per replicate.
  Interval auc_model_minus_baseline;
  Interval precision_5_model_minus_baseline;
  Interval auc_model_over_oracle;
  Interval precision_5_over_base_rate;  // the model's lift at 5%
};

// INVALID_ARGUMENT when there are no rows, when a non-empty score vector's length
// differs from the labels', when a score is NaN, when the labels hold one class only,
// or when replicates < 100.
absl::StatusOr<BootstrapSummary> BootstrapHeldOut(absl::Span<const float> labels,
                                                  absl::Span<const float> model,
                                                  absl::Span<const float> baseline,
                                                  absl::Span<const float> oracle,
                                                  int replicates = 1000, uint64_t seed = 1);

}  // namespace regulation::scoring

#endif  // SCORING_BOOTSTRAP_METRICS_H_
