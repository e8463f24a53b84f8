#include "scoring/booster.h"

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/synchronization/barrier.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "scoring/synthetic_data_for_test.h"
#include "scoring/trainer.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

constexpr size_t kCols = 10;

// One small tree model and one linear model, trained once for the whole suite.
class BoosterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const TrainingData train = MakeSyntheticData(3000, kCols, 11, Relation::kInteraction);
    const TrainingData valid = MakeSyntheticData(1000, kCols, 12, Relation::kInteraction);
    v1::TrainingConfig config;
    config.set_max_rounds(60);
    absl::StatusOr<TrainedModel> trees = TrainGradientBoosted(train, valid, config, {}, nullptr);
    ASSERT_OK(trees);
    tree_bytes_ = new std::string(trees->model_bytes);
    absl::StatusOr<TrainedModel> linear = TrainLinearBaseline(train, valid, 1);
    ASSERT_OK(linear);
    linear_bytes_ = new std::string(linear->model_bytes);
    rows_ = new TrainingData(MakeSyntheticData(2000, kCols, 13, Relation::kInteraction));
  }
  static void TearDownTestSuite() {
    delete tree_bytes_;
    delete linear_bytes_;
    delete rows_;
  }

  static std::string* tree_bytes_;
  static std::string* linear_bytes_;
  static TrainingData* rows_;
};

std::string* BoosterTest::tree_bytes_ = nullptr;
std::string* BoosterTest::linear_bytes_ = nullptr;
TrainingData* BoosterTest::rows_ = nullptr;

TEST_F(BoosterTest, LoadReadsTheModelsShape) {
  absl::StatusOr<Booster> trees = Booster::Load(*tree_bytes_);
  ASSERT_OK(trees);
  EXPECT_EQ(trees->num_features(), static_cast<int>(kCols));
  EXPECT_EQ(trees->booster_type(), "gbtree");
  EXPECT_GE(trees->boosted_rounds(), 1);
  absl::StatusOr<Booster> linear = Booster::Load(*linear_bytes_);
  ASSERT_OK(linear);
  EXPECT_EQ(linear->booster_type(), "gblinear");
  EXPECT_EQ(linear->num_features(), static_cast<int>(kCols));
}

TEST_F(BoosterTest, LoadRejectsBytesThatAreNotAModel) {
  for (const std::string& bytes :
       {std::string(), std::string("not a model"), std::string("{garbage"), std::string("{}")}) {
    absl::StatusOr<Booster> b = Booster::Load(bytes);
    EXPECT_THAT(b, StatusIs(absl::StatusCode::kInvalidArgument))
        << bytes.substr(0, 20) << ": " << b.status();
  }
}

TEST_F(BoosterTest, LoadVerifiedChecksTheDigestFirst) {
  const std::string digest = Sha256Hex(*tree_bytes_);
  EXPECT_OK(Booster::LoadVerified(*tree_bytes_, digest));
  EXPECT_OK(Booster::LoadVerified(*tree_bytes_, absl::AsciiStrToUpper(digest)));
  // A truncated model would crash XGBoost's loader; the digest keeps it away.
  const std::string truncated = tree_bytes_->substr(0, tree_bytes_->size() / 2);
  EXPECT_THAT(Booster::LoadVerified(truncated, digest), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(BoosterTest, SaveGivesBackTheSameBytes) {
  for (const std::string* bytes : {tree_bytes_, linear_bytes_}) {
    absl::StatusOr<Booster> b = Booster::Load(*bytes);
    ASSERT_OK(b);
    absl::StatusOr<std::string> saved = b->Save();
    ASSERT_OK(saved);
    EXPECT_EQ(*saved, *bytes);
  }
}

TEST_F(BoosterTest, ProbabilitiesAreProbabilitiesAndMatchTheMargins) {
  for (const std::string* bytes : {tree_bytes_, linear_bytes_}) {
    absl::StatusOr<Booster> b = Booster::Load(*bytes);
    ASSERT_OK(b);
    std::vector<float> p, margin;
    ASSERT_OK(b->PredictProbabilities(rows_->features, rows_->rows, kCols, &p));
    ASSERT_OK(b->PredictMargins(rows_->features, rows_->rows, kCols, &margin));
    ASSERT_EQ(p.size(), rows_->rows);
    ASSERT_EQ(margin.size(), rows_->rows);
    for (size_t i = 0; i < p.size(); ++i) {
      ASSERT_GT(p[i], 0);
      ASSERT_LT(p[i], 1);
      ASSERT_NEAR(p[i], 1 / (1 + std::exp(-margin[i])), 1e-6) << i;
    }
  }
}

TEST_F(BoosterTest, MissingValuesArePredicted) {
  absl::StatusOr<Booster> b = Booster::Load(*tree_bytes_);
  ASSERT_OK(b);
  std::vector<float> row(kCols, std::numeric_limits<float>::quiet_NaN());
  row[0] = 1.5f;
  std::vector<float> p;
  ASSERT_OK(b->PredictProbabilities(row, 1, kCols, &p));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0] > 0 && p[0] < 1);
}

