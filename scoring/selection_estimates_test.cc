// The selection-corrected estimators on a simulated population whose truth is known:
// random draws with class quotas (higher in riskier classes), repeated from 200 seeds.

#include "scoring/selection_estimates.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/metrics.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

// A finite population: each enterprise has a class, a risk p and a fixed outcome y.
struct Population {
  std::vector<int> risk_class;
  std::vector<double> p;
  std::vector<bool> violation;
  double true_rate = 0;
  double class_rate[5] = {};
};

Population MakePopulation(uint64_t seed) {
  const int sizes[4] = {12000, 5000, 2000, 1000};
  const double mean_rate[4] = {0.04, 0.10, 0.22, 0.45};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  Population pop;
  int64_t violations = 0;
  int64_t class_violations[5] = {};
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < sizes[k]; ++i) {
      const double p = std::min(0.95, mean_rate[k] * 2 * unit(rng));  // spread within a class
      const bool y = unit(rng) < p;
      pop.risk_class.push_back(k + 1);
      pop.p.push_back(p);
      pop.violation.push_back(y);
      violations += y;
      class_violations[k + 1] += y;
    }
    pop.class_rate[k + 1] = static_cast<double>(class_violations[k + 1]) / sizes[k];
  }
  pop.true_rate = static_cast<double>(violations) / static_cast<double>(pop.p.size());
  return pop;
}

// One class-quota draw (uniform without replacement within each class) from `seed`.
struct Sample {
  std::vector<DesignStratum> strata;
  std::vector<DesignUnit> units;
};

Sample Draw(const Population& pop, uint64_t seed) {
  const double quota[4] = {0.01, 0.03, 0.10, 0.30};
  std::mt19937_64 rng(seed);
  Sample s;
  for (int k = 1; k <= 4; ++k) {
    std::vector<size_t> members;
    for (size_t i = 0; i < pop.p.size(); ++i) {
      if (pop.risk_class[i] == k) members.push_back(i);
    }
    const int64_t n = std::llround(quota[k - 1] * static_cast<double>(members.size()));
    std::shuffle(members.begin(), members.end(), rng);
    s.strata.push_back({"plan/" + std::to_string(k), k, static_cast<int64_t>(members.size()), n});
    for (int64_t j = 0; j < n; ++j) {
      const size_t i = members[j];
      s.units.push_back({k - 1, static_cast<bool>(pop.violation[i]), pop.p[i]});
    }
  }
  return s;
}

TEST(SelectionEstimates, TheIntervalCoversTheTrueRateInAtLeast90PercentOfDraws) {
  const Population pop = MakePopulation(20261127);
  int covered = 0, class_covered[5] = {};
  double naive_error = 0, corrected_error = 0;
  constexpr int kReplications = 200;
  for (int r = 0; r < kReplications; ++r) {
    const Sample s = Draw(pop, 1000 + r);
    absl::StatusOr<ClassRates> rates = EstimateRatesByClass(s.strata, s.units);
    ASSERT_OK(rates);
    const Interval& overall = rates->overall.rate;
    covered += overall.lower <= pop.true_rate && pop.true_rate <= overall.upper;
    for (const auto& [k, estimate] : rates->by_class) {
      class_covered[k] +=
          estimate.rate.lower <= pop.class_rate[k] && pop.class_rate[k] <= estimate.rate.upper;
    }
    // The plain share of inspections with a violation, what a biased evaluation reports.
    naive_error += static_cast<double>(rates->overall.violations) /
                       static_cast<double>(rates->overall.inspected) -
                   pop.true_rate;
    corrected_error += overall.estimate - pop.true_rate;
  }
  std::printf("95%% interval coverage over %d draws: overall %d, classes A-D %d %d %d %d\n",
              kReplications, covered, class_covered[1], class_covered[2], class_covered[3],
              class_covered[4]);
  EXPECT_GE(covered, 180) << "overall coverage " << covered << "/200";
  for (int k = 1; k <= 4; ++k) EXPECT_GE(class_covered[k], 180) << "class " << k;
  // Risk-based quotas make the naive share far too high; the corrected one is unbiased.
  EXPECT_GT(naive_error / kReplications, 0.08);
  EXPECT_LT(std::abs(corrected_error / kReplications), 0.003);
}

