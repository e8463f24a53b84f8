#include "scheduler/draw.h"

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/round_commitment.h"
#include "scheduler/seed.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/testing/shuffled_source.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::ReadTestData;
using ::regulation::scheduler::testing::ResealSpecInputs;
using ::regulation::scheduler::testing::SpecPopulation;
using ::regulation::scheduler::testing::SpecRoster;
using ::regulation::scheduler::testing::SpecRound0Inputs;
using ::regulation::scheduler::testing::SpecRound1Inputs;
using ::regulation::scheduler::testing::TestCreditCode;
using ::regulation::scheduler::testing::TestPopulation;
using ::regulation::testing::StatusIs;

absl::StatusOr<DrawResult> Draw(const DrawInputs& inputs, const FrozenPopulation& population,
                                const FrozenRoster& roster, int threads = 2) {
  FrozenPopulationSource source(&population);
  DrawOptions options;
  options.threads = threads;
  return RunDraw(inputs, source, roster, options);
}

TEST(RunDraw, ReproducesTheSpecBundleByteForByte) {
  const FrozenPopulation population = SpecPopulation();
  absl::StatusOr<DrawResult> round0 = Draw(SpecRound0Inputs(), population, SpecRoster());
  ASSERT_OK(round0);
  EXPECT_EQ(round0->bundle_json, ReadTestData("spec_bundle_round0.json"));
  // The values docs/draw-spec.md §12.2 quotes.
  EXPECT_EQ(round0->bundle.commitment.digest,
            "11f5be2fae7f88d13b94b092175e4284cb96296cf14852fb3c254551775ffb3f");
  EXPECT_EQ(round0->bundle.seed,
            "43bc990d20cc67f6313e78a28b9cb10f6d119d3d67687547e84a0b11f932306c");
  EXPECT_EQ(round0->bundle_digest,
            "bcc4f0d747ebf8c4c887f56aa7e14176056a7ea1b4176c18bd8055551499ab1c");
  // The statements the Python reference reads are the fixture's, verbatim.
  std::string statements;
  AppendStatementsJson(&statements, round0->bundle.statements);
  EXPECT_EQ(statements + "\n", ReadTestData("spec_statements_round0.json"));

  absl::StatusOr<DrawResult> round1 = Draw(SpecRound1Inputs(*round0), population, SpecRoster());
  ASSERT_OK(round1);
  EXPECT_EQ(round1->bundle_json, ReadTestData("spec_bundle_round1.json"));
  EXPECT_EQ(round1->bundle.commitment.digest,
            "415328cc84a1ddde2ba36f26f58ae9221aa42a15f1f29720b324fc0faba1158e");
  EXPECT_EQ(round1->bundle.seed,
            "f6fa196bd926953595f459afc7a5f827c288a30d42878b55e8344e95082da0a4");
  EXPECT_EQ(round1->bundle_digest,
            "773b2d428eac2a6ab1fc370b8813e8996d24d236bc4e5ed2ca52bf120af5a54c");
  statements.clear();
  AppendStatementsJson(&statements, round1->bundle.statements);
  EXPECT_EQ(statements + "\n", ReadTestData("spec_statements_round1.json"));
  // Round 1 has its own nonce and its own statements.
  EXPECT_NE(round1->bundle.nonce, round0->bundle.nonce);
  EXPECT_NE(round1->bundle.commitment.nonce_commitment, round0->bundle.commitment.nonce_commitment);
}

TEST(RunDraw, SameInputsGiveTheSameBytesWhateverTheOrderAndThreads) {
  const FrozenPopulation population = SpecPopulation();
  const std::string expected = ReadTestData("spec_bundle_round0.json");
  for (int threads : {1, 2, 4}) {
    for (uint64_t shuffle : {3u, 4u, 5u}) {
      ShuffledSource source(&population, shuffle);
      DrawOptions options;
      options.threads = threads;
      absl::StatusOr<DrawResult> result =
          RunDraw(SpecRound0Inputs(), source, SpecRoster(), options);
      ASSERT_OK(result);
      EXPECT_EQ(result->bundle_json, expected) << threads << " threads, shuffle " << shuffle;
    }
  }
}

