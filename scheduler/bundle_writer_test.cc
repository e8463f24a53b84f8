// The draw's parallel paths (docs/draw-spec.md §13) give the sequential bytes: the bundle
// written and hashed in pieces on several threads, the roster digest checked beside the
// selection, and the conflict and rotation index built in parts.

#include "scheduler/bundle_writer.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/draw.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/testing/draw_fixtures.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::ResealSpecInputs;
using ::regulation::scheduler::testing::SpecRound0Inputs;
using ::regulation::scheduler::testing::TestPopulation;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

const std::vector<std::string> kRegions = {"330102", "330106", "330203", "330301"};

// 60 inspectors over two cities and their counties; conflicts with one enterprise in 20,
// two last-inspection records for each of half the enterprises (more than one thread's
// share of the index scan), and a workload cap low enough that some targets go unstaffed.
FrozenRoster MakeRoster(const FrozenPopulation& population) {
  FrozenRoster roster;
  for (int i = 0; i < 60; ++i) {
    const char* region = i % 4 == 0 ? "330100" : (i % 4 == 1 ? "330200" : kRegions[i % 3].c_str());
    roster.inspectors.push_back(
        {absl::StrCat("I", i), "market", region, "2027-12-31", {}, InspectorStatus::kActive});
  }
  for (size_t k = 0; k < population.size(); ++k) {
    const std::string code(population.credit_code(k));
    if (k % 20 == 0) roster.conflicts.push_back({absl::StrCat("I", k % 60), code});
    if (k % 2 == 0) {
      roster.last_inspections.push_back({code, absl::StrCat("I", (k / 2) % 60)});
      roster.last_inspections.push_back({code, absl::StrCat("I", (k / 2 + 7) % 60)});
    }
  }
  return CanonicalRoster(std::move(roster));
}

DrawInputs MakeInputs(const FrozenPopulation& population, const FrozenRoster& roster) {
  DrawInputs inputs = SpecRound0Inputs();
  inputs.plan.departments = {"market"};
  inputs.plan.items.clear();
  inputs.plan.team_size = 2;
  inputs.plan.workload_cap = 170;
  // Of 20,000 (8,000 A, 4,000 each B, C, D): 2,400 + 1,000 + 1,000 + 2,000 targets, more
  // than one piece of the bundle writer.
  inputs.plan.quotas = {ClassQuota::RatioPpm(300000), ClassQuota::RatioPpm(250000),
                        ClassQuota::Count(1000), ClassQuota::RatioPpm(500000)};
  inputs.plan_digest = *PlanDigest(inputs.plan);
  inputs.population = population.Digests();
  inputs.roster_digest = *RosterDigest(roster);
  ResealSpecInputs(&inputs);
  return inputs;
}

absl::StatusOr<DrawResult> Draw(const DrawInputs& inputs, const FrozenPopulation& population,
                                const FrozenRoster& roster, int threads) {
  FrozenPopulationSource source(&population);
  DrawOptions options;
  options.threads = threads;
  return RunDraw(inputs, source, roster, options);
}

class ParallelDrawTest : public ::testing::Test {
 protected:
  ParallelDrawTest()
      : population_(TestPopulation(20000, kRegions)),
        roster_(MakeRoster(population_)),
        inputs_(MakeInputs(population_, roster_)) {}

  const FrozenPopulation population_;
  const FrozenRoster roster_;
  const DrawInputs inputs_;
};

