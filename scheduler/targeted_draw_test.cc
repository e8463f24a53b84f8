// A targeted plan's draw (docs/draw-spec.md §3.3): its listed targets are not drawn, its
// teams are, and verify-draw re-derives the teams and checks the list against the
// committed plan.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scheduler/draw.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/seed.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/ticket.h"
#include "scheduler/verify_draw.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::testing::StatusIs;

class TargetedDrawTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const FrozenPopulation spec = testing::SpecPopulation();
    // Three enterprises of the spec population, frozen (as the service does) in class B.
    for (size_t i : {3u, 17u, 30u}) {
      const std::string code(spec.credit_code(i));
      ASSERT_OK(population_.Add(code, 2, spec.region_code(i)));
      listed_.push_back({code, i == 17 ? TargetReason::kAlert : TargetReason::kComplaint});
    }
    ASSERT_OK(population_.Freeze());
    outside_ = std::string(spec.credit_code(5));
    roster_ = testing::SpecRoster();

    inputs_ = testing::SpecRound0Inputs();
    inputs_.plan.listed_targets = listed_;
    for (ClassQuota& quota : inputs_.plan.quotas) quota = ClassQuota::Count(0);
    inputs_.plan_digest = *PlanDigest(inputs_.plan);
    inputs_.population = population_.Digests();
    testing::ResealSpecInputs(&inputs_);
  }

  absl::StatusOr<DrawResult> Draw(const DrawInputs& inputs) {
    FrozenPopulationSource source(&population_);
    return RunDraw(inputs, source, roster_);
  }

  absl::Status Verify(const DrawBundle& bundle) {
    return VerifyDraw(WriteBundleJson(bundle), population_, roster_);
  }

  FrozenPopulation population_;
  std::vector<ListedTarget> listed_;
  std::string outside_;  // in the spec population, not listed
  FrozenRoster roster_;
  DrawInputs inputs_;
};

TEST_F(TargetedDrawTest, DrawsTeamsForExactlyTheListedTargetsAndVerifies) {
  absl::StatusOr<DrawResult> result = Draw(inputs_);
  ASSERT_OK(result);
  const DrawBundle& bundle = result->bundle;
  std::set<std::string> drawn;
  for (const BundleTarget& t : bundle.targets) drawn.insert(t.credit_code);
  std::set<std::string> wanted;
  for (const ListedTarget& t : listed_) wanted.insert(t.credit_code);
  EXPECT_EQ(drawn, wanted);
  ASSERT_EQ(bundle.teams.size(), 3u);
  for (const BundleClass& c : bundle.classes) {
    EXPECT_EQ(c.population, 0);  // nothing drawn by lottery, and no class revealed
    EXPECT_EQ(c.selected, 0);
  }
  // The listed reasons travel in the bundle's plan, sorted by credit code.
  ASSERT_EQ(bundle.plan.listed_targets.size(), 3u);
  EXPECT_TRUE(std::is_sorted(bundle.plan.listed_targets.begin(), bundle.plan.listed_targets.end(),
                             [](const ListedTarget& a, const ListedTarget& b) {
                               return a.credit_code < b.credit_code;
                             }));
  EXPECT_NE(result->bundle_json.find("\"reason\":\"alert\""), std::string::npos);
  // Parsing and re-writing gives the same bytes; verify-draw accepts it with the files.
  absl::StatusOr<DrawBundle> parsed = ParseBundleJson(result->bundle_json);
  ASSERT_OK(parsed);
  EXPECT_EQ(WriteBundleJson(*parsed), result->bundle_json);
  EXPECT_OK(VerifyDraw(result->bundle_json, population_, roster_));
  EXPECT_OK(VerifyDraw(result->bundle_json, std::nullopt, std::nullopt));
}

TEST_F(TargetedDrawTest, TheTeamsDependOnTheSeed) {
  absl::StatusOr<DrawResult> first = Draw(inputs_);
  ASSERT_OK(first);
  DrawInputs other = inputs_;
  other.nonce_hex = std::string(64, '7');
  other.commitment.nonce_commitment = *NonceCommitment(other.nonce_hex);
  testing::ResealSpecInputs(&other);
  absl::StatusOr<DrawResult> second = Draw(other);
  ASSERT_OK(second);
  EXPECT_NE(first->bundle.seed, second->bundle.seed);
  EXPECT_NE(first->bundle_json, second->bundle_json);
  EXPECT_OK(Verify(second->bundle));
}