TEST(RunDraw, ParsedBundleRewritesToTheSameBytes) {
  absl::StatusOr<DrawResult> result = Draw(SpecRound0Inputs(), SpecPopulation(), SpecRoster());
  ASSERT_OK(result);
  absl::StatusOr<DrawBundle> parsed = ParseBundleJson(result->bundle_json);
  ASSERT_OK(parsed);
  EXPECT_EQ(WriteBundleJson(*parsed), result->bundle_json);
}

TEST(RunDraw, BundleNeverCarriesAnEnterprisesClass) {
  absl::StatusOr<DrawResult> result = Draw(SpecRound0Inputs(), SpecPopulation(), SpecRoster());
  ASSERT_OK(result);
  // "class" appears only in the plan's quotas and the per-class aggregates.
  size_t count = 0;
  for (size_t pos = result->bundle_json.find("\"class\""); pos != std::string::npos;
       pos = result->bundle_json.find("\"class\"", pos + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 8u);
  EXPECT_EQ(result->target_classes.size(), result->bundle.targets.size());
}

TEST(RunDraw, ChangingAnyCommittedInputChangesTheSeed) {
  const FrozenPopulation population = SpecPopulation();
  const FrozenRoster roster = SpecRoster();
  const std::string base = Draw(SpecRound0Inputs(), population, roster)->bundle.seed;

  DrawInputs nonce = SpecRound0Inputs();
  nonce.nonce_hex = std::string(64, '7');
  nonce.commitment.nonce_commitment = *NonceCommitment(nonce.nonce_hex);
  ResealSpecInputs(&nonce);
  EXPECT_NE(Draw(nonce, population, roster)->bundle.seed, base);

  // Another witness value (signed by the witness: the only way a value gets in).
  DrawInputs entropy = SpecRound0Inputs();
  entropy.statements[0] = testing::SignStatement(
      testing::SpecWitnessKey(), "notary-xihu", entropy, std::string(64, 'e'),
      testing::SpecTime("2026-03-01T02:11:00.000000Z"), {{"zj-lottery", "07 12 19 23 31 + 05"}});
  EXPECT_NE(Draw(entropy, population, roster)->bundle.seed, base);

  // Another committed time: another commitment digest, and so another seed.
  DrawInputs later = SpecRound0Inputs();
  later.commitment.committed_at = "2026-03-01T02:00:01.000000Z";
  ResealSpecInputs(&later);
  EXPECT_NE(Draw(later, population, roster)->bundle.seed, base);

  FrozenPopulation smaller;
  for (size_t i = 1; i < population.size(); ++i) {
    ASSERT_OK(smaller.Add(population.credit_code(i), population.risk_class(i),
                          population.region_code(i)));
  }
  ASSERT_OK(smaller.Freeze());
  DrawInputs population_changed = SpecRound0Inputs();
  population_changed.population = smaller.Digests();
  ResealSpecInputs(&population_changed);
  EXPECT_NE(Draw(population_changed, smaller, roster)->bundle.seed, base);

  FrozenRoster other_roster = roster;
  other_roster.inspectors[0].qualifications.push_back("新资格");
  DrawInputs roster_changed = SpecRound0Inputs();
  roster_changed.roster_digest = *RosterDigest(other_roster);
  ResealSpecInputs(&roster_changed);
  EXPECT_NE(Draw(roster_changed, population, other_roster)->bundle.seed, base);
}

TEST(RunDraw, RefusesInputsThatDoNotMatchTheCommitment) {
  const FrozenPopulation population = SpecPopulation();
  const FrozenRoster roster = SpecRoster();
  DrawInputs inputs = SpecRound0Inputs();
  inputs.nonce_hex[0] = 'f';
  EXPECT_EQ(Draw(inputs, population, roster).status().message(),
            "the nonce does not match its commitment");

  FrozenRoster changed = roster;
  changed.inspectors.pop_back();
  EXPECT_THAT(Draw(SpecRound0Inputs(), population, changed),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  inputs = SpecRound0Inputs();
  inputs.plan.team_size = 2;
  EXPECT_THAT(Draw(inputs, population, roster), StatusIs(absl::StatusCode::kFailedPrecondition));

  inputs = SpecRound0Inputs();
  inputs.population.class_sizes[1] += 1;
  absl::StatusOr<DrawResult> result = Draw(inputs, population, roster);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(result.status().message(), "class-B")) << result.status();

  // A commitment that is not the one published (its digest was sealed before the change).
  inputs = SpecRound0Inputs();
  inputs.commitment.min_entropy_delay_seconds = 60;
  result = Draw(inputs, population, roster);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(result.status().message(), "commitment hashes to"))
      << result.status();

  // A statement missing: no draw.
  inputs = SpecRound0Inputs();
  inputs.statements.pop_back();
  result = Draw(inputs, population, roster);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(result.status().message(), "zj-lottery: no statement"))
      << result.status();
}

