#include "scoring/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "absl/strings/str_format.h"

namespace regulation::scoring {
namespace {

bool Positive(float label) { return label > 0.5f; }

// Row indices by descending score, ties by ascending index.
std::vector<size_t> RankDescending(absl::Span<const float> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    return a < b;
  });
  return order;
}

int64_t CountPositives(absl::Span<const float> labels) {
  int64_t n = 0;
  for (float l : labels) n += Positive(l);
  return n;
}

int BinOf(float score) {
  const double clamped = std::min(1.0, std::max(0.0, static_cast<double>(score)));
  return std::min(kCalibrationBins - 1, static_cast<int>(clamped * kCalibrationBins));
}

absl::Status CheckScores(absl::Span<const float> scores, size_t n, const char* what) {
  if (scores.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d scores for %d labels", what, scores.size(), n));
  }
  for (size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) {
      return absl::InvalidArgumentError(absl::StrFormat("%s[%d] is NaN", what, i));
    }
  }
  return absl::OkStatus();
}

}  // namespace

double Auc(absl::Span<const float> scores, absl::Span<const float> labels) {
  const size_t n = scores.size();
  const int64_t positives = CountPositives(labels);
  const int64_t negatives = static_cast<int64_t>(n) - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Sum of the (1-based, tie-averaged) ranks of the positives.
  double rank_sum = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (Positive(labels[order[k]])) rank_sum += average_rank;
    }
    i = j;
  }
  const double p = static_cast<double>(positives);
  return (rank_sum - p * (p + 1) / 2.0) / (p * static_cast<double>(negatives));
}

BudgetResult AtBudget(absl::Span<const float> scores, absl::Span<const float> labels,
                      double budget) {
  BudgetResult r;
  const size_t n = scores.size();
  if (n == 0) return r;
  // ceil(budget * n), guarding against 0.05 * 100 = 5.000000000000001.
  int64_t k = static_cast<int64_t>(std::ceil(budget * static_cast<double>(n) - 1e-9));
  k = std::max<int64_t>(1, std::min<int64_t>(k, static_cast<int64_t>(n)));
  const std::vector<size_t> order = RankDescending(scores);
  for (int64_t i = 0; i < k; ++i) r.found += Positive(labels[order[i]]);
  const int64_t positives = CountPositives(labels);
  r.inspected = k;
  r.precision = static_cast<double>(r.found) / static_cast<double>(k);
  if (positives > 0) {
    r.recall = static_cast<double>(r.found) / static_cast<double>(positives);
    r.lift = r.precision / (static_cast<double>(positives) / static_cast<double>(n));
  }
  return r;
}

double BaseRate(absl::Span<const float> labels) {
  if (labels.empty()) return 0;
  return static_cast<double>(CountPositives(labels)) / static_cast<double>(labels.size());
}

std::vector<CalibrationBin> CalibrationBins(absl::Span<const float> scores,
                                            absl::Span<const float> labels) {
  std::vector<CalibrationBin> bins(kCalibrationBins);
  std::vector<double> score_sum(kCalibrationBins, 0), positives(kCalibrationBins, 0);
  for (size_t i = 0; i < scores.size(); ++i) {
    const int b = BinOf(scores[i]);
    bins[b].count += 1;
    score_sum[b] += scores[i];
    positives[b] += Positive(labels[i]);
  }
  for (int b = 0; b < kCalibrationBins; ++b) {
    bins[b].lower = static_cast<double>(b) / kCalibrationBins;
    bins[b].upper = static_cast<double>(b + 1) / kCalibrationBins;
    if (bins[b].count > 0) {
      bins[b].mean_predicted = score_sum[b] / static_cast<double>(bins[b].count);
      bins[b].observed_rate = positives[b] / static_cast<double>(bins[b].count);
    }
  }
  return bins;
}

double ExpectedCalibrationError(absl::Span<const float> scores, absl::Span<const float> labels) {
  if (scores.empty()) return 0;
  double ece = 0;
  for (const CalibrationBin& bin : CalibrationBins(scores, labels)) {
    ece += static_cast<double>(bin.count) / static_cast<double>(scores.size()) *
           std::abs(bin.mean_predicted - bin.observed_rate);
  }
  return ece;
}