TEST(SelectionEstimates, WeightedModelFiguresEstimateThePopulationsOwn) {
  const Population pop = MakePopulation(7);
  std::vector<float> scores(pop.p.begin(), pop.p.end());
  std::vector<float> labels(pop.violation.begin(), pop.violation.end());
  const double population_auc = Auc(scores, labels);
  const double population_precision = AtBudget(scores, labels, 0.10).precision;
  double auc_sum = 0, precision_sum = 0, naive_auc_sum = 0;
  constexpr int kReplications = 50;
  for (int r = 0; r < kReplications; ++r) {
    const Sample s = Draw(pop, 5000 + r);
    auc_sum += *WeightedAuc(s.strata, s.units);
    precision_sum += *WeightedPrecisionAt(s.strata, s.units, 0.10);
    std::vector<float> sample_scores, sample_labels;
    for (const DesignUnit& u : s.units) {
      sample_scores.push_back(static_cast<float>(u.score));
      sample_labels.push_back(u.violation ? 1.0f : 0.0f);
    }
    naive_auc_sum += Auc(sample_scores, sample_labels);
  }
  EXPECT_NEAR(auc_sum / kReplications, population_auc, 0.01);
  EXPECT_NEAR(precision_sum / kReplications, population_precision, 0.03);
  // Unweighted, the sample's AUC is off (the classes were drawn at different rates).
  EXPECT_GT(std::abs(naive_auc_sum / kReplications - population_auc), 0.015);
}

TEST(SelectionEstimates, QuotasFindMoreViolationsPer100ThanAUniformDraw) {
  const Population pop = MakePopulation(11);
  int uniform_covered = 0;
  constexpr int kReplications = 50;
  for (int r = 0; r < kReplications; ++r) {
    const Sample s = Draw(pop, 9000 + r);
    absl::StatusOr<PolicyComparison> c = ComparePolicies(s.strata, s.units, 500, 42);
    ASSERT_OK(c);
    EXPECT_GT(c->difference.lower, 0);  // quotas favour the risky classes
    EXPECT_LE(c->quota_per_100.lower, c->quota_per_100.estimate);
    EXPECT_GE(c->quota_per_100.upper, c->quota_per_100.estimate);
    uniform_covered += c->uniform_per_100.lower <= 100 * pop.true_rate &&
                       100 * pop.true_rate <= c->uniform_per_100.upper;
  }
  EXPECT_GE(uniform_covered, 44);
  // Reproducible from its seed.
  const Sample s = Draw(pop, 1);
  EXPECT_EQ(ComparePolicies(s.strata, s.units, 200, 5)->difference.lower,
            ComparePolicies(s.strata, s.units, 200, 5)->difference.lower);
}

TEST(SelectionEstimates, BadDesignsAreRefusedNamingTheField) {
  std::vector<DesignStratum> strata = {{"p/A", 1, 100, 10}};
  std::vector<DesignUnit> units = {{0, true, 0.5}};
  EXPECT_OK(EstimateViolationRate(strata, units));
  EXPECT_THAT(EstimateViolationRate(strata, {}).status().message(), HasSubstr("units"));
  std::vector<DesignUnit> stray = {{3, true, 0.5}};
  EXPECT_THAT(EstimateViolationRate(strata, stray).status().message(),
              HasSubstr("units[0].stratum"));
  strata[0].drawn = 101;
  EXPECT_THAT(EstimateViolationRate(strata, units).status().message(),
              HasSubstr("strata[0].drawn"));
  strata[0] = {"p/A", 1, 100, 1};
  std::vector<DesignUnit> two = {{0, true, 0.5}, {0, false, 0.2}};
  EXPECT_THAT(EstimateViolationRate(strata, two), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(WeightedPrecisionAt(strata, units, 0), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scoring
