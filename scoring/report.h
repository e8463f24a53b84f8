#ifndef SCORING_REPORT_H_
#define SCORING_REPORT_H_

// The evaluation report of a trained model, in two forms:
//   - JSON: {"title", "metrics" (v1::ModelMetrics in proto3 canonical JSON, every field
//     printed), "curves": {"model": {...}, "baseline": {...}}}, each curve set holding
//     "roc" and "gain" as [x, y] pairs and "calibration" as bins;
//   - HTML: one self-contained page (inline SVG, plain CSS, no script) with the figures
//     and three charts: ROC curves of the model and the baseline with the diagonal;
//     cumulative gain against the inspection budget with 5% and 10% marked; calibration
//     (mean predicted against observed rate per bin) with the diagonal.
//
// Thread safety: pure functions.

#include <string>

#include "absl/status/statusor.h"
#include "regulation/v1/scoring.pb.h"
#include "scoring/metrics.h"

namespace regulation::scoring {

struct EvaluationReport {
  // Shown as the page heading, e.g. the model version.
  std::string title;
  v1::ModelMetrics metrics;
  EvaluationCurves model;
  // The gblinear baseline on the same rows; empty curves when there is none.
  EvaluationCurves baseline;
};

// INTERNAL if the metrics cannot be printed as JSON (not expected).
absl::StatusOr<std::string> ReportJson(const EvaluationReport& report);

std::string ReportHtml(const EvaluationReport& report);

}  // namespace regulation::scoring

#endif  // SCORING_REPORT_H_
