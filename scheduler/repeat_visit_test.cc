// No repeated visits and granted recusals (docs/draw-spec.md §7, §8.1, §11.4): what
// earlier rounds of other plans drew is excluded as a frozen input, the quota applies to
// those not excluded, and verify-draw re-checks the excluded set from the earlier
// bundles (window, department scope, completeness); a recused inspector is never on the
// enterprise's team, and a bundle that says otherwise is invalid. A JOIN rule draws as
// without the rule and marks each target an earlier round drew as a joint visit with that
// round; a missing, forged or altered mark is invalid.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "scheduler/draw.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/quota.h"
#include "scheduler/roster.h"
#include "scheduler/team_assignment.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/verify_draw.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

class RepeatVisitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    population_ = testing::SpecPopulation();
    roster_ = testing::SpecRoster();
  }

  // Round 0 of a plan like the spec's, with its own id, departments and commit time.
  DrawResult Earlier(const std::string& plan_id, const std::string& committed_at,
                     bool fire_only = false) {
    DrawInputs inputs = testing::SpecRound0Inputs();
    inputs.plan.plan_id = plan_id;
    if (fire_only) {
      inputs.plan.departments = {"消防救援"};
      inputs.plan.items = {{"XF-001", "消防救援", "消防监督"}};
    }
    inputs.plan_digest = *PlanDigest(inputs.plan);
    inputs.commitment.committed_at = committed_at;
    testing::ResealSpecInputs(&inputs);
    FrozenPopulationSource source(&population_);
    absl::StatusOr<DrawResult> result = RunDraw(inputs, source, roster_);
    EXPECT_OK(result);
    return *std::move(result);
  }

  // The spec plan's round 0 (committed 2026-03-01T02:00) with `rule`.
  absl::StatusOr<DrawResult> Later(std::optional<NoRepeatRule> rule,
                                   std::vector<GrantedRecusal> recusals = {}) {
    DrawInputs inputs = testing::SpecRound0Inputs();
    inputs.plan.no_repeat = std::move(rule);
    inputs.plan.recusals = std::move(recusals);
    inputs.plan_digest = *PlanDigest(inputs.plan);
    testing::ResealSpecInputs(&inputs);
    FrozenPopulationSource source(&population_);
    return RunDraw(inputs, source, roster_);
  }

  // A rule over `considered`, excluding exactly what they drew (as the service builds it).
  static NoRepeatRule RuleOver(const std::vector<const DrawResult*>& considered, int window_days,
                               RepeatScope scope) {
    NoRepeatRule rule;
    rule.window_days = window_days;
    rule.scope = scope;
    std::vector<const DrawResult*> sorted = considered;
    std::sort(sorted.begin(), sorted.end(), [](const DrawResult* a, const DrawResult* b) {
      return a->bundle_digest < b->bundle_digest;
    });
    std::set<std::string> seen;
    for (const DrawResult* r : sorted) {
      rule.considered.push_back({r->bundle_digest, r->bundle.plan.plan_id, r->bundle.round,
                                 r->bundle.commitment.committed_at});
      for (const BundleTarget& t : r->bundle.targets) {
        if (seen.insert(t.credit_code).second) {
          rule.excluded.push_back({t.credit_code, r->bundle_digest});
        }
      }
    }
    CanonicalizeNoRepeatRule(&rule);
    return rule;
  }

  static NoRepeatRule JoinOver(const std::vector<const DrawResult*>& considered) {
    NoRepeatRule rule = RuleOver(considered, 30, RepeatScope::kDepartment);
    rule.mode = RepeatMode::kJoin;
    return rule;
  }

  absl::Status Verify(const DrawResult& later, const std::vector<const DrawResult*>& earlier) {
    VerifyContext context;
    context.earlier_bundles.emplace();
    for (const DrawResult* r : earlier) context.earlier_bundles->push_back(r->bundle_json);
    return VerifyDraw(later.bundle_json, population_, roster_, nullptr, context);
  }

  FrozenPopulation population_;
  FrozenRoster roster_;
};

