#include "scoring/bootstrap_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "scoring/quantile.h"
#include "scoring/split_mix.h"

namespace regulation::scoring {
namespace {

// Rows in decreasing score, ties by index (the order AtBudget inspects them in).
std::vector<int> InspectionOrder(absl::Span<const float> scores) {
  std::vector<int> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return scores[a] > scores[b]; });
  return order;
}

struct Figures {
  double auc = 0;
  double precision_5 = 0;
  double precision_10 = 0;
};

// AUC and precision at 5% and 10% with row r counted `count[r]` times.
Figures Evaluate(absl::Span<const float> scores, absl::Span<const float> labels,
                 const std::vector<int>& order, const std::vector<int>& count) {
  int64_t n = 0, positives = 0;
  for (size_t r = 0; r < labels.size(); ++r) {
    n += count[r];
    if (labels[r] > 0.5f) positives += count[r];
  }
  const int64_t negatives = n - positives;
  Figures f;
  // Mann-Whitney over tie groups, walking from the highest score down: a positive
  // outscores the negatives below its group and ties half of its group's negatives.
  double wins = 0;
  int64_t negatives_below = negatives;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    int64_t group_pos = 0, group_neg = 0;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      const int r = order[j];
      (labels[r] > 0.5f ? group_pos : group_neg) += count[r];
      ++j;
    }
    negatives_below -= group_neg;
    wins += static_cast<double>(group_pos) *
            (static_cast<double>(negatives_below) + 0.5 * static_cast<double>(group_neg));
    i = j;
  }
  f.auc = positives > 0 && negatives > 0
              ? wins / (static_cast<double>(positives) * static_cast<double>(negatives))
              : std::nan("");
  for (double budget : {0.05, 0.10}) {
    const int64_t k = static_cast<int64_t>(std::ceil(budget * static_cast<double>(n)));
    int64_t taken = 0, found = 0;
    for (int r : order) {
      if (taken >= k) break;
      const int64_t take = std::min<int64_t>(count[r], k - taken);
      taken += take;
      if (labels[r] > 0.5f) found += take;
    }
    (budget < 0.07 ? f.precision_5 : f.precision_10) =
        k > 0 ? static_cast<double>(found) / static_cast<double>(k) : 0;
  }
  return f;
}

Interval Summarise(double estimate, std::vector<double> replicates) {
  Interval out;
  out.estimate = estimate;
  std::vector<double> finite;
  for (double v : replicates) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.empty()) return out;
  out.lower = Quantile(finite, 0.025);
  out.upper = Quantile(finite, 0.975);
  return out;
}

struct Series {
  std::vector<double> auc, p5, p10, lift5;
};

ScorerIntervals Intervals(const Figures& point, double base_rate, Series s) {
  ScorerIntervals out;
  out.auc = Summarise(point.auc, std::move(s.auc));
  out.precision_at_5pct = Summarise(point.precision_5, std::move(s.p5));
  out.precision_at_10pct = Summarise(point.precision_10, std::move(s.p10));
  out.lift_at_5pct = Summarise(point.precision_5 / base_rate, std::move(s.lift5));
  return out;
}

}  // namespace

