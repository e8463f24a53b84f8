// A random plan's credit policy (docs/draw-spec.md §3.4): the frozen class each class
// source gives, the dishonest list in the plan's record and bundle, the `always` policy's
// draw, and verify-draw's re-checks of both policies.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/draw.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/verify_draw.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

TEST(CreditPolicy, ClassSourcesFreezeTheDocumentedClass) {
  // model class, official class (0: none imported) -> model, official, stricter.
  struct Case {
    int model, official, by_model, by_official, by_stricter;
  };
  const Case cases[] = {
      {2, 0, 2, 2, 2},  // nothing imported: the model's class whatever the source
      {2, 4, 2, 4, 4},  // official riskier
      {3, 1, 3, 1, 3},  // model riskier: stricter keeps the model's
      {1, 1, 1, 1, 1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FrozenClassOf(ClassSource::kModel, c.model, c.official), c.by_model);
    EXPECT_EQ(FrozenClassOf(ClassSource::kOfficial, c.model, c.official), c.by_official);
    EXPECT_EQ(FrozenClassOf(ClassSource::kStricter, c.model, c.official), c.by_stricter);
  }
}

TEST(CreditPolicy, HighestRatioClassPrefersTheRiskierOnTies) {
  std::array<ClassQuota, kRiskClassCount> quotas = {
      ClassQuota::RatioPpm(30000), ClassQuota::RatioPpm(50000), ClassQuota::RatioPpm(150000),
      ClassQuota::Count(5)};
  EXPECT_EQ(HighestRatioClass(quotas), 3);
  quotas[1] = ClassQuota::RatioPpm(150000);
  EXPECT_EQ(HighestRatioClass(quotas), 3);  // B and C tie: C
  for (ClassQuota& q : quotas) q = ClassQuota::Count(1);
  EXPECT_EQ(HighestRatioClass(quotas), 0);
}

TEST(CreditPolicy, ThePolicyIsInTheDigestOnlyWhenSet) {
  PlanSpec plan = testing::SpecPlan();
  const std::string plain = *PlanDigest(plan);
  plan.credit.class_source = ClassSource::kModel;
  EXPECT_EQ(*PlanDigest(plan), plain);  // the default: digest unchanged
  plan.credit.class_source = ClassSource::kStricter;
  const std::string stricter = *PlanDigest(plan);
  EXPECT_NE(stricter, plain);
  plan.credit.class_source = ClassSource::kOfficial;
  EXPECT_NE(*PlanDigest(plan), stricter);
  plan.credit.dishonest_policy = DishonestPolicy::kAlways;
  const std::string without_list = *PlanDigest(plan);
  plan.credit.dishonest = {testing::TestCreditCode(7)};
  EXPECT_NE(*PlanDigest(plan), without_list);  // the list is committed

  PlanSpec bad = plan;
  bad.credit.dishonest_policy = DishonestPolicy::kNone;
  EXPECT_THAT(PlanDigest(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("plan.credit.dishonest")));
  bad = plan;
  bad.credit.dishonest = {"91330106MA27XK0Q18"};  // wrong check character
  EXPECT_THAT(PlanDigest(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("plan.credit.dishonest[0]")));
  bad = plan;
  bad.credit.dishonest_policy = DishonestPolicy::kHighestRatio;
  for (ClassQuota& q : bad.quotas) q = ClassQuota::Count(1);
  EXPECT_THAT(PlanDigest(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("plan.credit.dishonest_policy")));
}

// The spec population with some enterprises listed, frozen as the policy says.
class DishonestDrawTest : public ::testing::Test {
 protected:
  void Build(DishonestPolicy policy) {
    const FrozenPopulation spec = testing::SpecPopulation();
    inputs_ = testing::SpecRound0Inputs();
    inputs_.plan.credit.dishonest_policy = policy;
    // Class D by ratio (the spec plan draws it whole), so a ticket can leave one out.
    inputs_.plan.quotas[3] = ClassQuota::RatioPpm(200000);
    const int listed_class = policy == DishonestPolicy::kAlways ? 4
                                                                : HighestRatioClass(inputs_.plan.quotas);
    ASSERT_GT(listed_class, 0);
    population_ = FrozenPopulation();
    listed_.clear();
    for (size_t i = 0; i < spec.size(); ++i) {
      const std::string code(spec.credit_code(i));
      const bool listed = i % 9 == 4;  // a handful, of every class
      if (listed) listed_.push_back(code);
      ASSERT_OK(population_.Add(code, listed ? listed_class : spec.risk_class(i),
                                spec.region_code(i)));
    }
    ASSERT_OK(population_.Freeze());
    inputs_.plan.credit.dishonest = listed_;
    inputs_.plan_digest = *PlanDigest(inputs_.plan);
    inputs_.population = population_.Digests();
    testing::ResealSpecInputs(&inputs_);
    roster_ = testing::SpecRoster();
  }

  absl::StatusOr<DrawResult> Draw() {
    FrozenPopulationSource source(&population_);
    return RunDraw(inputs_, source, roster_);
  }

  DrawInputs inputs_;
  FrozenPopulation population_;
  std::vector<std::string> listed_;
  FrozenRoster roster_;
};

