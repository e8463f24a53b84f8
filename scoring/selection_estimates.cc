#include "scoring/selection_estimates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "scoring/quantile.h"
#include "scoring/split_mix.h"

namespace regulation::scoring {
namespace {

// What each stratum's inspected units add up to.
struct StratumSample {
  int64_t inspected = 0;
  int64_t violations = 0;
};

absl::StatusOr<std::vector<StratumSample>> Tally(absl::Span<const DesignStratum> strata,
                                                 absl::Span<const DesignUnit> units) {
  if (units.empty()) return absl::InvalidArgumentError("units: no inspected unit of a random draw");
  for (size_t h = 0; h < strata.size(); ++h) {
    const DesignStratum& s = strata[h];
    if (s.population < 1) {
      return absl::InvalidArgumentError(absl::StrCat("strata[", h, "].population: must be >= 1"));
    }
    if (s.drawn < 1 || s.drawn > s.population) {
      return absl::InvalidArgumentError(
          absl::StrCat("strata[", h, "].drawn: must be 1 to the population (", s.population, ")"));
    }
  }
  std::vector<StratumSample> sample(strata.size());
  for (size_t i = 0; i < units.size(); ++i) {
    const int h = units[i].stratum;
    if (h < 0 || static_cast<size_t>(h) >= strata.size()) {
      return absl::InvalidArgumentError(absl::StrCat("units[", i, "].stratum: no stratum ", h));
    }
    ++sample[h].inspected;
    sample[h].violations += units[i].violation ? 1 : 0;
  }
  for (size_t h = 0; h < strata.size(); ++h) {
    if (sample[h].inspected > strata[h].drawn) {
      return absl::InvalidArgumentError(absl::StrCat("strata[", h, "]: ", sample[h].inspected,
                                                     " inspected units but only ", strata[h].drawn,
                                                     " drawn"));
    }
  }
  return sample;
}

RateEstimate Stratified(absl::Span<const DesignStratum> strata,
                        absl::Span<const StratumSample> sample, double z,
                        const std::vector<bool>& include) {
  RateEstimate out;
  double total = 0, variance_total = 0;
  for (size_t h = 0; h < strata.size(); ++h) {
    if (!include[h] || sample[h].inspected == 0) continue;
    const double n = static_cast<double>(strata[h].population);
    const double m = static_cast<double>(sample[h].inspected);
    const double ybar = static_cast<double>(sample[h].violations) / m;
    out.population += strata[h].population;
    out.inspected += sample[h].inspected;
    out.violations += sample[h].violations;
    total += n * ybar;
    // The outcomes' variance, from a share pulled half a case towards 1/2, so that a
    // stratum whose few units all agree (or a single unit) does not claim certainty.
    const double pulled = (static_cast<double>(sample[h].violations) + 0.5) / (m + 1);
    const double s2 = (m > 1 ? m / (m - 1) : 1.0) * pulled * (1 - pulled);
    variance_total += n * n * (1 - m / n) * s2 / m;
  }
  if (out.population == 0) return out;
  const double population = static_cast<double>(out.population);
  out.rate.estimate = total / population;
  out.standard_error = std::sqrt(variance_total) / population;
  out.rate.lower = std::max(0.0, out.rate.estimate - z * out.standard_error);
  out.rate.upper = std::min(1.0, out.rate.estimate + z * out.standard_error);
  return out;
}

// 1 / pi adjusted for targets without a result: N_h / m_h.
std::vector<double> Weights(absl::Span<const DesignStratum> strata,
                            absl::Span<const StratumSample> sample,
                            absl::Span<const DesignUnit> units) {
  std::vector<double> w(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    const int h = units[i].stratum;
    w[i] = static_cast<double>(strata[h].population) / static_cast<double>(sample[h].inspected);
  }
  return w;
}

// Units in decreasing score; ties by index, so the order is deterministic.
std::vector<size_t> ByScoreDescending(absl::Span<const DesignUnit> units) {
  std::vector<size_t> order(units.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return units[a].score > units[b].score; });
  return order;
}

}  // namespace

absl::StatusOr<RateEstimate> EstimateViolationRate(absl::Span<const DesignStratum> strata,
                                                   absl::Span<const DesignUnit> units, double z) {
  absl::StatusOr<std::vector<StratumSample>> sample = Tally(strata, units);
  if (!sample.ok()) return sample.status();
  return Stratified(strata, *sample, z, std::vector<bool>(strata.size(), true));
}