TEST(RunDraw, ReplacementRoundUsesFreshEntropyAndNeverReselects) {
  const FrozenPopulation population = TestPopulation(3000, {"330102", "330106", "330203"});
  FrozenRoster roster;
  for (int i = 0; i < 30; ++i) {
    roster.inspectors.push_back({absl::StrCat("I", i),
                                 "market",
                                 i % 3 == 0 ? "330100" : (i % 3 == 1 ? "330106" : "330200"),
                                 "2027-12-31",
                                 {},
                                 InspectorStatus::kActive});
  }
  DrawInputs inputs = SpecRound0Inputs();
  inputs.plan.departments = {"market"};
  inputs.plan.items.clear();
  inputs.plan.team_size = 2;
  inputs.plan.workload_cap = 12;
  inputs.plan.quotas = {ClassQuota::RatioPpm(20000), ClassQuota::RatioPpm(50000),
                        ClassQuota::Count(25), ClassQuota::RatioPpm(300000)};
  inputs.plan_digest = *PlanDigest(inputs.plan);
  inputs.population = population.Digests();
  inputs.roster_digest = *RosterDigest(roster);
  ResealSpecInputs(&inputs);
  absl::StatusOr<DrawResult> round0 = Draw(inputs, population, roster);
  ASSERT_OK(round0);
  // 1200 A -> 24, 600 B -> 30, 600 C -> 25, 600 D -> 180.
  EXPECT_EQ(round0->bundle.targets.size(), 24u + 30u + 25u + 180u);

  DrawInputs replace = inputs;
  replace.round = 1;
  replace.nonce_hex = std::string(64, '1');
  replace.commitment.kind = RoundKind::kReplace;
  replace.commitment.nonce_commitment = *NonceCommitment(replace.nonce_hex);
  replace.commitment.sources = {testing::SpecWitnessSource()};
  ReplacementRound& r = replace.replacement.emplace();
  r.previous_bundle_digest = round0->bundle_digest;
  r.counts = {2, 0, 1, 3};
  std::array<int, 4> wanted = {2, 0, 1, 3};
  for (size_t i = 0; i < round0->bundle.targets.size(); ++i) {
    int& left = wanted[round0->target_classes[i] - 1];
    if (left > 0) {
      --left;
      r.named.push_back(round0->bundle.targets[i].credit_code);
    }
  }
  for (const BundleTarget& t : round0->bundle.targets) r.excluded.push_back(t.credit_code);
  r.prior_workload = round0->workload;
  replace.statements = {inputs.statements[0]};
  ResealSpecInputs(&replace);

  // Round 0's statement, replayed into round 1: it is bound to round 0 and its commitment.
  DrawInputs replayed = replace;
  replayed.statements = {inputs.statements[0]};
  absl::Status refused = Draw(replayed, population, roster).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(refused.message(), "notary-xihu")) << refused;

  absl::StatusOr<DrawResult> round1 = Draw(replace, population, roster);
  ASSERT_OK(round1);
  EXPECT_NE(round1->bundle.seed, round0->bundle.seed);
  ASSERT_EQ(round1->bundle.targets.size(), 6u);
  std::set<std::string> earlier(r.excluded.begin(), r.excluded.end());
  int per_class[4] = {};
  for (size_t i = 0; i < round1->bundle.targets.size(); ++i) {
    EXPECT_EQ(earlier.count(round1->bundle.targets[i].credit_code), 0u);
    ++per_class[round1->target_classes[i] - 1];
  }
  EXPECT_EQ(per_class[0], 2);
  EXPECT_EQ(per_class[2], 1);
  EXPECT_EQ(per_class[3], 3);
  EXPECT_EQ(round1->bundle.classes[0].population, 1200 - 24);
  // Workload continues across rounds: nobody above the cap in total.
  for (const auto& [id, count] : round1->workload) EXPECT_LE(count, 12) << id;
  int64_t total = 0;
  for (const auto& [id, count] : round1->workload) total += count;
  int64_t staffed = 0;
  for (const DrawResult* result : {&*round0, &*round1}) {
    for (const TeamResult& team : result->bundle.teams) {
      staffed += team.status == StaffingStatus::kStaffed ? 2 : 0;
    }
  }
  EXPECT_EQ(total, staffed);

  DrawInputs missing = replace;
  missing.replacement.reset();
  EXPECT_THAT(Draw(missing, population, roster), StatusIs(absl::StatusCode::kInvalidArgument));
}

