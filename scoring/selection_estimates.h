#ifndef SCORING_SELECTION_ESTIMATES_H_
#define SCORING_SELECTION_ESTIMATES_H_

// Design-based (selection-corrected) estimates from random draws (docs/scoring.md,
// "Selection-corrected estimates").
//
// A draw selects, within each stratum h (one risk class of one plan's frozen
// population), n_h of the N_h eligible enterprises uniformly without replacement, so
// every enterprise of the stratum was drawn with the known probability pi_h = n_h / N_h.
// The inspections that came from such draws are a probability sample of the
// population, and weighting each by 1 / pi undoes the risk-based selection:
//
//   violation rate   Horvitz-Thompson: R = sum_h N_h * ybar_h / sum_h N_h, where ybar_h
//                    is the share of stratum h's inspected targets that had a violation
//                    (with every drawn target inspected this is exactly sum_i y_i/pi_i
//                    over N; targets without a result yet are treated as missing at
//                    random within their stratum). Variance (stratified sampling without
//                    replacement): sum_h (N_h / N)^2 (1 - m_h / N_h) s_h^2 / m_h, m_h the
//                    inspected count, s_h^2 the sample variance of the 0/1 outcomes taken
//                    at the share (v_h + 1/2) / (m_h + 1) (so that a stratum whose few
//                    units all agree does not claim a zero variance; m_h / (m_h - 1) is
//                    left out for m_h = 1). The interval is R +- z * SE, clipped to [0, 1].
//   weighted AUC     the probability that a random violating enterprise of the
//                    population outscores a random compliant one: pairs weighted by
//                    w_i * w_j (w = N_h / m_h), ties one half.
//   weighted         the population's top b by score, estimated by taking sample units
//   precision at b   in decreasing score until their weight reaches b * sum w (the last
//                    unit counted fractionally); precision = weighted violations / weight.
//   policy           violations found per 100 inspections by the class-quota draws as
//                    they were (the sample's own hit rate, sum_h m_h ybar_h / m) against a
//                    uniform random draw of the same size (100 * R); intervals by a
//                    stratified bootstrap (units resampled with replacement within each
//                    stratum), percentiles 2.5 and 97.5, from a fixed seed.
//
// Targeted (non-random) inspections have no inclusion probability and must never be
// passed in: they would bias every figure.
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace regulation::scoring {

// One stratum of the design: N_h eligible, n_h drawn (pi_h = n_h / N_h).
struct DesignStratum {
  std::string name;    // e.g. "P20261127-0001/C"
  int risk_class = 0;  // 1 (A) to 4 (D); what per-class figures group by
  int64_t population = 0;
  int64_t drawn = 0;
};

// One inspected target of a random draw.
struct DesignUnit {
  int stratum = 0;  // index into the strata
  bool violation = false;
  double score = 0;  // a model's score; only the model figures use it
};

struct Interval {
  double estimate = 0;
  double lower = 0;
  double upper = 0;
};

struct RateEstimate {
  Interval rate;
  double standard_error = 0;
  int64_t population = 0;  // sum of N_h over strata with at least one inspected unit
  int64_t inspected = 0;   // m
  int64_t violations = 0;  // in the sample
};

// R with its interval over the strata that have inspected units (a stratum without any
// tells nothing and is left out, with its population). `z` is the normal quantile
// (1.96: 95%). INVALID_ARGUMENT for a unit naming no stratum, a stratum with N_h < 1,
// n_h outside [1, N_h], more inspected units than drawn, or no unit at all.
absl::StatusOr<RateEstimate> EstimateViolationRate(absl::Span<const DesignStratum> strata,
                                                   absl::Span<const DesignUnit> units,
                                                   double z = 1.959964);

// The same, per risk class 1-4 (absent when a class has no inspected unit), and overall.
struct ClassRates {
  std::vector<std::pair<int, RateEstimate>> by_class;
  RateEstimate overall;
};
absl::StatusOr<ClassRates> EstimateRatesByClass(absl::Span<const DesignStratum> strata,
                                                absl::Span<const DesignUnit> units,
                                                double z = 1.959964);

// Weighted AUC of the units' scores; NaN when the sample holds only one outcome.
// Statuses as EstimateViolationRate.
absl::StatusOr<double> WeightedAuc(absl::Span<const DesignStratum> strata,
                                   absl::Span<const DesignUnit> units);

// Weighted precision at budget b (0 < b <= 1). Statuses as EstimateViolationRate, and
// INVALID_ARGUMENT for a budget outside (0, 1].
absl::StatusOr<double> WeightedPrecisionAt(absl::Span<const DesignStratum> strata,
                                           absl::Span<const DesignUnit> units, double budget);

struct PolicyComparison {
  Interval quota_per_100;    // violations per 100 inspections, class quotas as drawn
  Interval uniform_per_100;  // a uniform random draw of the same size
  Interval difference;       // quota - uniform
  int replicates = 0;
};

// The policy comparison with `replicates` bootstrap replicates from `seed`.
// Statuses as EstimateViolationRate, and INVALID_ARGUMENT for replicates < 100.
absl::StatusOr<PolicyComparison> ComparePolicies(absl::Span<const DesignStratum> strata,
                                                 absl::Span<const DesignUnit> units,
                                                 int replicates = 1000, uint64_t seed = 1);

}  // namespace regulation::scoring

#endif  // SCORING_SELECTION_ESTIMATES_H_
