#include "scoring/held_out_figures.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "scoring/quantile.h"
#include "scoring/split_mix.h"

namespace regulation::scoring {
namespace {

constexpr double kZ = 1.959964;

absl::Status CheckInputs(absl::Span<const float> scores, absl::Span<const float> labels,
                         absl::Span<const double> cut_points) {
  if (cut_points.size() != 3 || !(cut_points[0] < cut_points[1] && cut_points[1] < cut_points[2])) {
    return absl::InvalidArgumentError("cut_points: need three increasing values");
  }
  if (scores.size() != labels.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("scores: ", scores.size(), " for ", labels.size(), " labels"));
  }
  return absl::OkStatus();
}

Interval Wilson(int64_t k, int64_t n) {
  Interval out;
  if (n == 0) return out;
  const double p = static_cast<double>(k) / static_cast<double>(n);
  const double z2n = kZ * kZ / static_cast<double>(n);
  const double centre = (p + z2n / 2) / (1 + z2n);
  const double half =
      kZ * std::sqrt(p * (1 - p) / static_cast<double>(n) + z2n / (4 * static_cast<double>(n))) /
      (1 + z2n);
  out.estimate = p;
  out.lower = std::max(0.0, centre - half);
  out.upper = std::min(1.0, centre + half);
  return out;
}

// Per class h: rows N_h and violations; the quota policy's and the uniform draw's
// violations per 100.
struct PolicyPoint {
  double quota = 0;
  double uniform = 0;
};

PolicyPoint Evaluate(const std::array<int64_t, 4>& rows, const std::array<int64_t, 4>& hits,
                     const std::array<double, 4>& quotas) {
  double drawn = 0, found = 0;
  int64_t all = 0, all_hits = 0;
  for (int h = 0; h < 4; ++h) {
    all += rows[h];
    all_hits += hits[h];
    if (rows[h] == 0) continue;
    drawn += quotas[h] * static_cast<double>(rows[h]);
    found += quotas[h] * static_cast<double>(hits[h]);
  }
  PolicyPoint p;
  p.quota = drawn > 0 ? 100 * found / drawn : 0;
  p.uniform = all > 0 ? 100 * static_cast<double>(all_hits) / static_cast<double>(all) : 0;
  return p;
}

}  // namespace

int RiskClassOf(double s, absl::Span<const double> cut) {
  if (s < cut[0]) return 1;
  if (s < cut[1]) return 2;
  if (s < cut[2]) return 3;
  return 4;
}

absl::StatusOr<std::vector<ClassHitRate>> ClassHitRates(absl::Span<const float> scores,
                                                        absl::Span<const float> labels,
                                                        absl::Span<const double> cut_points) {
  if (absl::Status s = CheckInputs(scores, labels, cut_points); !s.ok()) return s;
  std::vector<ClassHitRate> out(4);
  for (int h = 0; h < 4; ++h) out[h].risk_class = h + 1;
  for (size_t i = 0; i < scores.size(); ++i) {
    ClassHitRate& c = out[RiskClassOf(scores[i], cut_points) - 1];
    ++c.rows;
    c.violations += labels[i] > 0.5f;
  }
  for (ClassHitRate& c : out) c.rate = Wilson(c.violations, c.rows);
  return out;
}

