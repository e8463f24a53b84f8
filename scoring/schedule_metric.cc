#include "scoring/schedule_metric.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "scoring/quantile.h"
#include "scoring/split_mix.h"

namespace regulation::scoring {
namespace {

// Mean gain of the violations when inspection order[k] takes slot k.
double MeanGain(absl::Span<const int64_t> days, absl::Span<const float> labels,
                const std::vector<size_t>& order, const std::vector<int64_t>& slots) {
  double gain = 0;
  int64_t violations = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    if (labels[i] <= 0.5f) continue;
    gain += static_cast<double>(days[i] - slots[k]);
    ++violations;
  }
  return violations == 0 ? 0 : gain / static_cast<double>(violations);
}

std::vector<int64_t> Slots(absl::Span<const int64_t> days) {
  std::vector<int64_t> slots(days.begin(), days.end());
  std::sort(slots.begin(), slots.end());
  return slots;
}

}  // namespace

double MeanDaysEarlier(absl::Span<const int64_t> days, absl::Span<const float> scores,
                       absl::Span<const float> labels) {
  std::vector<size_t> order(days.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    if (days[a] != days[b]) return days[a] < days[b];
    return a < b;
  });
  return MeanGain(days, labels, order, Slots(days));
}

RandomOrderSummary RandomOrderDaysEarlier(absl::Span<const int64_t> days,
                                          absl::Span<const float> labels, int shuffles,
                                          uint64_t seed) {
  const std::vector<int64_t> slots = Slots(days);
  std::vector<size_t> order(days.size());
  std::iota(order.begin(), order.end(), 0);
  SplitMix64 rng(seed);
  std::vector<double> gains;
  for (int s = 0; s < shuffles; ++s) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    gains.push_back(MeanGain(days, labels, order, slots));
  }
  RandomOrderSummary out;
  out.mean = std::accumulate(gains.begin(), gains.end(), 0.0) / static_cast<double>(shuffles);
  if (shuffles > 1) {
    double ss = 0;
    for (double g : gains) ss += (g - out.mean) * (g - out.mean);
    out.sd = std::sqrt(ss / static_cast<double>(shuffles - 1));
  }
  out.p025 = Quantile(gains, 0.025);
  out.p975 = Quantile(gains, 0.975);
  return out;
}

}  // namespace regulation::scoring
