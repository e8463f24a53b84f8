#include "scheduler/draw.h"

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/seed.h"
#include "scheduler/testing/draw_fixtures.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::ReadTestData;
using ::regulation::scheduler::testing::SpecPopulation;
using ::regulation::scheduler::testing::SpecRoster;
using ::regulation::scheduler::testing::SpecRound0Inputs;
using ::regulation::scheduler::testing::SpecRound1Inputs;
using ::regulation::scheduler::testing::TestCreditCode;
using ::regulation::scheduler::testing::TestPopulation;

class ShuffledSource : public PopulationSource {
 public:
  ShuffledSource(const FrozenPopulation* population, uint64_t seed)
      : population_(population), order_(population->size()) {
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::mt19937_64 rng(seed);
    std::shuffle(order_.begin(), order_.end(), rng);
  }
  absl::Status ForEach(const Visitor& visit) override {
    for (size_t i : order_) {
      absl::Status status = visit(population_->credit_code(i), population_->risk_class(i),
                                  population_->region_code(i));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

 private:
  const FrozenPopulation* population_;
  std::vector<size_t> order_;
};

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
  ASSERT_TRUE(round0.ok()) << round0.status();
  EXPECT_EQ(round0->bundle_json, ReadTestData("spec_bundle_round0.json"));
  EXPECT_EQ(round0->bundle_digest,
            "6ff4fda2b6e0776eedd2efe4bb57d68da7b4d274f7a4fc9ee985c2b523f02eb8");
  EXPECT_EQ(round0->bundle.seed,
            "970b0c96a1ed45903741be13dd4136e932b04e2159a24dcdc2f1ccf8ad776251");

  absl::StatusOr<DrawResult> round1 = Draw(SpecRound1Inputs(*round0), population, SpecRoster());
  ASSERT_TRUE(round1.ok()) << round1.status();
  EXPECT_EQ(round1->bundle_json, ReadTestData("spec_bundle_round1.json"));
  EXPECT_EQ(round1->bundle_digest,
            "44e66d87108a7ffb3b2d1bc5deedd60fa1a50b92ff51e9193231fed354113a43");
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
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->bundle_json, expected) << threads << " threads, shuffle " << shuffle;
    }
  }
}

TEST(RunDraw, ParsedBundleRewritesToTheSameBytes) {
  absl::StatusOr<DrawResult> result = Draw(SpecRound0Inputs(), SpecPopulation(), SpecRoster());
  ASSERT_TRUE(result.ok());
  absl::StatusOr<DrawBundle> parsed = ParseBundleJson(result->bundle_json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(WriteBundleJson(*parsed), result->bundle_json);
}

TEST(RunDraw, BundleNeverCarriesAnEnterprisesClass) {
  absl::StatusOr<DrawResult> result = Draw(SpecRound0Inputs(), SpecPopulation(), SpecRoster());
  ASSERT_TRUE(result.ok());
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
  nonce.nonce_commitment = *NonceCommitment(nonce.nonce_hex);
  EXPECT_NE(Draw(nonce, population, roster)->bundle.seed, base);

  DrawInputs entropy = SpecRound0Inputs();
  entropy.entropy_value = "another beacon value";
  EXPECT_NE(Draw(entropy, population, roster)->bundle.seed, base);

  FrozenPopulation smaller;
  for (size_t i = 1; i < population.size(); ++i) {
    ASSERT_TRUE(
        smaller.Add(population.credit_code(i), population.risk_class(i), population.region_code(i))
            .ok());
  }
  ASSERT_TRUE(smaller.Freeze().ok());
  DrawInputs population_changed = SpecRound0Inputs();
  population_changed.population = smaller.Digests();
  EXPECT_NE(Draw(population_changed, smaller, roster)->bundle.seed, base);

  FrozenRoster other_roster = roster;
  other_roster.inspectors[0].qualifications.push_back("新资格");
  DrawInputs roster_changed = SpecRound0Inputs();
  roster_changed.roster_digest = *RosterDigest(other_roster);
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
  EXPECT_EQ(Draw(SpecRound0Inputs(), population, changed).status().code(),
            absl::StatusCode::kFailedPrecondition);

  inputs = SpecRound0Inputs();
  inputs.plan.team_size = 2;
  EXPECT_EQ(Draw(inputs, population, roster).status().code(),
            absl::StatusCode::kFailedPrecondition);

  inputs = SpecRound0Inputs();
  inputs.population.class_sizes[1] += 1;
  absl::StatusOr<DrawResult> result = Draw(inputs, population, roster);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(result.status().message(), "class-B")) << result.status();
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
  absl::StatusOr<DrawResult> round0 = Draw(inputs, population, roster);
  ASSERT_TRUE(round0.ok()) << round0.status();
  // 1200 A -> 24, 600 B -> 30, 600 C -> 25, 600 D -> 180.
  EXPECT_EQ(round0->bundle.targets.size(), 24u + 30u + 25u + 180u);

  DrawInputs replace = inputs;
  replace.round = 1;
  replace.entropy_value = "fresh";
  ReplacementRound& r = replace.replacement.emplace();
  r.previous_bundle_digest = round0->bundle_digest;
  r.counts = {2, 0, 1, 3};
  for (const BundleTarget& t : round0->bundle.targets) r.excluded.push_back(t.credit_code);
  r.prior_workload = round0->workload;
  r.previous_entropy_values = {inputs.entropy_value};

  // Reusing the round-0 entropy is refused.
  DrawInputs reused = replace;
  reused.entropy_value = inputs.entropy_value;
  EXPECT_EQ(Draw(reused, population, roster).status().code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<DrawResult> round1 = Draw(replace, population, roster);
  ASSERT_TRUE(round1.ok()) << round1.status();
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
  EXPECT_EQ(Draw(missing, population, roster).status().code(), absl::StatusCode::kInvalidArgument);
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
  absl::StatusOr<DrawResult> result = Draw(inputs, population, roster);
  ASSERT_TRUE(result.ok()) << result.status();
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
