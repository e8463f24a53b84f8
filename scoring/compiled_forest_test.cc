#include "scoring/compiled_forest.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scoring/booster.h"
#include "scoring/booster_compiler.h"
#include "scoring/feature_catalogue.h"
#include "scoring/synthetic_data_for_test.h"
#include "scoring/trainer.h"
#include "scoring/tree_ensemble.h"
#include "scoring/xgboost_json_for_test.h"
#include "testing/status_matchers.h"
#include "xgboost/c_api.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Sets about `share` of the values in columns 1, 4, 7, ... to NaN (missing), the same for
// the same seed.
void AddMissing(TrainingData* data, double share, uint64_t seed) {
  uint64_t state = seed;
  for (size_t i = 0; i < data->features.size(); ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    if ((i % data->cols) % 3 == 1 && static_cast<double>(state >> 11) / 9007199254740992.0 < share) {
      data->features[i] = kNaN;
    }
  }
}

// Rows that sit on the model's thresholds and just beside them, with NaN, infinities and
// signed zeros mixed in: where a "<" against a "<=", or a wrong default direction, shows.
std::vector<float> ThresholdRows(const TreeEnsemble& e, size_t rows) {
  std::vector<std::vector<float>> values(e.num_features, {kNaN, kInf, -kInf, 0.0f, -0.0f});
  for (const RegressionTree& tree : e.trees) {
    for (int node = 0; node < tree.num_nodes(); ++node) {
      if (tree.is_leaf(node)) continue;
      const float t = tree.value[node];
      values[tree.feature[node]].insert(values[tree.feature[node]].end(),
                                        {t, std::nextafter(t, -kInf), std::nextafter(t, kInf)});
    }
  }
  std::vector<float> out(rows * e.num_features);
  uint64_t state = 99;
  for (size_t i = 0; i < out.size(); ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::vector<float>& v = values[i % e.num_features];
    out[i] = v[(state >> 33) % v.size()];
  }
  return out;
}

// XGBoost's predict through a DMatrix (the path that is not in-place), from a handle of
// its own.
std::vector<float> PredictThroughDMatrix(const std::string& model_bytes,
                                         const std::vector<float>& rows, size_t cols,
                                         int type) {
  BoosterHandle booster = nullptr;
  DMatrixHandle matrix = nullptr;
  const size_t n = rows.size() / cols;
  EXPECT_EQ(XGBoosterCreate(nullptr, 0, &booster), 0);
  EXPECT_EQ(XGBoosterLoadModelFromBuffer(booster, model_bytes.data(), model_bytes.size()), 0);
  EXPECT_EQ(XGDMatrixCreateFromMat_omp(rows.data(), n, cols, kNaN, &matrix, 0), 0)
      << XGBGetLastError();
  const std::string config =
      absl::StrCat(R"({"type": )", type,
                   R"(, "training": false, "iteration_begin": 0, "iteration_end": 0, )",
                   R"("strict_shape": false})");
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  EXPECT_EQ(XGBoosterPredictFromDMatrix(booster, matrix, config.c_str(), &shape, &dim, &result), 0)
      << XGBGetLastError();
  std::vector<float> out(result, result + n);
  XGDMatrixFree(matrix);
  XGBoosterFree(booster);
  return out;
}

// Index of the first output whose bits differ, or -1.
long FirstDifference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return static_cast<long>(i);
  }
  return -1;
}

