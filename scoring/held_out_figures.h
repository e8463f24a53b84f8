#ifndef SCORING_HELD_OUT_FIGURES_H_
#define SCORING_HELD_OUT_FIGURES_H_

// What a regulator reads off a model's held-out window (docs/scoring.md, "The report"),
// each figure with a 95% interval:
//
//   class hit rates   the held-out rows put in classes A-D by the cut points, and the
//                     share of each class's rows with a violation (Wilson interval).
//   quota policy      violations per 100 inspections of a class-quota draw (quota q_h of
//                     class h: the draw's expected hit rate is sum_h q_h N_h ybar_h /
//                     sum_h q_h N_h) against a uniform random draw of the same size
//                     (ybar, the rows' rate), and the difference; intervals from a
//                     stratified bootstrap (rows resampled within their class).
//   schedule          the backtest's schedule (schedule_metric.h) as a curve: with the
//                     window's real inspection dates as slots, cumulative violations
//                     reached by each day in score order, in the real order, and in
//                     random orders (mean and the 2.5-97.5 percentile band).
//
// These are figures on inspected rows: the held-out window's inspections were chosen
// partly by risk, so they describe the inspected, not the population (the
// selection-corrected estimates in selection_estimates.h need random draws).
//
// Thread safety: pure functions. Random numbers: SplitMix64 from `seed`.

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "scoring/selection_estimates.h"

namespace regulation::scoring {

struct ClassHitRate {
  int risk_class = 0;  // 1 (A) to 4 (D)
  int64_t rows = 0;
  int64_t violations = 0;
  Interval rate;  // Wilson 95%; all zero when the class has no rows
};

// Class of score s under cut points (b, c, d): below b is A (1), below c B, below d C,
// else D (4). REQUIRES: three cut points.
int RiskClassOf(double s, absl::Span<const double> cut_points);

// INVALID_ARGUMENT unless three increasing cut points and equal sizes.
absl::StatusOr<std::vector<ClassHitRate>> ClassHitRates(absl::Span<const float> scores,
                                                        absl::Span<const float> labels,
                                                        absl::Span<const double> cut_points);

// Quotas of classes A-D as shares of each class, e.g. {0.01, 0.03, 0.10, 0.30}.
// INVALID_ARGUMENT unless three increasing cut points, equal sizes, quotas in [0, 1]
// with at least one positive on a class that has rows, and replicates >= 100.
absl::StatusOr<PolicyComparison> CompareQuotaPolicy(absl::Span<const float> scores,
                                                    absl::Span<const float> labels,
                                                    absl::Span<const double> cut_points,
                                                    const std::array<double, 4>& quotas,
                                                    int replicates = 1000, uint64_t seed = 1);

struct SchedulePoint {
  int64_t day = 0;            // days since the first slot
  double model = 0;           // violations reached by the end of the day, score order
  double real = 0;            // ... in the real order
  double random_mean = 0;     // ... random orders: mean
  double random_lower = 0;    // 2.5th percentile
  double random_upper = 0;    // 97.5th percentile
};

struct ScheduleCurve {
  std::vector<SchedulePoint> points;  // one per day from the first slot to the last
  int64_t violations = 0;
};

// INVALID_ARGUMENT for unequal sizes, no rows, or shuffles < 1.
absl::StatusOr<ScheduleCurve> ScheduleCurveOf(absl::Span<const int64_t> days,
                                              absl::Span<const float> scores,
                                              absl::Span<const float> labels, int shuffles = 200,
                                              uint64_t seed = 1);

}  // namespace regulation::scoring

#endif  // SCORING_HELD_OUT_FIGURES_H_