TEST_F(ParallelDrawTest, DrawIsTheSameBytesOnOneTwoAndThreeThreads) {
  absl::StatusOr<DrawResult> one = Draw(inputs_, population_, roster_, 1);
  ASSERT_OK(one);
  ASSERT_EQ(one->bundle.targets.size(), 6400u);
  // The case is the one the parallel paths must get right: targets with conflicts and
  // last inspection teams, and unstaffed teams with their reasons.
  absl::flat_hash_set<std::string> rotated;
  for (const LastInspectionRecord& l : roster_.last_inspections) rotated.insert(l.credit_code);
  int with_last_team = 0;
  int at_cap = 0;
  for (size_t i = 0; i < one->bundle.targets.size(); ++i) {
    with_last_team += rotated.contains(one->bundle.targets[i].credit_code);
    at_cap += one->bundle.teams[i].status == StaffingStatus::kUnstaffed &&
              absl::StrContains(one->bundle.teams[i].reason, "at the workload cap");
  }
  EXPECT_GT(with_last_team, 1000);
  EXPECT_GT(at_cap, 0);
  EXPECT_THAT(one->bundle_json, HasSubstr("rotated out"));
  EXPECT_EQ(one->bundle_digest, Sha256Hex(one->bundle_json));
  EXPECT_EQ(one->bundle_json, WriteBundleJson(one->bundle));

  for (int threads : {2, 3}) {
    absl::StatusOr<DrawResult> many = Draw(inputs_, population_, roster_, threads);
    ASSERT_OK(many);
    EXPECT_EQ(many->bundle_json, one->bundle_json) << threads << " threads";
    EXPECT_EQ(many->bundle_digest, one->bundle_digest) << threads << " threads";
    EXPECT_EQ(many->target_classes, one->target_classes) << threads << " threads";
    EXPECT_EQ(many->workload, one->workload) << threads << " threads";
  }
}

TEST_F(ParallelDrawTest, WrittenInPiecesIsWriteBundleJsonAndItsDigest) {
  absl::StatusOr<DrawResult> draw = Draw(inputs_, population_, roster_, 2);
  ASSERT_OK(draw);
  const std::string sequential = WriteBundleJson(draw->bundle);
  for (int threads : {0, 1, 2, 4}) {
    const BundleBytes bytes = WriteBundleBytes(draw->bundle, threads);
    EXPECT_EQ(bytes.json, sequential) << threads << " threads";
    EXPECT_EQ(bytes.digest, Sha256Hex(sequential)) << threads << " threads";
  }
  // Without targets and teams the pieces still close the document.
  DrawBundle empty = draw->bundle;
  empty.targets.clear();
  empty.teams.clear();
  const BundleBytes bytes = WriteBundleBytes(empty, 2);
  EXPECT_EQ(bytes.json, WriteBundleJson(empty));
  EXPECT_TRUE(absl::EndsWith(bytes.json, "\"targets\":[],\"teams\":[]}")) << bytes.json;
  ASSERT_OK(ParseBundleJson(bytes.json));
}

// The reservation that keeps the 129 MB join from reallocating: never short for a drawn
// bundle (unstaffed reasons included), and at most a byte per item over.
TEST_F(ParallelDrawTest, SizeHintCoversTheBundleWithinAByteAnItem) {
  absl::StatusOr<DrawResult> draw = Draw(inputs_, population_, roster_, 2);
  ASSERT_OK(draw);
  const DrawBundle& b = draw->bundle;
  const size_t size = WriteBundleJson(b).size();
  const size_t hint = BundleJsonSizeHint(b);
  EXPECT_GE(hint, size);
  EXPECT_LE(hint, size + b.targets.size() + b.teams.size());
  DrawBundle empty = b;
  empty.targets.clear();
  empty.teams.clear();
  EXPECT_EQ(BundleJsonSizeHint(empty), WriteBundleJson(empty).size());
}

TEST_F(ParallelDrawTest, RosterErrorComesFirstWhateverTheThreads) {
  // The roster digest is checked beside the other checks when threads > 1: its error must
  // still be the one returned when the commitment is wrong too.
  FrozenRoster changed = roster_;
  changed.last_inspections.pop_back();
  DrawInputs wrong_commitment = inputs_;
  wrong_commitment.commitment.digest = std::string(64, '0');
  for (int threads : {1, 2}) {
    absl::StatusOr<DrawResult> result = Draw(wrong_commitment, population_, changed, threads);
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(std::string(result.status().message()), HasSubstr("the roster's digest is"))
        << threads << " threads";
    // The roster right, the commitment's error.
    result = Draw(wrong_commitment, population_, roster_, threads);
    EXPECT_THAT(std::string(result.status().message()), HasSubstr("the round's commitment hashes"))
        << threads << " threads";
  }
}

}  // namespace
}  // namespace regulation::scheduler
