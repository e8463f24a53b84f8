#include "scoring/bootstrap_metrics.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "scoring/metrics.h"
#include "scoring/split_mix.h"

namespace regulation::scoring {
namespace {

double Uniform(SplitMix64& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }

// Rows whose true probability is known: the oracle, a noisy model and a noisier baseline.
struct Sample {
  std::vector<float> labels, oracle, model, baseline;
};

Sample Draw(size_t n, uint64_t seed) {
  SplitMix64 rng(seed);
  Sample s;
  for (size_t i = 0; i < n; ++i) {
    const double p = 0.02 + 0.5 * Uniform(rng) * Uniform(rng);
    s.labels.push_back(Uniform(rng) < p ? 1.0f : 0.0f);
    s.oracle.push_back(static_cast<float>(p));
    s.model.push_back(static_cast<float>(p + 0.05 * Uniform(rng)));
    s.baseline.push_back(static_cast<float>(p + 0.4 * Uniform(rng)));
  }
  return s;
}

TEST(BootstrapHeldOut, EstimatesAreThePlainFiguresAndIntervalsContainThem) {
  const Sample s = Draw(3000, 7);
  absl::StatusOr<BootstrapSummary> b = BootstrapHeldOut(s.labels, s.model, s.baseline, s.oracle);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_NEAR(b->model.auc.estimate, Auc(s.model, s.labels), 1e-12);
  EXPECT_NEAR(b->baseline.auc.estimate, Auc(s.baseline, s.labels), 1e-12);
  EXPECT_NEAR(b->oracle.auc.estimate, Auc(s.oracle, s.labels), 1e-12);
  EXPECT_NEAR(b->model.precision_at_5pct.estimate, AtBudget(s.model, s.labels, 0.05).precision,
              1e-12);
  EXPECT_NEAR(b->model.precision_at_10pct.estimate, AtBudget(s.model, s.labels, 0.10).precision,
              1e-12);
  for (const Interval& i : {b->model.auc, b->baseline.auc, b->oracle.auc,
                            b->model.precision_at_5pct, b->base_rate}) {
    EXPECT_LE(i.lower, i.estimate);
    EXPECT_GE(i.upper, i.estimate);
    EXPECT_GT(i.upper, i.lower);
  }
  // The baseline is much noisier: the paired difference excludes zero.
  EXPECT_GT(b->auc_model_minus_baseline.lower, 0);
  EXPECT_NEAR(b->auc_model_over_oracle.estimate, b->model.auc.estimate / b->oracle.auc.estimate,
              1e-12);
}

TEST(BootstrapHeldOut, TheIntervalCoversTheTrueAucInMostReplications) {
  // The population AUC of the oracle, from a very large sample; then 100 small samples.
  const Sample big = Draw(200000, 99);
  const double truth = Auc(big.oracle, big.labels);
  int covered = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    const Sample s = Draw(1500, 1000 + seed);
    absl::StatusOr<BootstrapSummary> b = BootstrapHeldOut(s.labels, s.oracle, {}, {}, 200, seed);
    ASSERT_TRUE(b.ok()) << b.status();
    covered += b->model.auc.lower <= truth && truth <= b->model.auc.upper;
  }
  EXPECT_GE(covered, 88) << "95% intervals covered the true AUC " << covered << " times in 100";
}

TEST(BootstrapHeldOut, IsReproducibleFromItsSeed) {
  const Sample s = Draw(500, 3);
  const BootstrapSummary a = BootstrapHeldOut(s.labels, s.model, s.baseline, {}, 200, 5).value();
  const BootstrapSummary b = BootstrapHeldOut(s.labels, s.model, s.baseline, {}, 200, 5).value();
  const BootstrapSummary c = BootstrapHeldOut(s.labels, s.model, s.baseline, {}, 200, 6).value();
  EXPECT_EQ(a.model.auc.lower, b.model.auc.lower);
  EXPECT_EQ(a.model.auc.upper, b.model.auc.upper);
  EXPECT_NE(a.model.auc.lower, c.model.auc.lower);
  EXPECT_FALSE(a.has_oracle);
}

TEST(BootstrapHeldOut, RefusesBadInputNamingIt) {
  const Sample s = Draw(100, 3);
  std::vector<float> short_scores(s.model.begin(), s.model.end() - 1);
  absl::Status st = BootstrapHeldOut(s.labels, s.model, short_scores, {}).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("baseline"), absl::string_view::npos) << st;
  std::vector<float> ones(s.labels.size(), 1.0f);
  EXPECT_EQ(BootstrapHeldOut(ones, s.model, {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BootstrapHeldOut(s.labels, s.model, {}, {}, 10).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<float> nan_scores = s.model;
  nan_scores[3] = std::nanf("");
  EXPECT_EQ(BootstrapHeldOut(s.labels, nan_scores, {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::scoring