TEST_F(RepeatVisitTest, ExcludesWhatAnEarlierPlanDrewAndVerifies) {
  const DrawResult earlier = Earlier("PLAN-2026-HZ-001", "2026-02-20T02:00:00.000000Z");
  ASSERT_FALSE(earlier.bundle.targets.empty());
  absl::StatusOr<DrawResult> later =
      Later(RuleOver({&earlier}, 30, RepeatScope::kDepartment));
  ASSERT_OK(later);
  std::set<std::string> before;
  for (const BundleTarget& t : earlier.bundle.targets) before.insert(t.credit_code);
  for (const BundleTarget& t : later->bundle.targets) {
    EXPECT_EQ(before.count(t.credit_code), 0u) << t.credit_code << " visited twice";
  }
  // The quota applies to those not excluded: each class's population shrinks by the
  // excluded of that class, and the selected count is the quota of what is left.
  const PopulationDigests digests = population_.Digests();
  int64_t excluded_total = 0;
  for (int c = 0; c < kRiskClassCount; ++c) {
    const BundleClass& cls = later->bundle.classes[c];
    excluded_total += digests.class_sizes[c] - cls.population;
    EXPECT_EQ(cls.selected, QuotaCount(later->bundle.plan.quotas[c], cls.population));
  }
  EXPECT_EQ(excluded_total, static_cast<int64_t>(before.size()));
  // Published in the bundle's plan, re-written byte for byte, and re-checked.
  EXPECT_NE(later->bundle_json.find("\"no_repeat\":{\"window_days\":30,\"scope\":\"department\""),
            std::string::npos);
  absl::StatusOr<DrawBundle> parsed = ParseBundleJson(later->bundle_json);
  ASSERT_OK(parsed);
  EXPECT_EQ(WriteBundleJson(*parsed), later->bundle_json);
  VerifySummary summary;
  VerifyContext context;
  context.earlier_bundles = std::vector<std::string>{earlier.bundle_json};
  EXPECT_OK(VerifyDraw(later->bundle_json, population_, roster_, &summary, context));
  EXPECT_TRUE(summary.repeat_checked);
  EXPECT_EQ(summary.repeat_excluded, static_cast<int64_t>(before.size()));
  EXPECT_OK(VerifyDraw(later->bundle_json, std::nullopt, std::nullopt));
}