// Checks every output of `model_bytes` on `rows`, compiled with each kernel and predicted
// with 1 and 2 threads, against XGBoost in place and through a DMatrix; probabilities
// and margins. Returns the number of rows compared.
size_t ExpectIdenticalToXgboost(const std::string& label, const std::string& model_bytes,
                                const std::vector<float>& rows) {
  absl::StatusOr<Booster> booster = Booster::Load(model_bytes);
  EXPECT_OK(booster) << label << ": " << booster.status();
  if (!booster.ok()) return 0;
  const size_t cols = static_cast<size_t>(booster->num_features());
  const size_t n = rows.size() / cols;
  absl::StatusOr<std::string> json = booster->SaveJson();
  EXPECT_OK(json);
  absl::StatusOr<TreeEnsemble> ensemble = ReadXgboostJsonModel(*json);
  EXPECT_OK(ensemble) << label << ": " << ensemble.status();
  if (!ensemble.ok()) return 0;

  std::vector<float> xgb_probability, xgb_margin;
  EXPECT_OK(booster->PredictProbabilities(rows, n, cols, &xgb_probability));
  EXPECT_OK(booster->PredictMargins(rows, n, cols, &xgb_margin));
  // XGBoost builds no DMatrix from infinite values (in-place prediction takes them).
  if (std::none_of(rows.begin(), rows.end(), [](float v) { return std::isinf(v); })) {
    EXPECT_EQ(FirstDifference(PredictThroughDMatrix(model_bytes, rows, cols, 0), xgb_probability),
              -1)
        << label << ": XGBoost's two paths differ";
  }
  for (const bool avx512 : {true, false}) {
    CompileOptions compile;
    compile.allow_avx512 = avx512;
    const CompiledForest forest = CompiledForest::Compile(*ensemble, compile);
    for (const int threads : {1, 2}) {
      PredictOptions predict;
      predict.threads = threads;
      std::vector<float> probability, margin;
      EXPECT_OK(forest.PredictProbabilities(rows, n, cols, &probability, predict));
      EXPECT_OK(forest.PredictMargins(rows, n, cols, &margin, predict));
      const std::string what =
          absl::StrCat(label, ", kernel ", forest.kernel_name(), ", ", threads, " thread(s)");
      const long p = FirstDifference(probability, xgb_probability);
      EXPECT_EQ(p, -1) << what << ": probability of row " << p << " is "
                       << (p >= 0 ? probability[p] : 0) << ", XGBoost's "
                       << (p >= 0 ? xgb_probability[p] : 0);
      EXPECT_EQ(FirstDifference(margin, xgb_margin), -1) << what << ": margins differ";
    }
  }
  return n;
}

// Rows of synthetic features compared per model: 12007 in the suite, or the value of
// COMPILED_FOREST_TEST_ROWS (the long target, compiled_forest_1m_test, compares 1M).
size_t RowsToCompare() {
  const char* env = std::getenv("COMPILED_FOREST_TEST_ROWS");
  size_t rows = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &rows) && rows > 0) return rows;
  return 12007;
}

// Models the trainer makes, trained once for the suite.
class CompiledForestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cols_ = FeatureCatalogue().size();
    TrainingData train = MakeSyntheticData(4000, cols_, 21, Relation::kWavy);
    TrainingData valid = MakeSyntheticData(1500, cols_, 22, Relation::kWavy);
    AddMissing(&train, 0.15, 1);
    AddMissing(&valid, 0.15, 2);
    models_ = new std::vector<TrainedCase>;
    auto train_one = [&](const std::string& label, v1::TrainingConfig config,
                         std::vector<int> constraints) {
      absl::StatusOr<TrainedModel> m =
          TrainGradientBoosted(train, valid, config, constraints, nullptr);
      ASSERT_OK(m) << label << ": " << m.status();
      models_->push_back(TrainedCase{
          absl::StrCat(label, " (", m->best_iteration + 1, " of ", m->rounds_boosted, " rounds)"),
          m->model_bytes, m->best_iteration + 1, m->rounds_boosted});
    };
    // The production recipe: defaults, catalogue monotone constraints, early stopping.
    train_one("default config, monotone", v1::TrainingConfig(), CatalogueMonotoneConstraints());
    v1::TrainingConfig early;
    early.set_early_stopping_rounds(2);
    early.set_learning_rate(0.5);
    train_one("early stopped after 2", early, {});
    v1::TrainingConfig deep;
    deep.set_max_depth(10);
    deep.set_max_rounds(25);
    deep.set_min_child_weight(0.5);
    train_one("depth 10", deep, {});
    v1::TrainingConfig shallow;
    shallow.set_max_depth(3);
    shallow.set_max_rounds(80);
    train_one("depth 3", shallow, CatalogueMonotoneConstraints());
    v1::TrainingConfig stumps;
    stumps.set_max_depth(1);
    stumps.set_max_rounds(50);
    train_one("stumps", stumps, {});

    rows_ = new TrainingData(MakeSyntheticData(RowsToCompare(), cols_, 23, Relation::kWavy));
    AddMissing(rows_, 0.2, 3);
  }
  static void TearDownTestSuite() {
    delete models_;
    delete rows_;
  }

  struct TrainedCase {
    std::string label;
    std::string bytes;  // UBJSON, as the trainer saved it
    int kept_rounds;
    int boosted_rounds;
  };

  static size_t cols_;
  static std::vector<TrainedCase>* models_;
  static TrainingData* rows_;
};

