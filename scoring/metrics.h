#ifndef SCORING_METRICS_H_
#define SCORING_METRICS_H_

// Evaluation of risk scores against 0/1 outcomes: the figures of v1::ModelMetrics and
// the curves of the evaluation report. Definitions (docs/scoring.md):
//
//   AUC            probability that a random positive scores above a random negative,
//                  ties counting one half: the Mann-Whitney statistic with average ranks.
//   at budget b    inspect the top k = ceil(b * n) rows by score (ties in score broken by
//                  row index, lower first, so the result is deterministic);
//                  precision = positives among them / k; recall = positives among them /
//                  all positives; lift = precision / base rate.
//   calibration    ten equal-width probability bins [0, 0.1), ..., [0.9, 1.0] (1.0 in
//                  the last); expected calibration error = sum over bins of
//                  (rows in bin / n) * |mean score - observed positive rate|.
//   base rate      positives / n.
//
// Scores are probabilities in [0, 1] for calibration (other scores are clamped into
// the bins); labels are 0 or 1 (any label > 0.5 counts as positive).
//
// Thread safety: pure functions.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "regulation/v1/scoring.pb.h"

namespace regulation::scoring {

struct CurvePoint {
  double x = 0;
  double y = 0;
};

struct BudgetResult {
  int64_t inspected = 0;  // k
  int64_t found = 0;      // positives among the k
  double precision = 0;
  double recall = 0;  // 0 when there are no positives
  double lift = 0;    // 0 when there are no positives
};

struct CalibrationBin {
  double lower = 0;
  double upper = 0;
  int64_t count = 0;
  double mean_predicted = 0;  // 0 for an empty bin
  double observed_rate = 0;   // 0 for an empty bin
};

// The curves of one model on one evaluation set.
struct EvaluationCurves {
  // (false positive rate, true positive rate), from (0, 0) to (1, 1), one point per
  // distinct score threshold, downsampled to at most kMaxRocPoints.
  std::vector<CurvePoint> roc;
  // (fraction inspected, fraction of positives found) at budgets 0%, 1%, ..., 100%.
  std::vector<CurvePoint> gain;
  std::vector<CalibrationBin> calibration;
};

inline constexpr int kMaxRocPoints = 200;
inline constexpr int kCalibrationBins = 10;

// NaN when there are no positives or no negatives (AUC is undefined).
// REQUIRES: scores.size() == labels.size().
double Auc(absl::Span<const float> scores, absl::Span<const float> labels);

// REQUIRES: scores.size() == labels.size(), 0 < budget <= 1, and at least one row.
BudgetResult AtBudget(absl::Span<const float> scores, absl::Span<const float> labels,
                      double budget);

// 0 for no rows.
double BaseRate(absl::Span<const float> labels);

// REQUIRES: scores.size() == labels.size().
std::vector<CalibrationBin> CalibrationBins(absl::Span<const float> scores,
                                            absl::Span<const float> labels);
// 0 for no rows.
double ExpectedCalibrationError(absl::Span<const float> scores, absl::Span<const float> labels);

// The ROC curve; empty when AUC is undefined. REQUIRES: equal sizes.
std::vector<CurvePoint> RocCurve(absl::Span<const float> scores, absl::Span<const float> labels,
                                 int max_points = kMaxRocPoints);
// The cumulative gain curve at budgets 0, 1/steps, ..., 1; y is 0 throughout when there
// are no positives. REQUIRES: equal sizes, at least one row, steps >= 1.
std::vector<CurvePoint> GainCurve(absl::Span<const float> scores, absl::Span<const float> labels,
                                  int steps = 100);

// REQUIRES: equal sizes, at least one row.
EvaluationCurves ComputeCurves(absl::Span<const float> scores, absl::Span<const float> labels);

// The figures of v1::ModelMetrics for `scores` on `labels`: auc, precision/recall/lift at
// 5% and 10%, calibration_error, base_rate, validation_rows; baseline_auc and
// baseline_precision_at_5pct from `baseline_scores`, and oracle_auc and auc_to_oracle
// from `oracle_scores` (the generator's true probabilities on synthetic data), each
// only when given (non-empty). INVALID_ARGUMENT when there are no rows, when a given
// score vector's length differs from the labels', when a score is NaN, or when the
// labels hold only one class (AUC undefined).
absl::StatusOr<v1::ModelMetrics> ComputeModelMetrics(absl::Span<const float> scores,
                                                     absl::Span<const float> labels,
                                                     absl::Span<const float> baseline_scores,
                                                     absl::Span<const float> oracle_scores);

}  // namespace regulation::scoring

#endif  // SCORING_METRICS_H_