// Round 0 of the spec leaves the Wenzhou targets unstaffed (no active fire inspector
// there). Once the roster has fire inspectors in Wenzhou, a re-staffing round staffs
// exactly those targets from the new roster, with a fresh nonce and statements, and
// selects nobody new.
TEST(RunDraw, ARestaffingRoundStaffsTheNamedUnstaffedTargetsFromTheNewRoster) {
  const FrozenPopulation population = SpecPopulation();
  absl::StatusOr<DrawResult> round0 = Draw(SpecRound0Inputs(), population, SpecRoster());
  ASSERT_OK(round0);
  std::vector<TeamTarget> wenzhou;
  for (const TeamResult& team : round0->bundle.teams) {
    if (team.status == StaffingStatus::kUnstaffed && absl::StartsWith(team.credit_code, "913303")) {
      wenzhou.push_back({team.credit_code, "330302"});
    }
  }
  ASSERT_EQ(wenzhou.size(), 4u);

  FrozenRoster roster = SpecRoster();
  for (InspectorRecord& i : roster.inspectors) {
    if (i.inspector_id == "WZ-F-01") i.status = InspectorStatus::kActive;
  }
  roster.inspectors.push_back(
      {"WZ-F-02", "消防救援", "330300", "2027-12-31", {"消防监督"}, InspectorStatus::kActive});
  roster.inspectors.push_back(
      {"WZ-M-02", "市场监管局", "330300", "2027-12-31", {"食品安全"}, InspectorStatus::kActive});
  roster.inspectors.push_back(
      {"WZ-M-03", "市场监管局", "330300", "2027-12-31", {"食品安全"}, InspectorStatus::kActive});

  DrawInputs inputs = SpecRound0Inputs();
  inputs.round = 1;
  inputs.roster_digest = *RosterDigest(roster);
  inputs.nonce_hex = std::string(64, '9');
  inputs.commitment.kind = RoundKind::kRestaff;
  inputs.commitment.nonce_commitment = *NonceCommitment(inputs.nonce_hex);
  inputs.commitment.committed_at = "2026-03-20T01:00:00.000000Z";
  inputs.commitment.sources = {testing::SpecWitnessSource()};
  ReplacementRound& r = inputs.replacement.emplace();
  r.previous_bundle_digest = round0->bundle_digest;
  for (const TeamTarget& t : wenzhou) r.named.push_back(t.credit_code);
  r.restaffed = wenzhou;
  for (const BundleTarget& t : round0->bundle.targets) r.excluded.push_back(t.credit_code);
  r.prior_workload = round0->workload;
  testing::SealCommitment(&inputs);
  inputs.statements = {testing::SignStatement(testing::SpecWitnessKey(), "notary-xihu", inputs,
                                              std::string(64, 'c'),
                                              testing::SpecTime("2026-03-20T01:30:00.000000Z"))};
  absl::StatusOr<DrawResult> round1 = Draw(inputs, population, roster);
  ASSERT_OK(round1);
  EXPECT_EQ(round1->bundle.commitment.kind, RoundKind::kRestaff);
  EXPECT_EQ(round1->bundle.digests.roster, *RosterDigest(roster));
  std::set<std::string> staffed;
  for (const TeamResult& team : round1->bundle.teams) {
    ASSERT_EQ(team.status, StaffingStatus::kStaffed) << team.credit_code << ": " << team.reason;
    bool fire = false;
    for (const std::string& id : team.inspector_ids) fire = fire || absl::StartsWith(id, "WZ-F");
    EXPECT_TRUE(fire) << team.credit_code;
    staffed.insert(team.credit_code);
  }
  EXPECT_EQ(staffed, std::set<std::string>(r.named.begin(), r.named.end()));
  for (const BundleClass& c : round1->bundle.classes) EXPECT_EQ(c.selected, 0);

  // Naming a target the population does not hold with that region is refused.
  DrawInputs moved = inputs;
  moved.replacement->restaffed[0].region_code = "330106";
  EXPECT_THAT(Draw(moved, population, roster), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(RunDraw, JointPlanVisitsEachTargetOnceWithEveryDepartment) {
  const FrozenPopulation population = TestPopulation(2000, {"330102", "330106"});
  FrozenRoster roster;
  for (int i = 0; i < 20; ++i) {
    roster.inspectors.push_back({absl::StrCat("M", i),
                                 "market",
                                 "330100",
                                 "2027-12-31",
                                 {"food"},
                                 InspectorStatus::kActive});
  }
  for (int i = 0; i < 8; ++i) {
    roster.inspectors.push_back(
        {absl::StrCat("F", i), "fire", "330000", "2027-12-31", {"fire"}, InspectorStatus::kActive});
  }
  DrawInputs inputs = SpecRound0Inputs();
  inputs.plan.departments = {"market", "fire"};
  inputs.plan.items = {{"M-1", "market", "food"}, {"F-1", "fire", "fire"}};
  inputs.plan.team_size = 3;
  inputs.plan.workload_cap = 40;
  inputs.plan.quotas = {ClassQuota::RatioPpm(50000), ClassQuota::RatioPpm(50000),
                        ClassQuota::RatioPpm(50000), ClassQuota::RatioPpm(50000)};
  inputs.plan_digest = *PlanDigest(inputs.plan);
  inputs.population = population.Digests();
  inputs.roster_digest = *RosterDigest(roster);
  ResealSpecInputs(&inputs);
  absl::StatusOr<DrawResult> result = Draw(inputs, population, roster);
  ASSERT_OK(result);
  std::set<std::string> visited;
  int staffed = 0;
  for (const TeamResult& team : result->bundle.teams) {
    EXPECT_TRUE(visited.insert(team.credit_code).second) << "one team per target";
    if (team.status != StaffingStatus::kStaffed) continue;
    ++staffed;
    bool market = false;
    bool fire = false;
    for (const std::string& id : team.inspector_ids) {
      market = market || id[0] == 'M';
      fire = fire || id[0] == 'F';
    }
    EXPECT_TRUE(market && fire);
  }
  EXPECT_EQ(visited.size(), result->bundle.targets.size());
  EXPECT_GT(staffed, 0);
}

}  // namespace
}  // namespace regulation::scheduler