absl::StatusOr<PolicyComparison> CompareQuotaPolicy(absl::Span<const float> scores,
                                                    absl::Span<const float> labels,
                                                    absl::Span<const double> cut_points,
                                                    const std::array<double, 4>& quotas,
                                                    int replicates, uint64_t seed) {
  if (absl::Status s = CheckInputs(scores, labels, cut_points); !s.ok()) return s;
  if (replicates < 100) return absl::InvalidArgumentError("replicates: must be >= 100");
  for (double q : quotas) {
    if (!(q >= 0 && q <= 1)) return absl::InvalidArgumentError("quotas: each must be in [0, 1]");
  }
  std::array<std::vector<bool>, 4> by_class;
  for (size_t i = 0; i < scores.size(); ++i) {
    by_class[RiskClassOf(scores[i], cut_points) - 1].push_back(labels[i] > 0.5f);
  }
  std::array<int64_t, 4> rows{}, hits{};
  bool drawable = false;
  for (int h = 0; h < 4; ++h) {
    rows[h] = static_cast<int64_t>(by_class[h].size());
    hits[h] = std::count(by_class[h].begin(), by_class[h].end(), true);
    drawable |= rows[h] > 0 && quotas[h] > 0;
  }
  if (!drawable) {
    return absl::InvalidArgumentError("quotas: no class with rows has a positive quota");
  }
  const PolicyPoint point = Evaluate(rows, hits, quotas);
  SplitMix64 rng(seed);
  std::vector<double> quota, uniform, difference;
  for (int rep = 0; rep < replicates; ++rep) {
    std::array<int64_t, 4> resampled{};
    for (int h = 0; h < 4; ++h) {
      const uint64_t n = by_class[h].size();
      for (uint64_t i = 0; i < n; ++i) resampled[h] += by_class[h][rng.Below(n)];
    }
    const PolicyPoint p = Evaluate(rows, resampled, quotas);
    quota.push_back(p.quota);
    uniform.push_back(p.uniform);
    difference.push_back(p.quota - p.uniform);
  }
  PolicyComparison out;
  out.replicates = replicates;
  out.quota_per_100 = {point.quota, Quantile(quota, 0.025), Quantile(quota, 0.975)};
  out.uniform_per_100 = {point.uniform, Quantile(uniform, 0.025), Quantile(uniform, 0.975)};
  out.difference = {point.quota - point.uniform, Quantile(difference, 0.025),
                    Quantile(difference, 0.975)};
  return out;
}

absl::StatusOr<ScheduleCurve> ScheduleCurveOf(absl::Span<const int64_t> days,
                                              absl::Span<const float> scores,
                                              absl::Span<const float> labels, int shuffles,
                                              uint64_t seed) {
  const size_t n = days.size();
  if (n == 0) return absl::InvalidArgumentError("days: no rows");
  if (scores.size() != n || labels.size() != n) {
    return absl::InvalidArgumentError("scores, labels: must have one entry per day");
  }
  if (shuffles < 1) return absl::InvalidArgumentError("shuffles: must be >= 1");
  std::vector<int64_t> slots(days.begin(), days.end());
  std::sort(slots.begin(), slots.end());
  const int64_t first = slots.front();
  const int64_t span = slots.back() - first + 1;
  // slots_by_day[d]: slots whose day is at most first + d.
  std::vector<size_t> slots_by_day(span);
  for (int64_t d = 0; d < span; ++d) {
    slots_by_day[d] = static_cast<size_t>(
        std::upper_bound(slots.begin(), slots.end(), first + d) - slots.begin());
  }
  // Cumulative violations after the first k slots of an order.
  auto cumulative = [&](const std::vector<size_t>& order) {
    std::vector<int64_t> c(n + 1, 0);
    for (size_t k = 0; k < n; ++k) c[k + 1] = c[k] + (labels[order[k]] > 0.5f);
    return c;
  };
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<size_t> by_score = order;
  std::sort(by_score.begin(), by_score.end(), [&](size_t a, size_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    if (days[a] != days[b]) return days[a] < days[b];
    return a < b;
  });
  std::vector<size_t> by_day = order;
  std::stable_sort(by_day.begin(), by_day.end(),
                   [&](size_t a, size_t b) { return days[a] < days[b]; });
  const std::vector<int64_t> model = cumulative(by_score);
  const std::vector<int64_t> real = cumulative(by_day);
  std::vector<std::vector<double>> shuffled(span);
  SplitMix64 rng(seed);
  for (int s = 0; s < shuffles; ++s) {
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    const std::vector<int64_t> c = cumulative(order);
    for (int64_t d = 0; d < span; ++d) shuffled[d].push_back(static_cast<double>(c[slots_by_day[d]]));
  }
  ScheduleCurve out;
  out.violations = model.back();
  for (int64_t d = 0; d < span; ++d) {
    SchedulePoint p;
    p.day = d;
    p.model = static_cast<double>(model[slots_by_day[d]]);
    p.real = static_cast<double>(real[slots_by_day[d]]);
    p.random_mean = std::accumulate(shuffled[d].begin(), shuffled[d].end(), 0.0) / shuffles;
    p.random_lower = Quantile(shuffled[d], 0.025);
    p.random_upper = Quantile(shuffled[d], 0.975);
    out.points.push_back(p);
  }
  return out;
}

}  // namespace regulation::scoring