absl::StatusOr<ClassRates> EstimateRatesByClass(absl::Span<const DesignStratum> strata,
                                                absl::Span<const DesignUnit> units, double z) {
  absl::StatusOr<std::vector<StratumSample>> sample = Tally(strata, units);
  if (!sample.ok()) return sample.status();
  ClassRates out;
  for (int k = 1; k <= 4; ++k) {
    std::vector<bool> include(strata.size());
    bool any = false;
    for (size_t h = 0; h < strata.size(); ++h) {
      include[h] = strata[h].risk_class == k;
      any = any || (include[h] && (*sample)[h].inspected > 0);
    }
    if (any) out.by_class.emplace_back(k, Stratified(strata, *sample, z, include));
  }
  out.overall = Stratified(strata, *sample, z, std::vector<bool>(strata.size(), true));
  return out;
}

absl::StatusOr<double> WeightedAuc(absl::Span<const DesignStratum> strata,
                                   absl::Span<const DesignUnit> units) {
  absl::StatusOr<std::vector<StratumSample>> sample = Tally(strata, units);
  if (!sample.ok()) return sample.status();
  const std::vector<double> w = Weights(strata, *sample, units);
  // Walk scores from low to high; each group of tied scores compares with the negative
  // weight strictly below it, and half with the negatives in the group.
  std::vector<size_t> order = ByScoreDescending(units);
  std::reverse(order.begin(), order.end());
  double negatives_below = 0, concordant = 0, positives = 0, negatives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    double group_pos = 0, group_neg = 0;
    while (j < order.size() && units[order[j]].score == units[order[i]].score) {
      (units[order[j]].violation ? group_pos : group_neg) += w[order[j]];
      ++j;
    }
    concordant += group_pos * (negatives_below + 0.5 * group_neg);
    negatives_below += group_neg;
    positives += group_pos;
    negatives += group_neg;
    i = j;
  }
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  return concordant / (positives * negatives);
}

absl::StatusOr<double> WeightedPrecisionAt(absl::Span<const DesignStratum> strata,
                                           absl::Span<const DesignUnit> units, double budget) {
  if (!(budget > 0 && budget <= 1)) return absl::InvalidArgumentError("budget: must be in (0, 1]");
  absl::StatusOr<std::vector<StratumSample>> sample = Tally(strata, units);
  if (!sample.ok()) return sample.status();
  const std::vector<double> w = Weights(strata, *sample, units);
  const double target = budget * std::accumulate(w.begin(), w.end(), 0.0);
  double taken = 0, found = 0;
  for (size_t i : ByScoreDescending(units)) {
    const double part = std::min(w[i], target - taken);
    if (part <= 0) break;
    taken += part;
    if (units[i].violation) found += part;
  }
  return found / taken;
}

absl::StatusOr<PolicyComparison> ComparePolicies(absl::Span<const DesignStratum> strata,
                                                 absl::Span<const DesignUnit> units, int replicates,
                                                 uint64_t seed) {
  if (replicates < 100) return absl::InvalidArgumentError("replicates: at least 100");
  absl::StatusOr<std::vector<StratumSample>> sample = Tally(strata, units);
  if (!sample.ok()) return sample.status();
  std::vector<std::vector<bool>> outcomes(strata.size());
  for (const DesignUnit& u : units) outcomes[u.stratum].push_back(u.violation);
  const std::vector<bool> all(strata.size(), true);

  auto figures = [&](absl::Span<const StratumSample> s, double* quota, double* uniform) {
    int64_t m = 0, v = 0;
    for (const StratumSample& h : s) {
      m += h.inspected;
      v += h.violations;
    }
    *quota = 100.0 * static_cast<double>(v) / static_cast<double>(m);
    *uniform = 100.0 * Stratified(strata, s, 0, all).rate.estimate;
  };
  PolicyComparison out;
  out.replicates = replicates;
  figures(*sample, &out.quota_per_100.estimate, &out.uniform_per_100.estimate);
  out.difference.estimate = out.quota_per_100.estimate - out.uniform_per_100.estimate;

  SplitMix64 rng(seed);
  std::vector<double> quota(replicates), uniform(replicates), difference(replicates);
  std::vector<StratumSample> resampled(strata.size());
  for (int r = 0; r < replicates; ++r) {
    for (size_t h = 0; h < strata.size(); ++h) {
      resampled[h] = {static_cast<int64_t>(outcomes[h].size()), 0};
      for (size_t k = 0; k < outcomes[h].size(); ++k) {
        resampled[h].violations += outcomes[h][rng.Below(outcomes[h].size())] ? 1 : 0;
      }
    }
    figures(resampled, &quota[r], &uniform[r]);
    difference[r] = quota[r] - uniform[r];
  }
  auto bounds = [](const std::vector<double>& values, Interval* interval) {
    interval->lower = Quantile(values, 0.025);
    interval->upper = Quantile(values, 0.975);
  };
  bounds(quota, &out.quota_per_100);
  bounds(uniform, &out.uniform_per_100);
  bounds(difference, &out.difference);
  return out;
}

}  // namespace regulation::scoring