TEST_F(DishonestDrawTest, AlwaysIncludesEveryListedEnterpriseAndVerifies) {
  Build(DishonestPolicy::kAlways);
  ASSERT_GE(listed_.size(), 3u);
  absl::StatusOr<DrawResult> result = Draw();
  ASSERT_OK(result);
  std::set<std::string> drawn;
  for (const BundleTarget& t : result->bundle.targets) drawn.insert(t.credit_code);
  for (const std::string& code : listed_) EXPECT_EQ(drawn.count(code), 1u) << code;
  // Class D's lottery ran over the others only.
  EXPECT_EQ(result->bundle.classes[3].population,
            inputs_.population.class_sizes[3] - static_cast<int64_t>(listed_.size()));
  int64_t selected = 0;
  for (const BundleClass& c : result->bundle.classes) selected += c.selected;
  EXPECT_EQ(result->bundle.targets.size(), selected + listed_.size());
  // Published and re-checked, alone and with the files.
  EXPECT_NE(result->bundle_json.find("\"credit\":{\"class_source\":\"model\","
                                     "\"dishonest_policy\":\"always\",\"dishonest\":["),
            std::string::npos);
  absl::StatusOr<DrawBundle> parsed = ParseBundleJson(result->bundle_json);
  ASSERT_OK(parsed);
  EXPECT_EQ(WriteBundleJson(*parsed), result->bundle_json);
  EXPECT_OK(VerifyDraw(result->bundle_json, std::nullopt, std::nullopt));
  EXPECT_OK(VerifyDraw(result->bundle_json, population_, roster_));
  // A listed enterprise checks its own case without a class.
  absl::StatusOr<OwnTicketCheck> own = VerifyOwnTicket(result->bundle_json, listed_[0], 0);
  ASSERT_OK(own);
  EXPECT_EQ(own->expected, OwnTicketCheck::Expectation::kSelected);
  EXPECT_TRUE(own->consistent);
}

TEST_F(DishonestDrawTest, DroppingAListedTargetIsCaught) {
  Build(DishonestPolicy::kAlways);
  absl::StatusOr<DrawResult> result = Draw();
  ASSERT_OK(result);
  DrawBundle forged = result->bundle;
  for (size_t i = 0; i < forged.targets.size(); ++i) {
    if (forged.targets[i].credit_code != listed_[0]) continue;
    forged.targets.erase(forged.targets.begin() + i);
    forged.teams.erase(forged.teams.begin() + i);
    break;
  }
  for (size_t i = 0; i < forged.targets.size(); ++i) forged.targets[i].rank = i + 1;
  EXPECT_THAT(VerifyDraw(WriteBundleJson(forged), std::nullopt, std::nullopt),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("dishonest")));
}

TEST_F(DishonestDrawTest, HighestRatioFreezesTheListedInThatClassAndVerifies) {
  Build(DishonestPolicy::kHighestRatio);
  absl::StatusOr<DrawResult> result = Draw();
  ASSERT_OK(result);
  EXPECT_OK(VerifyDraw(result->bundle_json, population_, roster_));
  // A population whose listed enterprise keeps another class is not the policy's.
  const int highest = HighestRatioClass(inputs_.plan.quotas);
  FrozenPopulation other;
  for (size_t i = 0; i < population_.size(); ++i) {
    const bool first = population_.credit_code(i) == listed_[0];
    ASSERT_OK(other.Add(population_.credit_code(i),
                        first ? (highest == 1 ? 2 : 1) : population_.risk_class(i),
                        population_.region_code(i)));
  }
  ASSERT_OK(other.Freeze());
  DrawInputs inputs = inputs_;
  inputs.population = other.Digests();
  testing::ResealSpecInputs(&inputs);
  FrozenPopulationSource source(&other);
  absl::StatusOr<DrawResult> shifted = RunDraw(inputs, source, roster_);
  ASSERT_OK(shifted);
  EXPECT_THAT(VerifyDraw(shifted->bundle_json, other, roster_),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("the highest_ratio policy freezes it in class")));
}

TEST_F(DishonestDrawTest, WithoutThePolicyListedEnterprisesAreDrawnOnlyByTicket) {
  Build(DishonestPolicy::kAlways);
  absl::StatusOr<DrawResult> with = Draw();
  ASSERT_OK(with);
  // The same classes without the policy: a listed enterprise is drawn only by ticket.
  inputs_.plan.credit = CreditPolicy();
  inputs_.plan_digest = *PlanDigest(inputs_.plan);
  testing::ResealSpecInputs(&inputs_);
  absl::StatusOr<DrawResult> without = Draw();
  ASSERT_OK(without);
  // Without it the listed enterprises (class D, 20%) are drawn only by ticket: not all.
  std::set<std::string> drawn;
  for (const BundleTarget& t : without->bundle.targets) drawn.insert(t.credit_code);
  int listed_drawn = 0;
  for (const std::string& code : listed_) listed_drawn += drawn.count(code);
  EXPECT_LT(listed_drawn, static_cast<int>(listed_.size()));
  EXPECT_NE(with->bundle.seed, without->bundle.seed);  // the policy is committed
}

}  // namespace
}  // namespace regulation::scheduler