TEST_F(BoosterTest, WrongShapesAreInvalidArguments) {
  absl::StatusOr<Booster> b = Booster::Load(*tree_bytes_);
  ASSERT_OK(b);
  std::vector<float> out;
  std::vector<float> rows(3 * kCols, 0.0f);
  EXPECT_THAT(b->PredictProbabilities(rows, 3, kCols + 1, &out),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(b->PredictProbabilities(rows, 4, kCols, &out),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(b->Contributions(rows, 2, kCols, &out), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(b->PredictProbabilities({}, 0, kCols, &out));
  EXPECT_TRUE(out.empty());
}

TEST_F(BoosterTest, ContributionsHaveABiasColumn) {
  absl::StatusOr<Booster> b = Booster::Load(*tree_bytes_);
  ASSERT_OK(b);
  std::vector<float> contributions;
  ASSERT_OK(b->Contributions(absl::MakeSpan(rows_->features).subspan(0, 5 * kCols), 5, kCols,
                             &contributions));
  EXPECT_EQ(contributions.size(), 5 * (kCols + 1));
}

TEST_F(BoosterTest, MoveTransfersOwnership) {
  absl::StatusOr<Booster> b = Booster::Load(*tree_bytes_);
  ASSERT_OK(b);
  Booster moved = *std::move(b);
  std::vector<float> p;
  EXPECT_OK(moved.PredictProbabilities(rows_->features, rows_->rows, kCols, &p));
  Booster assigned = std::move(moved);
  EXPECT_OK(assigned.PredictProbabilities(rows_->features, rows_->rows, kCols, &p));
}

// Four threads predict with one booster at once (probabilities, then contributions, a
// few times over, all released together); every result must equal the single-threaded
// one bit for bit.
void CheckConcurrentPredictions(const Booster& booster, const TrainingData& rows) {
  constexpr int kThreads = 4;
  constexpr int kRepeats = 5;
  constexpr size_t kShapRows = 40;
  const absl::Span<const float> shap_rows =
      absl::MakeConstSpan(rows.features).subspan(0, kShapRows * kCols);
  std::vector<float> expected_p, expected_c;
  ASSERT_OK(booster.PredictProbabilities(rows.features, rows.rows, kCols, &expected_p));
  ASSERT_OK(booster.Contributions(shap_rows, kShapRows, kCols, &expected_c));

  std::vector<int> mismatches(kThreads, 0), failures(kThreads, 0);
  absl::Barrier* start = new absl::Barrier(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      if (start->Block()) delete start;
      for (int r = 0; r < kRepeats; ++r) {
        std::vector<float> p, c;
        if (!booster.PredictProbabilities(rows.features, rows.rows, kCols, &p).ok() ||
            !booster.Contributions(shap_rows, kShapRows, kCols, &c).ok()) {
          ++failures[t];
          continue;
        }
        mismatches[t] += p != expected_p;
        mismatches[t] += c != expected_c;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
    EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  }
}

TEST_F(BoosterTest, ConcurrentTreePredictionsEqualSingleThreadedOnes) {
  absl::StatusOr<Booster> b = Booster::Load(*tree_bytes_);
  ASSERT_OK(b);
  CheckConcurrentPredictions(*b, *rows_);
}

TEST_F(BoosterTest, ConcurrentLinearPredictionsEqualSingleThreadedOnes) {
  absl::StatusOr<Booster> b = Booster::Load(*linear_bytes_);
  ASSERT_OK(b);
  CheckConcurrentPredictions(*b, *rows_);
}

TEST(DMatrix, ChecksShapes) {
  std::vector<float> values(6, 1.0f);
  EXPECT_THAT(DMatrix::FromDense(values, 4, 2), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DMatrix::FromDense(values, 6, 0), StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<DMatrix> m = DMatrix::FromDense(values, 3, 2);
  ASSERT_OK(m);
  EXPECT_EQ(m->rows(), 3u);
  EXPECT_THAT(m->SetLabels({0, 1}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(m->SetLabels({0, 1, 0}));
}

}  // namespace
}  // namespace regulation::scoring
