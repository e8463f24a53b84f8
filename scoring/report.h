#ifndef SCORING_REPORT_H_
#define SCORING_REPORT_H_

// The evaluation report of a trained model, in two forms:
//   - JSON: {"title", "metrics" (v1::ModelMetrics in proto3 canonical JSON, every field
//     printed), "curves": {"model": {...}, "baseline": {...}}}, each curve set holding
//     "roc" and "gain" as [x, y] pairs and "calibration" as bins;
//   - HTML: one self-contained page (inline SVG, plain CSS, no script) with the figures
//     and three charts: ROC curves of the model and the baseline with the diagonal;
//     cumulative gain against the inspection budget with 5% and 10% marked; calibration
//     (mean predicted against observed rate per bin) with the diagonal. Then, when
//     present: the figures with bootstrap intervals for the model, the baseline and the
//     oracle (section id "intervals"); hit rates per class A-D with a chart ("classes");
//     the class-quota policy against a uniform draw ("policy"); the schedule chart,
//     cumulative violations reached by day in score order against random orders
//     ("schedule"); the hyper-parameter search ("tuning").
//   The JSON carries the same sections under those names.
//
// Thread safety: pure functions.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regulation/v1/scoring.pb.h"
#include "scoring/bootstrap_metrics.h"
#include "scoring/held_out_figures.h"
#include "scoring/metrics.h"
#include "scoring/schedule_metric.h"

namespace regulation::scoring {

// The hyper-parameter search by rolling validation (rolling_validation.h), as shown.
struct TuningSummary {
  struct Candidate {
    std::string shape;  // e.g. "depth 4, min child weight 40, eta 0.05"
    double mean_auc = 0;
    std::vector<double> fold_auc;
    std::vector<int> fold_rounds;
  };
  std::vector<Candidate> candidates;
  std::vector<std::string> fold_windows;  // each fold's validation window start
  int chosen = 0;
  int rounds = 0;  // grown in the final fit
};

struct EvaluationReport {
  // Shown as the page heading, e.g. the model version.
  std::string title;
  v1::ModelMetrics metrics;
  EvaluationCurves model;
  // The gblinear baseline on the same rows; empty curves when there is none.
  EvaluationCurves baseline;

  // Optional sections; each is shown when present.
  std::optional<BootstrapSummary> intervals;
  std::vector<double> cut_points;  // the classes' cut points (b, c, d)
  std::vector<ClassHitRate> class_hit_rates;
  std::array<double, 4> quotas = {0, 0, 0, 0};  // of the policy comparison, A-D
  std::optional<PolicyComparison> policy;
  std::optional<ScheduleCurve> schedule;
  double schedule_days_earlier = 0;  // MeanDaysEarlier of the model
  RandomOrderSummary schedule_random;
  std::optional<TuningSummary> tuning;
};

// INTERNAL if the metrics cannot be printed as JSON (not expected).
absl::StatusOr<std::string> ReportJson(const EvaluationReport& report);

std::string ReportHtml(const EvaluationReport& report);

}  // namespace regulation::scoring

#endif  // SCORING_REPORT_H_