std::vector<CurvePoint> RocCurve(absl::Span<const float> scores, absl::Span<const float> labels,
                                 int max_points) {
  const size_t n = scores.size();
  const int64_t positives = CountPositives(labels);
  const int64_t negatives = static_cast<int64_t>(n) - positives;
  if (positives == 0 || negatives == 0) return {};
  const std::vector<size_t> order = RankDescending(scores);
  std::vector<CurvePoint> all = {{0, 0}};
  int64_t tp = 0, fp = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    // Every row with this score is flagged at once: one point per distinct threshold.
    while (j < n && scores[order[j]] == scores[order[i]]) {
      if (Positive(labels[order[j]])) {
        ++tp;
      } else {
        ++fp;
      }
      ++j;
    }
    all.push_back({static_cast<double>(fp) / static_cast<double>(negatives),
                   static_cast<double>(tp) / static_cast<double>(positives)});
    i = j;
  }
  max_points = std::max(2, max_points);
  if (all.size() <= static_cast<size_t>(max_points)) return all;
  // Evenly spaced points along the curve, keeping both ends.
  std::vector<CurvePoint> kept;
  const double step = static_cast<double>(all.size() - 1) / (max_points - 1);
  for (int i = 0; i < max_points; ++i) {
    kept.push_back(all[static_cast<size_t>(std::llround(i * step))]);
  }
  return kept;
}

std::vector<CurvePoint> GainCurve(absl::Span<const float> scores, absl::Span<const float> labels,
                                  int steps) {
  const size_t n = scores.size();
  const std::vector<size_t> order = RankDescending(scores);
  const int64_t positives = CountPositives(labels);
  // found[k] = positives among the top k.
  std::vector<int64_t> found(n + 1, 0);
  for (size_t i = 0; i < n; ++i) found[i + 1] = found[i] + Positive(labels[order[i]]);
  std::vector<CurvePoint> curve;
  for (int s = 0; s <= steps; ++s) {
    const double budget = static_cast<double>(s) / steps;
    int64_t k = static_cast<int64_t>(std::ceil(budget * static_cast<double>(n) - 1e-9));
    k = std::max<int64_t>(0, std::min<int64_t>(k, static_cast<int64_t>(n)));
    curve.push_back({budget, positives > 0
                                 ? static_cast<double>(found[k]) / static_cast<double>(positives)
                                 : 0.0});
  }
  return curve;
}

EvaluationCurves ComputeCurves(absl::Span<const float> scores, absl::Span<const float> labels) {
  EvaluationCurves curves;
  curves.roc = RocCurve(scores, labels);
  curves.gain = GainCurve(scores, labels);
  curves.calibration = CalibrationBins(scores, labels);
  return curves;
}

absl::StatusOr<v1::ModelMetrics> ComputeModelMetrics(absl::Span<const float> scores,
                                                     absl::Span<const float> labels,
                                                     absl::Span<const float> baseline_scores,
                                                     absl::Span<const float> oracle_scores) {
  if (labels.empty()) return absl::InvalidArgumentError("metrics: no rows");
  if (absl::Status s = CheckScores(scores, labels.size(), "scores"); !s.ok()) return s;
  const int64_t positives = CountPositives(labels);
  if (positives == 0 || positives == static_cast<int64_t>(labels.size())) {
    return absl::InvalidArgumentError("metrics: labels hold only one class; AUC is undefined");
  }
  v1::ModelMetrics m;
  m.set_auc(Auc(scores, labels));
  const BudgetResult at5 = AtBudget(scores, labels, 0.05);
  const BudgetResult at10 = AtBudget(scores, labels, 0.10);
  m.set_precision_at_5pct(at5.precision);
  m.set_recall_at_5pct(at5.recall);
  m.set_lift_at_5pct(at5.lift);
  m.set_precision_at_10pct(at10.precision);
  m.set_recall_at_10pct(at10.recall);
  m.set_lift_at_10pct(at10.lift);
  m.set_calibration_error(ExpectedCalibrationError(scores, labels));
  m.set_base_rate(BaseRate(labels));
  m.set_validation_rows(static_cast<int64_t>(labels.size()));
  if (!baseline_scores.empty()) {
    if (absl::Status s = CheckScores(baseline_scores, labels.size(), "baseline_scores"); !s.ok()) {
      return s;
    }
    m.set_baseline_auc(Auc(baseline_scores, labels));
    m.set_baseline_precision_at_5pct(AtBudget(baseline_scores, labels, 0.05).precision);
  }
  if (!oracle_scores.empty()) {
    if (absl::Status s = CheckScores(oracle_scores, labels.size(), "oracle_scores"); !s.ok()) {
      return s;
    }
    m.set_oracle_auc(Auc(oracle_scores, labels));
    if (m.oracle_auc() > 0) m.set_auc_to_oracle(m.auc() / m.oracle_auc());
  }
  return m;
}

}  // namespace regulation::scoring
