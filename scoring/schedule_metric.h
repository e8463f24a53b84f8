#ifndef SCORING_SCHEDULE_METRIC_H_
#define SCORING_SCHEDULE_METRIC_H_

// The schedule metric of a backtest (docs/scoring.md, "Backtests"): had the period's
// inspections been done in score order, within the period's real daily capacity, how
// many days earlier would the ones with violations have been reached?
//
// The real dates are the capacity: sorted, they are slots 1..n (a day with three
// inspections gives three slots). The inspection with the k-th highest score takes the
// k-th earliest slot (ties in score keep their real order: by real day, then by index).
// Each inspection's gain is its real day minus its slot's day; the metric is the mean
// gain over the inspections with a violation (0 when there are none). Positive: score
// order reaches violations sooner than the real order did. Chance is not 0 but what
// random orders score, mean(violations' real days) - mean(all real days) on average:
// report it beside (RandomOrderDaysEarlier).
//
// Thread safety: pure functions.

#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace regulation::scoring {

// REQUIRES: equal sizes. `days` are day numbers (any origin); labels > 0.5 are violations.
double MeanDaysEarlier(absl::Span<const int64_t> days, absl::Span<const float> scores,
                       absl::Span<const float> labels);

// The metric over `shuffles` uniformly random orders (Fisher-Yates with SplitMix64 from
// `seed`): what ordering by chance gives.
struct RandomOrderSummary {
  double mean = 0;
  double sd = 0;  // sample standard deviation (0 for one shuffle)
  double p025 = 0;
  double p975 = 0;
};
// REQUIRES: equal sizes, shuffles >= 1.
RandomOrderSummary RandomOrderDaysEarlier(absl::Span<const int64_t> days,
                                          absl::Span<const float> labels, int shuffles,
                                          uint64_t seed);

}  // namespace regulation::scoring

#endif  // SCORING_SCHEDULE_METRIC_H_