size_t CompiledForestTest::cols_ = 0;
std::vector<CompiledForestTest::TrainedCase>* CompiledForestTest::models_ = nullptr;
TrainingData* CompiledForestTest::rows_ = nullptr;

TEST_F(CompiledForestTest, EveryTrainedModelPredictsXgboostsBits) {
  size_t compared = 0;
  for (const TrainedCase& m : *models_) {
    compared += ExpectIdenticalToXgboost(m.label, m.bytes, rows_->features);
    const TreeEnsemble e = ReadXgboostJsonModel(*Booster::Load(m.bytes)->SaveJson()).value();
    compared += ExpectIdenticalToXgboost(m.label + ", threshold rows", m.bytes,
                                         ThresholdRows(e, 4001));
  }
  EXPECT_EQ(compared, models_->size() * (RowsToCompare() + 4001));
}

TEST_F(CompiledForestTest, TheTrainedModelsCoverEveryLayout) {
  bool shallow = false, deep = false, early_stopped = false;
  for (const TrainedCase& m : *models_) {
    const TreeEnsemble e = ReadXgboostJsonModel(*Booster::Load(m.bytes)->SaveJson()).value();
    EXPECT_EQ(e.trees.size(), static_cast<size_t>(m.kept_rounds)) << m.label;
    shallow |= e.max_depth <= 6;
    deep |= e.max_depth > 6;
    early_stopped |= m.kept_rounds < m.boosted_rounds;
  }
  EXPECT_TRUE(shallow);
  EXPECT_TRUE(deep);
  EXPECT_TRUE(early_stopped) << "the early-stopped model kept every round it boosted";
}

TEST_F(CompiledForestTest, CompileBoosterChecksAndKeepsTheModel) {
  const Booster booster = Booster::Load(models_->front().bytes).value();
  absl::StatusOr<CompiledForest> forest = CompileBooster(booster);
  ASSERT_OK(forest);
  EXPECT_EQ(forest->num_features(), booster.num_features());
  EXPECT_EQ(forest->num_trees(), static_cast<size_t>(booster.boosted_rounds()));
  std::vector<float> expected, actual;
  ASSERT_OK(booster.PredictProbabilities(rows_->features, rows_->rows, cols_, &expected));
  ASSERT_OK(forest->PredictProbabilities(rows_->features, rows_->rows, cols_, &actual));
  EXPECT_EQ(FirstDifference(actual, expected), -1);
}

// Full blocks go through the vector kernel and a last, shorter block through the scalar
// one; both must agree with XGBoost wherever the batch ends.
TEST_F(CompiledForestTest, EveryBatchSizePredictsXgboostsBits) {
  const Booster booster = Booster::Load(models_->front().bytes).value();
  const CompiledForest forest = CompileBooster(booster).value();
  for (const size_t n : {1, 2, 15, 63, 64, 65, 127, 129, 4096 + 17}) {
    const std::vector<float> rows(rows_->features.begin(), rows_->features.begin() + n * cols_);
    std::vector<float> expected, actual;
    ASSERT_OK(booster.PredictProbabilities(rows, n, cols_, &expected));
    PredictOptions two;
    two.threads = 2;
    ASSERT_OK(forest.PredictProbabilities(rows, n, cols_, &actual, two));
    EXPECT_EQ(FirstDifference(actual, expected), -1) << n << " rows";
  }
}

