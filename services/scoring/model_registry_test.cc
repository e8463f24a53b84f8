#include "services/scoring/model_registry.h"

#include "gtest/gtest.h"
#include "storage/memory_store.h"

namespace regulation::services {
namespace {

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
  ASSERT_TRUE(registry_->UpdatePolicy(Quantiles()).ok());
  const v1::RiskClassPolicy computing_for = registry_->Policy();
  ASSERT_TRUE(registry_->SetComputedCutPoints({0.1, 0.2, 0.3}, "m-1", computing_for).ok());
  EXPECT_EQ(registry_->CutPoints(), (std::vector<double>{0.1, 0.2, 0.3}));

  // An admin sets explicit cut points while a ScoreAll computes quantiles for the old policy.
  ASSERT_TRUE(registry_->UpdatePolicy(CutPoints()).ok());
  const absl::Status late = registry_->SetComputedCutPoints({0.4, 0.5, 0.6}, "m-1", computing_for);
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition) << late;
  EXPECT_EQ(registry_->CutPoints(), (std::vector<double>{0.05, 0.12, 0.25}));
  EXPECT_TRUE(registry_->Policy().has_cut_points());

  // Reopened from the store: the explicit cut points are what was saved.
  std::unique_ptr<ModelRegistry> reopened = *ModelRegistry::Open(store_.get(), &clock_);
  EXPECT_EQ(reopened->CutPoints(), (std::vector<double>{0.05, 0.12, 0.25}));
}

}  // namespace
}  // namespace regulation::services