absl::StatusOr<BootstrapSummary> BootstrapHeldOut(absl::Span<const float> labels,
                                                  absl::Span<const float> model,
                                                  absl::Span<const float> baseline,
                                                  absl::Span<const float> oracle, int replicates,
                                                  uint64_t seed) {
  const size_t n = labels.size();
  if (n == 0) return absl::InvalidArgumentError("labels: no rows");
  if (replicates < 100) return absl::InvalidArgumentError("replicates: must be >= 100");
  const std::pair<const char*, absl::Span<const float>> scorers[] = {
      {"model", model}, {"baseline", baseline}, {"oracle", oracle}};
  for (const auto& [name, scores] : scorers) {
    if (scores.empty() && std::string_view(name) != "model") continue;
    if (scores.size() != n) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": ", scores.size(), " scores for ", n, " labels"));
    }
    for (float s : scores) {
      if (std::isnan(s)) return absl::InvalidArgumentError(absl::StrCat(name, ": a NaN score"));
    }
  }
  const std::vector<int> ones(n, 1);
  int64_t positives = 0;
  for (float y : labels) positives += y > 0.5f;
  if (positives == 0 || positives == static_cast<int64_t>(n)) {
    return absl::InvalidArgumentError("labels: one class only (AUC undefined)");
  }
  BootstrapSummary out;
  out.replicates = replicates;
  out.rows = static_cast<int64_t>(n);
  out.has_baseline = !baseline.empty();
  out.has_oracle = !oracle.empty();
  const std::vector<int> model_order = InspectionOrder(model);
  const std::vector<int> baseline_order = InspectionOrder(baseline);
  const std::vector<int> oracle_order = InspectionOrder(oracle);
  const double base_rate = static_cast<double>(positives) / static_cast<double>(n);
  const Figures model_point = Evaluate(model, labels, model_order, ones);
  const Figures baseline_point =
      out.has_baseline ? Evaluate(baseline, labels, baseline_order, ones) : Figures{};
  const Figures oracle_point =
      out.has_oracle ? Evaluate(oracle, labels, oracle_order, ones) : Figures{};

  Series m, b, o;
  std::vector<double> rates, auc_diff, p5_diff, auc_ratio, lift;
  SplitMix64 rng(seed);
  std::vector<int> count(n);
  for (int rep = 0; rep < replicates; ++rep) {
    std::fill(count.begin(), count.end(), 0);
    for (size_t i = 0; i < n; ++i) ++count[rng.Below(n)];
    int64_t pos = 0;
    for (size_t r = 0; r < n; ++r) {
      if (labels[r] > 0.5f) pos += count[r];
    }
    const double rate = static_cast<double>(pos) / static_cast<double>(n);
    rates.push_back(rate);
    const Figures fm = Evaluate(model, labels, model_order, count);
    m.auc.push_back(fm.auc);
    m.p5.push_back(fm.precision_5);
    m.p10.push_back(fm.precision_10);
    m.lift5.push_back(rate > 0 ? fm.precision_5 / rate : std::nan(""));
    lift.push_back(m.lift5.back());
    if (out.has_baseline) {
      const Figures fb = Evaluate(baseline, labels, baseline_order, count);
      b.auc.push_back(fb.auc);
      b.p5.push_back(fb.precision_5);
      b.p10.push_back(fb.precision_10);
      b.lift5.push_back(rate > 0 ? fb.precision_5 / rate : std::nan(""));
      auc_diff.push_back(fm.auc - fb.auc);
      p5_diff.push_back(fm.precision_5 - fb.precision_5);
    }
    if (out.has_oracle) {
      const Figures fo = Evaluate(oracle, labels, oracle_order, count);
      o.auc.push_back(fo.auc);
      o.p5.push_back(fo.precision_5);
      o.p10.push_back(fo.precision_10);
      o.lift5.push_back(rate > 0 ? fo.precision_5 / rate : std::nan(""));
      auc_ratio.push_back(fm.auc / fo.auc);
    }
  }
  out.base_rate = Summarise(base_rate, std::move(rates));
  out.model = Intervals(model_point, base_rate, std::move(m));
  out.precision_5_over_base_rate = Summarise(model_point.precision_5 / base_rate, std::move(lift));
  if (out.has_baseline) {
    out.baseline = Intervals(baseline_point, base_rate, std::move(b));
    out.auc_model_minus_baseline =
        Summarise(model_point.auc - baseline_point.auc, std::move(auc_diff));
    out.precision_5_model_minus_baseline =
        Summarise(model_point.precision_5 - baseline_point.precision_5, std::move(p5_diff));
  }
  if (out.has_oracle) {
    out.oracle = Intervals(oracle_point, base_rate, std::move(o));
    out.auc_model_over_oracle = Summarise(model_point.auc / oracle_point.auc, std::move(auc_ratio));
  }
  return out;
}

}  // namespace regulation::scoring