TEST_F(RepeatVisitTest, AnExcludedSetThatIsNotWhatTheEarlierRoundsDrewIsInvalid) {
  const DrawResult earlier = Earlier("PLAN-2026-HZ-001", "2026-02-20T02:00:00.000000Z");
  // A server that left one earlier target out of the set (committed consistently: the
  // bundle alone verifies) is caught from the earlier bundle.
  NoRepeatRule short_rule = RuleOver({&earlier}, 30, RepeatScope::kDepartment);
  const std::string spared = short_rule.excluded.front().credit_code;
  short_rule.excluded.erase(short_rule.excluded.begin());
  absl::StatusOr<DrawResult> later = Later(short_rule);
  ASSERT_OK(later);
  EXPECT_OK(VerifyDraw(later->bundle_json, population_, roster_));
  EXPECT_THAT(Verify(*later, {&earlier}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(spared + " was drawn by bundle")));

  // One excluded that no considered round drew (to keep it out of this draw).
  NoRepeatRule padded = RuleOver({&earlier}, 30, RepeatScope::kDepartment);
  std::string extra;
  for (size_t i = 0; i < population_.size() && extra.empty(); ++i) {
    const std::string code(population_.credit_code(i));
    if (std::none_of(padded.excluded.begin(), padded.excluded.end(),
                     [&](const RepeatExclusion& e) { return e.credit_code == code; })) {
      extra = code;
    }
  }
  padded.excluded.push_back({extra, padded.considered[0].bundle_digest});
  CanonicalizeNoRepeatRule(&padded);
  absl::StatusOr<DrawResult> padded_draw = Later(padded);
  ASSERT_OK(padded_draw);
  EXPECT_THAT(Verify(*padded_draw, {&earlier}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("no considered round drew it")));

  // A published bundle edited afterwards (an excluded code dropped): its plan no longer
  // hashes to the committed digest.
  absl::StatusOr<DrawResult> honest = Later(RuleOver({&earlier}, 30, RepeatScope::kDepartment));
  ASSERT_OK(honest);
  DrawBundle edited = honest->bundle;
  edited.plan.no_repeat->excluded.pop_back();
  EXPECT_THAT(VerifyDraw(WriteBundleJson(edited), std::nullopt, std::nullopt),
              StatusIs(absl::StatusCode::kDataLoss));
  // A considered bundle not given: the check cannot be made.
  EXPECT_THAT(Verify(*honest, {}), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(RepeatVisitTest, TheWindowDecidesWhichEarlierRoundsCount) {
  const DrawResult recent = Earlier("PLAN-2026-HZ-001", "2026-02-20T02:00:00.000000Z");
  const DrawResult old = Earlier("PLAN-2026-HZ-000", "2026-01-10T02:00:00.000000Z");  // 50 days
  absl::StatusOr<DrawResult> later = Later(RuleOver({&recent}, 30, RepeatScope::kDepartment));
  ASSERT_OK(later);
  // The old round lies outside the 30 days: rightly not considered.
  EXPECT_OK(Verify(*later, {&recent, &old}));
  // Considering it is wrong...
  absl::StatusOr<DrawResult> too_far =
      Later(RuleOver({&recent, &old}, 30, RepeatScope::kDepartment));
  ASSERT_OK(too_far);
  EXPECT_THAT(Verify(*too_far, {&recent, &old}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("is not within the 30 days")));
  // ...unless the window is long enough, and then leaving it out is wrong.
  absl::StatusOr<DrawResult> long_window =
      Later(RuleOver({&recent, &old}, 60, RepeatScope::kDepartment));
  ASSERT_OK(long_window);
  EXPECT_OK(Verify(*long_window, {&recent, &old}));
  absl::StatusOr<DrawResult> forgot = Later(RuleOver({&recent}, 60, RepeatScope::kDepartment));
  ASSERT_OK(forgot);
  EXPECT_THAT(Verify(*forgot, {&recent, &old}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("was not considered")));
}

TEST_F(RepeatVisitTest, TheScopeDecidesWhetherOtherDepartmentsCount) {
  // The earlier plan is the fire department's alone; the later plan is joint (market
  // regulation and fire), so they share a department...
  const DrawResult fire = Earlier("PLAN-2026-FIRE-1", "2026-02-20T02:00:00.000000Z", true);
  absl::StatusOr<DrawResult> shared = Later(RuleOver({&fire}, 30, RepeatScope::kDepartment));
  ASSERT_OK(shared);
  EXPECT_OK(Verify(*shared, {&fire}));
  // ...a plan of another department only does not, under scope "department".
  DrawInputs inputs = testing::SpecRound0Inputs();
  inputs.plan.departments = {"市场监管局"};
  inputs.plan.items = {{"SC-002", "市场监管局", ""}};
  inputs.plan.team_size = 2;
  inputs.plan.no_repeat = RuleOver({&fire}, 30, RepeatScope::kDepartment);
  inputs.plan_digest = *PlanDigest(inputs.plan);
  testing::ResealSpecInputs(&inputs);
  FrozenPopulationSource source(&population_);
  absl::StatusOr<DrawResult> market = RunDraw(inputs, source, roster_);
  ASSERT_OK(market);
  EXPECT_THAT(Verify(*market, {&fire}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("shares no department")));
  // Across departments ("all") it counts, and must be considered.
  inputs.plan.no_repeat = RuleOver({&fire}, 30, RepeatScope::kAllDepartments);
  inputs.plan_digest = *PlanDigest(inputs.plan);
  testing::ResealSpecInputs(&inputs);
  FrozenPopulationSource again(&population_);
  absl::StatusOr<DrawResult> across = RunDraw(inputs, again, roster_);
  ASSERT_OK(across);
  EXPECT_OK(Verify(*across, {&fire}));
  NoRepeatRule none;
  none.window_days = 30;
  none.scope = RepeatScope::kAllDepartments;
  inputs.plan.no_repeat = none;
  inputs.plan_digest = *PlanDigest(inputs.plan);
  testing::ResealSpecInputs(&inputs);
  FrozenPopulationSource third(&population_);
  absl::StatusOr<DrawResult> ignored = RunDraw(inputs, third, roster_);
  ASSERT_OK(ignored);
  EXPECT_THAT(Verify(*ignored, {&fire}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("was not considered")));
}

TEST_F(RepeatVisitTest, ARecusedInspectorIsNeverOnTheTeamAndATeamWithOneIsInvalid) {
  // Without recusals, the teams under a fixed seed; then recuse the first member of the
  // first team: the walk passes over them for that target (rule 6, "in conflict").
  DrawInputs inputs = testing::SpecRound0Inputs();
  FrozenPopulationSource source(&population_);
  absl::StatusOr<DrawResult> first = RunDraw(inputs, source, roster_);
  ASSERT_OK(first);
  const PlanSpec plan = testing::SpecPlan();
  const std::string& seed = first->bundle.seed;
  std::vector<TeamTarget> targets;
  for (const BundleTarget& t : first->bundle.targets) targets.push_back({t.credit_code, t.region_code});
  WorkloadCounts workload;
  absl::StatusOr<std::vector<TeamResult>> plain =
      AssignTeams(seed, targets, roster_, plan, &workload);
  ASSERT_OK(plain);
  const TeamResult* staffed = nullptr;
  for (const TeamResult& t : *plain) {
    if (t.status == StaffingStatus::kStaffed) {
      staffed = &t;
      break;
    }
  }
  ASSERT_NE(staffed, nullptr);
  const std::string recused = staffed->inspector_ids.front();
  PlanSpec with = plan;
  with.recusals = {{"RC-1", staffed->credit_code, recused}};
  WorkloadCounts again;
  absl::StatusOr<std::vector<TeamResult>> teams =
      AssignTeams(seed, targets, roster_, with, &again);
  ASSERT_OK(teams);
  bool seen = false;
  for (const TeamResult& t : *teams) {
    if (t.credit_code != staffed->credit_code) continue;
    seen = true;
    EXPECT_EQ(std::count(t.inspector_ids.begin(), t.inspector_ids.end(), recused), 0);
    if (t.status == StaffingStatus::kUnstaffed) {
      EXPECT_THAT(t.reason, HasSubstr("in conflict"));
    }
  }
  EXPECT_TRUE(seen);

  // In a draw: the recusal is in the plan (digest and bundle), the teams honour it, and a
  // bundle that puts the recused inspector back is invalid even without the roster.
  const TeamResult& team0 = first->bundle.teams.front();
  ASSERT_EQ(team0.status, StaffingStatus::kStaffed);
  absl::StatusOr<DrawResult> drawn =
      Later(std::nullopt, {{"RC-7", team0.credit_code, team0.inspector_ids.front()}});
  ASSERT_OK(drawn);
  EXPECT_NE(drawn->bundle_json.find("\"recusals\":[{\"request_id\":\"RC-7\""), std::string::npos);
  EXPECT_OK(VerifyDraw(drawn->bundle_json, population_, roster_));
  DrawBundle tampered = drawn->bundle;
  for (size_t i = 0; i < tampered.teams.size(); ++i) {
    TeamResult& t = tampered.teams[i];
    if (t.credit_code != team0.credit_code) continue;
    ASSERT_EQ(std::count(t.inspector_ids.begin(), t.inspector_ids.end(),
                         team0.inspector_ids.front()),
              0);
    if (t.status == StaffingStatus::kStaffed) {
      t.inspector_ids.back() = team0.inspector_ids.front();
      EXPECT_THAT(VerifyDraw(WriteBundleJson(tampered), std::nullopt, std::nullopt),
                  StatusIs(absl::StatusCode::kDataLoss, HasSubstr("was recused")));
    }
  }
}

TEST_F(RepeatVisitTest, PlansWithoutTheRulesDigestAsBefore) {
  PlanSpec plan = testing::SpecPlan();
  const std::string before = *PlanDigest(plan);
  plan.recusals = {};
  plan.no_repeat.reset();
  EXPECT_EQ(*PlanDigest(plan), before);
  plan.recusals = {{"RC-1", std::string(population_.credit_code(0)), "insp-01"}};
  EXPECT_NE(*PlanDigest(plan), before);
  plan.recusals.push_back(plan.recusals.front());
  EXPECT_THAT(PlanDigest(plan), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RepeatVisitTest, JoinDrawsAsWithoutTheRuleAndMarksEachJointTarget) {
  const DrawResult earlier = Earlier("PLAN-2026-HZ-001", "2026-02-20T02:00:00.000000Z");
  std::set<std::string> before;
  for (const BundleTarget& t : earlier.bundle.targets) before.insert(t.credit_code);
  absl::StatusOr<DrawResult> later = Later(JoinOver({&earlier}));
  ASSERT_OK(later);
  // Nothing is excluded: every class draws its quota of the whole class.
  const PopulationDigests digests = population_.Digests();
  for (int c = 0; c < kRiskClassCount; ++c) {
    EXPECT_EQ(later->bundle.classes[c].population, digests.class_sizes[c]);
    EXPECT_EQ(later->bundle.classes[c].selected,
              QuotaCount(later->bundle.plan.quotas[c], digests.class_sizes[c]));
  }
  // Each target the earlier round drew is marked with that round; no other target is.
  int joint = 0;
  ASSERT_EQ(later->bundle.teams.size(), later->bundle.targets.size());
  for (const TeamResult& team : later->bundle.teams) {
    if (before.count(team.credit_code) == 0) {
      EXPECT_FALSE(team.joint_visit.has_value()) << team.credit_code;
      continue;
    }
    ++joint;
    ASSERT_TRUE(team.joint_visit.has_value()) << team.credit_code;
    EXPECT_EQ(team.joint_visit->plan_id, "PLAN-2026-HZ-001");
    EXPECT_EQ(team.joint_visit->round, 0);
    EXPECT_EQ(team.joint_visit->bundle_digest, earlier.bundle_digest);
  }
  EXPECT_GT(joint, 0);  // the spec plan draws class D whole: both plans drew its members
  // Published: the rule's mode and joined set, and the mark on the team.
  EXPECT_NE(later->bundle_json.find("\"scope\":\"department\",\"mode\":\"join\",\"considered\""),
            std::string::npos);
  EXPECT_NE(later->bundle_json.find("\"joined\":[{\"credit_code\""), std::string::npos);
  EXPECT_NE(later->bundle_json.find("\"joint_visit\":{\"plan_id\":\"PLAN-2026-HZ-001\",\"round\":0,"
                                    "\"bundle_digest\":\"" + earlier.bundle_digest + "\"}"),
            std::string::npos);
  absl::StatusOr<DrawBundle> parsed = ParseBundleJson(later->bundle_json);
  ASSERT_OK(parsed);
  EXPECT_EQ(WriteBundleJson(*parsed), later->bundle_json);
  // Re-checked alone, with the files, and against the earlier bundle (the joined set is
  // exactly what it drew).
  VerifySummary summary;
  EXPECT_OK(VerifyDraw(later->bundle_json, std::nullopt, std::nullopt, &summary));
  EXPECT_TRUE(summary.repeat_joins);
  EXPECT_EQ(summary.joint_visits, joint);
  EXPECT_OK(Verify(*later, {&earlier}));
  // A joined set that is not what the earlier round drew fails the re-check as for EXCLUDE.
  DrawBundle edited = later->bundle;
  edited.plan.no_repeat->excluded.pop_back();
  edited.digests.plan = *PlanDigest(edited.plan);
  EXPECT_THAT(VerifyDraw(WriteBundleJson(edited), std::nullopt, std::nullopt),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(RepeatVisitTest, AMissingForgedOrAlteredJointMarkIsInvalid) {
  const DrawResult earlier = Earlier("PLAN-2026-HZ-001", "2026-02-20T02:00:00.000000Z");
  absl::StatusOr<DrawResult> later = Later(JoinOver({&earlier}));
  ASSERT_OK(later);
  size_t joint = later->bundle.teams.size(), plain = later->bundle.teams.size();
  for (size_t i = 0; i < later->bundle.teams.size(); ++i) {
    (later->bundle.teams[i].joint_visit.has_value() ? joint : plain) = i;
  }
  ASSERT_LT(joint, later->bundle.teams.size());
  ASSERT_LT(plain, later->bundle.teams.size());
  auto expect_invalid = [&](const DrawBundle& tampered) {
    EXPECT_THAT(VerifyDraw(WriteBundleJson(tampered), std::nullopt, std::nullopt),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("joint visit")));
    EXPECT_THAT(VerifyDraw(WriteBundleJson(tampered), population_, roster_),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("joint visit")));
  };
  DrawBundle missing = later->bundle;
  missing.teams[joint].joint_visit.reset();
  expect_invalid(missing);
  DrawBundle forged = later->bundle;
  forged.teams[plain].joint_visit = later->bundle.teams[joint].joint_visit;
  expect_invalid(forged);
  DrawBundle other_round = later->bundle;
  other_round.teams[joint].joint_visit->round = 1;
  expect_invalid(other_round);
  DrawBundle other_plan = later->bundle;
  other_plan.teams[joint].joint_visit->plan_id = "PLAN-2026-HZ-009";
  expect_invalid(other_plan);
  // An EXCLUDE plan's team never carries a mark.
  absl::StatusOr<DrawResult> excluding = Later(RuleOver({&earlier}, 30, RepeatScope::kDepartment));
  ASSERT_OK(excluding);
  DrawBundle marked = excluding->bundle;
  marked.teams[0].joint_visit = JointVisit{"PLAN-2026-HZ-001", 0, earlier.bundle_digest};
  expect_invalid(marked);
}

TEST_F(RepeatVisitTest, TheModeIsCommittedOnlyWhenItJoins) {
  const DrawResult earlier = Earlier("PLAN-2026-HZ-001", "2026-02-20T02:00:00.000000Z");
  PlanSpec plan = testing::SpecPlan();
  plan.no_repeat = RuleOver({&earlier}, 30, RepeatScope::kDepartment);
  const std::string excluding = *PlanDigest(plan);
  plan.no_repeat->mode = RepeatMode::kJoin;
  EXPECT_NE(*PlanDigest(plan), excluding);  // the mode is bound before any randomness
  EXPECT_STREQ(RepeatModeName(RepeatMode::kExclude), "exclude");
  EXPECT_EQ(*ParseRepeatMode("join"), RepeatMode::kJoin);
  EXPECT_THAT(ParseRepeatMode("merge"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scheduler
