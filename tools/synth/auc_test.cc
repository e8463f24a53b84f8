#include "tools/synth/auc.h"

#include "gtest/gtest.h"

namespace regulation::synth {
namespace {

TEST(AucHistogramTest, PerfectAndReversedAndTiedScores) {
  AucHistogram perfect;
  perfect.Add(0.9, 1, 0);
  perfect.Add(0.8, 1, 0);
  perfect.Add(0.2, 0, 1);
  EXPECT_DOUBLE_EQ(perfect.Auc(), 1.0);

  AucHistogram reversed;
  reversed.Add(0.1, 1, 0);
  reversed.Add(0.7, 0, 1);
  EXPECT_DOUBLE_EQ(reversed.Auc(), 0.0);

  AucHistogram tied;
  tied.Add(0.5, 1, 1);
  EXPECT_DOUBLE_EQ(tied.Auc(), 0.5);
}

TEST(AucHistogramTest, MatchesPairCounting) {
  // Positives at 0.3, 0.6, 0.9; negatives at 0.1, 0.5, 0.7: 6 of 9 pairs concordant.
  AucHistogram h;
  for (double s : {0.3, 0.6, 0.9}) h.Add(s, 1, 0);
  for (double s : {0.1, 0.5, 0.7}) h.Add(s, 0, 1);
  EXPECT_NEAR(h.Auc(), 6.0 / 9.0, 1e-12);
  EXPECT_EQ(h.total_positive(), 3);
  EXPECT_EQ(h.total_negative(), 3);
}

TEST(AucHistogramTest, MergeEqualsAddingEverythingToOne) {
  AucHistogram a, b, all;
  for (int i = 0; i < 100; ++i) {
    const double s = (i * 37 % 100) / 100.0;
    const bool y = (i * 11 % 7) < 3;
    (i % 2 == 0 ? a : b).Add(s, y, !y);
    all.Add(s, y, !y);
  }
  a.Merge(b);
  EXPECT_EQ(a.Auc(), all.Auc());
}

TEST(AucHistogramTest, ExpectedAucOfProbabilities) {
  // Two enterprises scored by their p, 0.9 and 0.1: positive weight 0.9 at 0.9 and 0.1
  // at 0.1, negative weight 0.1 at 0.9 and 0.9 at 0.1; same-bin pairs count half.
  AucHistogram h;
  h.AddProbability(0.9, 0.9);
  h.AddProbability(0.1, 0.1);
  const double concordant = 0.9 * 0.9 + 0.5 * (0.9 * 0.1 + 0.1 * 0.9);
  const double total = (0.9 + 0.1) * (0.1 + 0.9);
  EXPECT_NEAR(h.Auc(), concordant / total, 1e-9);
  EXPECT_EQ(AucHistogram().Auc(), 0.5);
}

}  // namespace
}  // namespace regulation::synth
