#include "services/scoring/held_out_report.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "scoring/bootstrap_metrics.h"
#include "scoring/held_out_figures.h"
#include "scoring/schedule_metric.h"

namespace regulation::services {
namespace {

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;
constexpr uint64_t kSeed = 1;

std::string DayOf(int64_t micros) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::FromUnixMicros(micros), ChinaTimeZone()));
}

}  // namespace

std::vector<double> CutPointsForReport(const v1::RiskClassPolicy& policy,
                                       absl::Span<const float> scores) {
  if (policy.has_quantiles() && !scores.empty()) {
    std::vector<float> sorted(scores.begin(), scores.end());
    std::sort(sorted.begin(), sorted.end());
    const v1::RiskClassPolicy::Quantiles& q = policy.quantiles();
    std::vector<double> cuts;
    double share = 0;
    for (double s : {q.a_share(), q.b_share(), q.c_share()}) {
      share += s;
      const size_t at = std::min(sorted.size() - 1, static_cast<size_t>(share * sorted.size()));
      const double cut = sorted[at];
      cuts.push_back(cuts.empty() ? cut : std::max(cut, std::nextafter(cuts.back(), 2.0)));
    }
    return cuts;
  }
  if (policy.has_cut_points()) {
    return {policy.cut_points().b(), policy.cut_points().c(), policy.cut_points().d()};
  }
  return {0.05, 0.12, 0.25};
}

absl::Status AddHeldOutFigures(const LabelledRows& rows, int validation_window,
                               absl::Span<const float> scores, absl::Span<const float> baseline,
                               absl::Span<const float> oracle, const v1::RiskClassPolicy& policy,
                               scoring::EvaluationReport* report) {
  std::vector<float> labels;
  std::vector<int64_t> days;
  for (size_t r = 0; r < rows.data.rows; ++r) {
    if (rows.window_of[r] != validation_window) continue;
    labels.push_back(rows.data.labels[r]);
    days.push_back(rows.first_inspection_micros[r] / kDayMicros);
  }
  REG_ASSIGN_OR_RETURN(report->intervals,
                       scoring::BootstrapHeldOut(labels, scores, baseline, oracle, 1000, kSeed));
  report->cut_points = CutPointsForReport(policy, scores);
  REG_ASSIGN_OR_RETURN(report->class_hit_rates,
                       scoring::ClassHitRates(scores, labels, report->cut_points));
  report->quotas = kReportQuotas;
  absl::StatusOr<scoring::PolicyComparison> policy_figures = scoring::CompareQuotaPolicy(
      scores, labels, report->cut_points, kReportQuotas, 1000, kSeed);
  // A window whose rows all fall in classes without a quota has no comparison.
  if (policy_figures.ok()) report->policy = *policy_figures;
  REG_ASSIGN_OR_RETURN(report->schedule,
                       scoring::ScheduleCurveOf(days, scores, labels, 200, kSeed));
  report->schedule_days_earlier = scoring::MeanDaysEarlier(days, scores, labels);
  report->schedule_random = scoring::RandomOrderDaysEarlier(days, labels, 200, kSeed);
  return absl::OkStatus();
}

scoring::TuningSummary TuningSummaryOf(const scoring::TuningResult& tuning,
                                       absl::Span<const int64_t> window_starts,
                                       int validation_window) {
  scoring::TuningSummary out;
  out.chosen = tuning.chosen;
  out.rounds = tuning.rounds;
  const int folds = static_cast<int>(tuning.candidates.front().fold_auc.size());
  for (int f = validation_window - folds; f < validation_window; ++f) {
    out.fold_windows.push_back(DayOf(window_starts[f]));
  }
  for (const scoring::CandidateResult& c : tuning.candidates) {
    scoring::TuningSummary::Candidate row;
    row.shape = absl::StrFormat("depth %d, min child weight %g, eta %g", c.config.max_depth(),
                                c.config.min_child_weight(), c.config.learning_rate());
    row.mean_auc = c.mean_auc;
    row.fold_auc = c.fold_auc;
    row.fold_rounds = c.fold_rounds;
    out.candidates.push_back(std::move(row));
  }
  return out;
}

}  // namespace regulation::services