TEST_F(CompiledForestTest, CompileBoosterLeavesLinearModelsToXgboost) {
  const TrainingData train = MakeSyntheticData(500, 6, 31, Relation::kLinear);
  const TrainingData valid = MakeSyntheticData(200, 6, 32, Relation::kLinear);
  absl::StatusOr<TrainedModel> linear = TrainLinearBaseline(train, valid, 1);
  ASSERT_OK(linear);
  EXPECT_THAT(CompileBooster(linear->booster), StatusIs(absl::StatusCode::kUnimplemented));
}

TEST_F(CompiledForestTest, RefusesRowsOfTheWrongShape) {
  const TreeEnsemble e =
      ReadXgboostJsonModel(*Booster::Load(models_->front().bytes)->SaveJson()).value();
  const CompiledForest forest = CompiledForest::Compile(e);
  std::vector<float> out;
  std::vector<float> rows(3 * cols_, 0.0f);
  EXPECT_THAT(forest.PredictProbabilities(rows, 3, cols_ - 1, &out),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(forest.PredictProbabilities(rows, 4, cols_, &out),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(forest.PredictProbabilities({}, 0, cols_, &out));
  EXPECT_TRUE(out.empty());
}

// Hand-written models reach what trained ones may not: leaves at every depth (pushed
// down in the complete layout), a tree that is one leaf, node ids out of breadth-first
// order, deep and shallow trees alternating, other objectives and base scores.
TEST(CompiledForestHandWritten, CornerCasesPredictXgboostsBits) {
  const TestTree uneven = {Split(0, 0.5f, 1, 2, true),   Leaf(0.25f),
                           Split(1, -1.0f, 3, 4, false), Split(2, 2.0f, 5, 6, true),
                           Leaf(-0.75f),                 Leaf(0.0625f),
                           Leaf(1.5f)};
  // Not in breadth-first order: the root's children are nodes 3 and 4, node 3's are 1
  // and 2.
  const TestTree shuffled = {Split(2, 0.0f, 3, 4, false), Leaf(-0.5f), Leaf(0.375f),
                             Split(0, 1.0f, 1, 2, true), Leaf(0.125f)};
  TestTree deep_chain;  // depth 9: the deep layout
  for (int level = 0; level < 9; ++level) {
    const int n = static_cast<int>(deep_chain.size());
    deep_chain.push_back(Split(level % 3, 0.25f * level - 1.0f, n + 1, n + 2, level % 2 == 0));
    deep_chain.push_back(Leaf(0.01f * level));
  }
  deep_chain.push_back(Leaf(-0.2f));
  const std::vector<TestTree> trees = {uneven, {Leaf(0.3f)}, deep_chain, shuffled, deep_chain,
                                       uneven};
  std::vector<float> rows;
  for (float a : {-kInf, -1.0f, 0.5f, std::nextafter(0.5f, 0.0f), 1.0f, kNaN}) {
    for (float b : {-1.0f, std::nextafter(-1.0f, 0.0f), 0.0f, -0.0f, kNaN}) {
      for (float c : {2.0f, std::nextafter(2.0f, kInf), kInf, 0.0f, -0.0f, kNaN}) {
        rows.insert(rows.end(), {a, b, c});
      }
    }
  }
  for (const auto& [objective, base_score] :
       std::vector<std::pair<std::string, std::string>>{{"binary:logistic", "5E-1"},
                                                        {"binary:logistic", "3.1E-1"},
                                                        {"reg:logistic", "7E-1"},
                                                        {"binary:logitraw", "2E-1"},
                                                        {"reg:squarederror", "1.25E0"}}) {
    ExpectIdenticalToXgboost(absl::StrCat(objective, " base ", base_score),
                             XgboostJsonModel(trees, 3, objective, base_score), rows);
  }
}

}  // namespace
}  // namespace regulation::scoring
