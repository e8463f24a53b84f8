#include "tools/synth/random.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace regulation::synth {
namespace {

TEST(RngTest, MatchesTheReferenceXoshiro256StarStar) {
  // Outputs of the reference C implementation from the state {1, 2, 3, 4}.
  Rng rng(1, 2, 3, 4);
  const uint64_t expected[] = {
      11520u, 0u, 1509978240u, 1215971899390074240u, 1216172134540287360u, 607988272756665600u};
  for (uint64_t e : expected) EXPECT_EQ(rng.Next(), e);
}

TEST(StreamFactoryTest, SeedsStreamsWithSha256OfSeedIndexAndName) {
  // First output for SHA-256("regulation-synth-v1\0" || le64(42) || le64(7) || "profile"),
  // computed independently (Python hashlib and the reference generator).
  StreamFactory streams(42);
  EXPECT_EQ(streams.Stream(7, "profile").Next(), 8734619526435102933u);
}

TEST(StreamFactoryTest, StreamsDependOnlyOnSeedIndexAndName) {
  StreamFactory a(42);
  StreamFactory b(42);
  (void)b.Stream(1, "other").Next();  // earlier use of a factory changes nothing
  Rng x = a.Stream(5, "history");
  Rng y = b.Stream(5, "history");
  for (int i = 0; i < 100; ++i) ASSERT_EQ(x.Next(), y.Next());

  EXPECT_NE(a.Stream(5, "history").Next(), a.Stream(6, "history").Next());
  EXPECT_NE(a.Stream(5, "history").Next(), a.Stream(5, "enterprise").Next());
  EXPECT_NE(a.Stream(5, "history").Next(), StreamFactory(43).Stream(5, "history").Next());
}

TEST(RngTest, UniformIsInTheUnitIntervalWithMeanOneHalf) {
  Rng rng(StreamFactory(1).Stream(0, "t"));
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  for (int i = 0; i < 1000; ++i) {
    const double u = rng.UniformPositive();
    ASSERT_GT(u, 0.0);
    ASSERT_LE(u, 1.0);
  }
}

TEST(RngTest, UniformIntCoversTheRangeEvenly) {
  Rng rng(StreamFactory(2).Stream(0, "t"));
  std::vector<int> counts(7, 0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) ++counts[rng.UniformInt(uint64_t{7})];
  for (int c : counts) EXPECT_NEAR(c, n / 7, 400);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = rng.UniformInt(int64_t{-3}, int64_t{3});
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
  }
  EXPECT_EQ(rng.UniformInt(int64_t{5}, int64_t{5}), 5);
}

TEST(RngTest, NormalHasMeanZeroAndUnitVariance) {
  Rng rng(StreamFactory(3).Stream(0, "t"));
  double sum = 0, squares = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = rng.Normal();
    sum += x;
    squares += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(squares / n, 1.0, 0.02);
}

TEST(RngTest, PoissonHasTheRequestedMean) {
  Rng rng(StreamFactory(4).Stream(0, "t"));
  for (double mean : {0.05, 2.5, 12.0, 50.0}) {
    double sum = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) sum += rng.Poisson(mean);
    EXPECT_NEAR(sum / n, mean, 0.02 * mean + 0.005) << mean;
  }
  EXPECT_EQ(rng.Poisson(0.0), 0);
  EXPECT_EQ(rng.Poisson(-1.0), 0);
}

TEST(RngTest, ExponentialHasTheRequestedMean) {
  Rng rng(StreamFactory(5).Stream(0, "t"));
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) sum += rng.Exponential(3.0);
  EXPECT_NEAR(sum / n, 3.0, 0.05);
}

TEST(RngTest, CategoricalFollowsTheWeightsAndSkipsZeros) {
  Rng rng(StreamFactory(6).Stream(0, "t"));
  const double weights[] = {1.0, 0.0, 3.0, 6.0};
  std::vector<int> counts(4, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[rng.Categorical(weights)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / double{n}, 0.1, 0.005);
  EXPECT_NEAR(counts[2] / double{n}, 0.3, 0.005);
  EXPECT_NEAR(counts[3] / double{n}, 0.6, 0.005);
}

TEST(RngTest, BernoulliExtremes) {
  Rng rng(StreamFactory(7).Stream(0, "t"));
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(rng.Bernoulli(0.0));
    ASSERT_TRUE(rng.Bernoulli(1.0));
  }
}

}  // namespace
}  // namespace regulation::synth