TEST_F(TargetedDrawTest, ATamperedTargetListIsInvalid) {
  absl::StatusOr<DrawResult> result = Draw(inputs_);
  ASSERT_OK(result);

  // A target added to the plan's list: the plan no longer hashes to the committed digest.
  DrawBundle added = result->bundle;
  added.plan.listed_targets.push_back({outside_, TargetReason::kReferral});
  added.plan = CanonicalPlanSpec(added.plan);
  EXPECT_THAT(Verify(added), StatusIs(absl::StatusCode::kDataLoss));

  // A reason changed: the same.
  DrawBundle recategorised = result->bundle;
  recategorised.plan.listed_targets[0].reason = TargetReason::kMonitoring;
  EXPECT_THAT(Verify(recategorised), StatusIs(absl::StatusCode::kDataLoss));

  // A listed target swapped for another enterprise, with its real ticket and in ticket
  // order: the targets no longer match the committed list.
  DrawBundle swapped = result->bundle;
  BundleTarget& first = swapped.targets[0];
  first.credit_code = outside_;
  first.ticket = TicketHasher(swapped.seed).Compute(outside_).ToString();
  swapped.teams[0].credit_code = outside_;
  absl::Status status = Verify(swapped);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));

  // A target dropped.
  DrawBundle dropped = result->bundle;
  dropped.targets.pop_back();
  dropped.teams.pop_back();
  EXPECT_THAT(Verify(dropped), StatusIs(absl::StatusCode::kDataLoss));

  // A team edited: re-deriving the teams from the roster catches it.
  DrawBundle restaffed = result->bundle;
  ASSERT_EQ(restaffed.teams[0].status, StaffingStatus::kStaffed);
  std::swap(restaffed.teams[0], restaffed.teams[1]);
  std::swap(restaffed.teams[0].credit_code, restaffed.teams[1].credit_code);
  EXPECT_THAT(Verify(restaffed), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(TargetedDrawTest, ThePopulationMustHoldExactlyTheListedTargets) {
  FrozenPopulation wider = population_;
  ASSERT_OK(wider.Add(outside_, 2, "330106"));
  ASSERT_OK(wider.Freeze());
  DrawInputs inputs = inputs_;
  inputs.population = wider.Digests();
  testing::ResealSpecInputs(&inputs);
  FrozenPopulationSource source(&wider);
  EXPECT_THAT(RunDraw(inputs, source, roster_), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(TargetedPlanSpec, ValidatesTheListAndKeepsRandomDigestsUnchanged) {
  PlanSpec plan = testing::SpecPlan();
  const std::string random_digest = *PlanDigest(plan);
  const std::string code = testing::TestCreditCode(1);

  PlanSpec targeted = plan;
  for (ClassQuota& quota : targeted.quotas) quota = ClassQuota::Count(0);
  targeted.listed_targets = {{code, TargetReason::kComplaint}};
  absl::StatusOr<std::string> targeted_digest = PlanDigest(targeted);
  ASSERT_OK(targeted_digest);
  EXPECT_NE(*targeted_digest, random_digest);
  targeted.listed_targets[0].reason = TargetReason::kReferral;
  EXPECT_NE(*PlanDigest(targeted), *targeted_digest);

  PlanSpec twice = targeted;
  twice.listed_targets.push_back({code, TargetReason::kAlert});
  EXPECT_THAT(ValidatePlanSpec(twice), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 ::testing::HasSubstr("plan.targets[1].credit_code")));
  PlanSpec bad_code = targeted;
  bad_code.listed_targets[0].credit_code[17] = bad_code.listed_targets[0].credit_code[17] == '0'
                                                   ? '1'
                                                   : '0';
  EXPECT_THAT(ValidatePlanSpec(bad_code), StatusIs(absl::StatusCode::kInvalidArgument,
                                                    ::testing::HasSubstr("plan.targets[0]")));
  PlanSpec with_quota = targeted;
  with_quota.quotas[2] = ClassQuota::RatioPpm(100000);
  EXPECT_THAT(ValidatePlanSpec(with_quota), StatusIs(absl::StatusCode::kInvalidArgument,
                                                      ::testing::HasSubstr("plan.quotas[C]")));
  EXPECT_THAT(ParseTargetReason("rumour"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scheduler
