#ifndef SERVICES_SCORING_HELD_OUT_REPORT_H_
#define SERVICES_SCORING_HELD_OUT_REPORT_H_

// The report's figures beyond the plain metrics, from a training run's held-out window
// (docs/scoring.md, "The report"): bootstrap intervals for the model, the baseline and
// the oracle; hit rates of classes A-D; the class-quota policy against a uniform draw;
// the schedule curve (the window's real inspection days as capacity); and the
// hyper-parameter search.
//
// Thread safety: pure functions.

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "regulation/v1/scoring.pb.h"
#include "scoring/report.h"
#include "scoring/rolling_validation.h"
#include "services/scoring/training_rows.h"

namespace regulation::services {

// Quotas of classes A-D in the report's policy comparison: the shares of each class a
// plan draws (the ones the selection-estimate tests use: 1, 3, 10 and 30%).
inline constexpr std::array<double, 4> kReportQuotas = {0.01, 0.03, 0.10, 0.30};

// The cut points of `policy`: its own for a cut-point rule; for a quantile rule, the
// model's held-out scores at those shares.
std::vector<double> CutPointsForReport(const v1::RiskClassPolicy& policy,
                                       absl::Span<const float> scores);

// Fills report->intervals, class_hit_rates, cut_points, quotas, policy and schedule.
// `scores`, `baseline` and (possibly empty) `oracle` are the held-out rows' in row
// order. Errors of the figure functions (INVALID_ARGUMENT) are returned.
absl::Status AddHeldOutFigures(const LabelledRows& rows, int validation_window,
                               absl::Span<const float> scores, absl::Span<const float> baseline,
                               absl::Span<const float> oracle, const v1::RiskClassPolicy& policy,
                               scoring::EvaluationReport* report);

scoring::TuningSummary TuningSummaryOf(const scoring::TuningResult& tuning,
                                       absl::Span<const int64_t> window_starts,
                                       int validation_window);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_HELD_OUT_REPORT_H_
