#include "services/scoring/model_registry.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "scoring/synthetic_data_for_test.h"
#include "scoring/trainer.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;

v1::RiskClassPolicy Quantiles() {
  v1::RiskClassPolicy policy;
  policy.mutable_quantiles()->set_a_share(0.5);
  policy.mutable_quantiles()->set_b_share(0.3);
  policy.mutable_quantiles()->set_c_share(0.15);
  return policy;
}

v1::RiskClassPolicy CutPoints() {
  v1::RiskClassPolicy policy;
  policy.mutable_cut_points()->set_b(0.05);
  policy.mutable_cut_points()->set_c(0.12);
  policy.mutable_cut_points()->set_d(0.25);
  return policy;
}

class ModelRegistryTest : public ::testing::Test {
 protected:
  std::unique_ptr<storage::KvStore> store_ = storage::NewMemoryStore();
  FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<ModelRegistry> registry_ = *ModelRegistry::Open(store_.get(), &clock_);
};

TEST_F(ModelRegistryTest, QuantileCutPointsApplyToTheirOwnPolicyOnly) {
  ASSERT_OK(registry_->UpdatePolicy(Quantiles()));
  const v1::RiskClassPolicy computing_for = registry_->Policy();
  ASSERT_OK(registry_->SetComputedCutPoints({0.1, 0.2, 0.3}, "m-1", computing_for));
  EXPECT_EQ(registry_->CutPoints(), (std::vector<double>{0.1, 0.2, 0.3}));

  // An admin sets explicit cut points while a ScoreAll computes quantiles for the old policy.
  ASSERT_OK(registry_->UpdatePolicy(CutPoints()));
  const absl::Status late = registry_->SetComputedCutPoints({0.4, 0.5, 0.6}, "m-1", computing_for);
  EXPECT_THAT(late, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(registry_->CutPoints(), (std::vector<double>{0.05, 0.12, 0.25}));
  EXPECT_TRUE(registry_->Policy().has_cut_points());

  // Reopened from the store: the explicit cut points are what was saved.
  std::unique_ptr<ModelRegistry> reopened = *ModelRegistry::Open(store_.get(), &clock_);
  EXPECT_EQ(reopened->CutPoints(), (std::vector<double>{0.05, 0.12, 0.25}));
}

// Registers `trained` (with the catalogue's schema) and activates it.
v1::Model RegisterAndActivate(ModelRegistry* registry, const scoring::TrainedModel& trained) {
  v1::Model metadata;
  metadata.set_schema_digest(scoring::FeatureSchemaDigest());
  absl::StatusOr<v1::Model> registered = registry->Register(metadata, trained.model_bytes, "", "");
  EXPECT_OK(registered);
  absl::StatusOr<v1::Model> active = registry->Activate(registered->version());
  EXPECT_OK(active);
  return *active;
}

// The active model predicts through its compiled form, with XGBoost's bits; a model the
// compiler does not handle (the gblinear baseline) still predicts, through XGBoost.
TEST_F(ModelRegistryTest, ActivationCompilesTreesAndLeavesOtherModelsToXgboost) {
  const size_t cols = scoring::FeatureCatalogue().size();
  const scoring::TrainingData train =
      scoring::MakeSyntheticData(1000, cols, 41, scoring::Relation::kInteraction);
  const scoring::TrainingData valid =
      scoring::MakeSyntheticData(300, cols, 42, scoring::Relation::kInteraction);
  const scoring::TrainingData rows =
      scoring::MakeSyntheticData(3000, cols, 43, scoring::Relation::kInteraction);
  v1::TrainingConfig config;
  config.set_max_rounds(20);
  absl::StatusOr<scoring::TrainedModel> trees = scoring::TrainGradientBoosted(
      train, valid, config, scoring::CatalogueMonotoneConstraints(), nullptr);
  ASSERT_OK(trees);
  absl::StatusOr<scoring::TrainedModel> linear = scoring::TrainLinearBaseline(train, valid, 1);
  ASSERT_OK(linear);

  ::testing::internal::CaptureStderr();
  RegisterAndActivate(registry_.get(), *trees);
  const std::string compiled_log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(compiled_log.find("compiled predictor"), std::string::npos) << compiled_log;
  std::shared_ptr<const ActiveModel> compiled = registry_->Active();
  ASSERT_NE(compiled->forest, nullptr);
  std::vector<float> expected, actual;
  ASSERT_OK(trees->booster.PredictProbabilities(rows.features, rows.rows, cols, &expected));
  ASSERT_OK(compiled->PredictProbabilities(rows.features, rows.rows, cols, &actual));
  ASSERT_EQ(actual.size(), expected.size());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), actual.size() * sizeof(float)), 0);
  const std::vector<float> expected_compiled = expected;

  // Reopened (as regulatord starts): compiled again.
  std::unique_ptr<ModelRegistry> reopened = *ModelRegistry::Open(store_.get(), &clock_);
  ASSERT_NE(reopened->Active(), nullptr);
  EXPECT_NE(reopened->Active()->forest, nullptr);

  // The fallback is logged, with the reason, so an operator sees why scoring is slower.
  ::testing::internal::CaptureStderr();
  const v1::Model linear_model = RegisterAndActivate(registry_.get(), *linear);
  const std::string fallback_log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(fallback_log.find(absl::StrCat("model ", linear_model.version(),
                                           ": predicting through XGBoost")),
            std::string::npos)
      << fallback_log;
  std::shared_ptr<const ActiveModel> fallback = registry_->Active();
  EXPECT_EQ(fallback->forest, nullptr);
  EXPECT_EQ(fallback->model.version(), linear_model.version());
  ASSERT_OK(linear->booster.PredictProbabilities(rows.features, rows.rows, cols, &expected));
  ASSERT_OK(fallback->PredictProbabilities(rows.features, rows.rows, cols, &actual));
  EXPECT_EQ(actual, expected);
  // The snapshot taken before the switch still predicts with its own compiled model.
  ASSERT_OK(compiled->PredictProbabilities(absl::MakeConstSpan(rows.features.data(), cols), 1, cols,
                                           &actual));
  EXPECT_EQ(std::memcmp(actual.data(), expected_compiled.data(), sizeof(float)), 0);
  EXPECT_EQ(compiled->model.state(), v1::MODEL_STATE_ACTIVE);
}

}  // namespace
}  // namespace regulation::services
