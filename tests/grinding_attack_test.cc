// Issue 11's attack, replayed: an agency commits a plan with a nonce of its own and wants a
// chosen firm inspected, another left out, and a chosen inspector on the first one's team.
//
// Under regulation.draw.v1 the entropy was a bare value the server took as entered: the
// agency, knowing its nonce, computed draws offline for value after value and submitted the
// first that suited (the attacker succeeded at the 60th try). The first test does
// exactly that with the scheduler library, the free value standing in for v1's entropy.
//
// Under regulation.draw.v2 a value enters the seed only inside a statement signed by a
// registered source, bound to this plan, this round and this round's commitment digest,
// and signed after the commitment plus the minimum delay. The second test makes every move
// the attacker has and shows each refused, then the genuine statement accepted and the
// draw verified. The outcome is printed for the log.

#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/plan_spec.h"
#include "scheduler/roster_json.h"
#include "scheduler/seed.h"
#include "scheduler/target_selection.h"
#include "scheduler/team_assignment.h"
#include "scheduler/verify_draw.h"
#include "services/common/proto_time.h"
#include "services/inspection/round_inputs.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation {
namespace {

using services::testing::Admin;
using services::testing::Agency;
using ::testing::HasSubstr;

constexpr int kMaxTries = 5000;
constexpr char kNonce[] = "a9e1c0ffee5eed00a9e1c0ffee5eed00a9e1c0ffee5eed00a9e1c0ffee5eed00";
constexpr char kChosenInspector[] = "HZ-M-3";

class GrindingAttackTest : public services::testing::InspectionFixture {
 protected:
  // Commits a plan with the agency's own nonce, naming the fixture's witness.
  v1::Plan CommitWithOwnNonce() {
    const v1::Plan plan = CreatePlan();
    EXPECT_OK(Commit(plan, *scheduler::NonceCommitment(kNonce)));
    return plan;
  }

  // The draw's outcome for a seed: is `chosen` a target, `avoided` not, and `kChosenInspector`
  // first on `chosen`'s team? Computed offline from what the agency knows.
  bool Suits(const v1::Plan& plan, const std::string& seed, const std::string& chosen,
             const std::string& avoided) {
    const internal::PlanRecord record = Record(plan);
    const scheduler::DrawInputs inputs = *services::CommittedInputs(record);
    std::array<int64_t, scheduler::kRiskClassCount> counts;
    for (int c = 0; c < scheduler::kRiskClassCount; ++c) {
      counts[c] = scheduler::QuotaCount(inputs.plan.quotas[c], inputs.population.class_sizes[c]);
    }
    scheduler::FrozenPopulationSource source(&population_);
    const scheduler::TargetSelection selection =
        *scheduler::SelectTargets(source, seed, counts, {});
    std::vector<scheduler::TeamTarget> targets;
    bool has_chosen = false;
    for (const scheduler::SelectedTarget& t : selection.targets) {
      if (t.credit_code == avoided) return false;
      has_chosen = has_chosen || t.credit_code == chosen;
      targets.push_back({t.credit_code, t.region_code});
    }
    if (!has_chosen) return false;
    scheduler::WorkloadCounts workload;
    const std::vector<scheduler::TeamResult> teams =
        *scheduler::AssignTeams(seed, targets, roster_, inputs.plan, &workload);
    for (const scheduler::TeamResult& team : teams) {
      if (team.credit_code == chosen) {
        return !team.inspector_ids.empty() && team.inspector_ids[0] == kChosenInspector;
      }
    }
    return false;
  }

  void Freeze(const v1::Plan& plan) {
    population_ = Population(plan);
    roster_ = *scheduler::ParseRosterJson(Record(plan).frozen_roster_json());
  }

  // Two class-D enterprises of the frozen population: the one the agency wants inspected
  // and the one it wants spared.
  std::pair<std::string, std::string> Targets() {
    std::vector<std::string> d;
    for (size_t i = 0; i < population_.size() && d.size() < 2; ++i) {
      if (population_.risk_class(i) == 4) d.emplace_back(population_.credit_code(i));
    }
    return {d[0], d[1]};
  }

  scheduler::FrozenPopulation population_;
  scheduler::FrozenRoster roster_;
};

TEST_F(GrindingAttackTest, WithAFreeValueTheAgencyFindsTheDrawItWantsWithinAFewTries) {
  const v1::Plan plan = CommitWithOwnNonce();
  Freeze(plan);
  const auto [chosen, avoided] = Targets();
  const std::string digest = Record(plan).commitment().commitment_digest();
  int found = 0;
  for (int attempt = 1; attempt <= kMaxTries && found == 0; ++attempt) {
    scheduler::SeedInputs inputs;
    inputs.commitment_digest = digest;
    inputs.nonce_hex = kNonce;
    inputs.entropy = {{"free-value", absl::StrCat("07 12 19 23 31 + ", attempt)}};
    if (Suits(plan, *scheduler::DeriveSeed(inputs), chosen, avoided)) found = attempt;
  }
  ASSERT_GT(found, 0) << "no value in " << kMaxTries << " suited: the attack would take longer";
  std::printf(
      "grinding attack, free entropy (regulation.draw.v1): the agency knows its nonce and "
      "tries values offline; value \"07 12 19 23 31 + %d\" (try %d) selects %s, leaves out %s "
      "and puts %s first on %s's team\n",
      found, found, chosen.c_str(), avoided.c_str(), kChosenInspector, chosen.c_str());
}

TEST_F(GrindingAttackTest, WithSignedStatementsNoMoveOfTheAgencyGetsAValueIn) {
  std::vector<std::string> log;
  auto refused = [&](absl::string_view move, const absl::Status& status,
                     absl::string_view expected) {
    EXPECT_FALSE(status.ok()) << move;
    EXPECT_THAT(std::string(status.message()), HasSubstr(expected)) << move;
    log.push_back(absl::StrCat("  refused: ", move, ": ", absl::StatusCodeToString(status.code()),
                               ": ", status.message().substr(0, 110)));
  };

  // A witness registered to the agency's own department is refused at commit.
  RegisterWitness("samr-witness", "samr", WitnessKeyFromSeed('\x61'));
  const v1::Plan plan = CreatePlan();
  v1::CommitPlanRequest commit;
  commit.set_plan_id(plan.plan_id());
  commit.set_nonce_commitment(*scheduler::NonceCommitment(kNonce));
  commit.add_entropy_sources()->set_source_id("samr-witness");
  refused("commit naming a witness of its own department", desk_.Commit(Agency(), commit).status(),
          "belongs to department samr");
  commit.mutable_entropy_sources(0)->set_source_id(kWitness);
  ASSERT_OK(desk_.Commit(Agency(), commit));
  Freeze(plan);
  const auto [chosen, avoided] = Targets();

  auto draw = [&](std::vector<v1::EntropyStatement> statements, std::string value = "") {
    v1::DrawPlanRequest r;
    r.set_plan_id(plan.plan_id());
    r.set_nonce(kNonce);
    r.set_entropy_value(std::move(value));
    for (v1::EntropyStatement& s : statements) *r.add_statements() = std::move(s);
    return desk_.Draw(Agency(), r);
  };
  // Its own value, as v1 took it.
  refused("a value of its choosing (entropy_value)", draw({}, "07 12 19 23 31 + 1").status(),
          "entropy_value: no longer accepted");
  // Its own value presented as the witness's.
  v1::EntropyStatement bare;
  bare.set_source_id(kWitness);
  bare.set_unchecked_value("07 12 19 23 31 + 1");
  refused("a bare value under the witness's name", draw({bare}).status(),
          "must be a signed statement");
  WaitForEntropy();
  // A key it generated itself: under a source of its own, or signing as the witness.
  const scheduler::entropy::WitnessKey own = WitnessKeyFromSeed('\x62');
  refused("a statement signed with its own, unregistered key",
          draw({Statement(plan, 0, "mine", own, "samr-key")}).status(),
          "not a registered entropy source");
  refused("its own key signing as the registered witness",
          draw({Statement(plan, 0, "mine", own)}).status(), "does not verify");
  // Genuine statements of the witness, for another plan and for another round.
  const v1::Plan other = CreatePlan();
  ASSERT_OK(Commit(other));
  refused("the witness's genuine statement for another plan, replayed",
          draw({Statement(other, 0, "genuine", witness_)}).status(), "statement.plan_id");
  refused("the witness's genuine statement for another round",
          draw({Statement(plan, 1, "genuine", witness_, kWitness,
                          Record(plan).commitment().commitment_digest())})
              .status(),
          "statement.round");
  // Signed before the minimum delay had passed: the value could have been known at commit.
  clock_.Advance(-absl::Minutes(5));
  const v1::EntropyStatement early = Statement(plan, 0, "early", witness_);
  clock_.Advance(absl::Minutes(5));
  refused("a statement signed 5 minutes after the commitment (delay 10 minutes)",
          draw({early}).status(), "statement.signed_at");
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_COMMITTED);

  // The witness signs once, after the delay: the draw takes it and anyone can check it.
  absl::StatusOr<v1::Draw> result = draw({Statement(plan, 0, "the witness's own", witness_)});
  ASSERT_OK(result);
  const absl::Status verified = scheduler::VerifyDraw(result->bundle_json(), population_, roster_);
  EXPECT_OK(verified);
  bool selected = false;
  for (const v1::DrawnTarget& t : result->targets()) selected |= t.credit_code() == chosen;

  std::printf(
      "grinding attack, signed statements (regulation.draw.v2): the agency holds its "
      "nonce and wants %s inspected, %s spared, %s on the team\n",
      chosen.c_str(), avoided.c_str(), kChosenInspector);
  for (const std::string& line : log) std::printf("%s\n", line.c_str());
  std::printf(
      "  accepted: the registered witness's statement, signed %d s after the commitment; "
      "the draw verifies (seed %s…); %s is %s\n",
      static_cast<int>(absl::ToInt64Seconds(
          clock_.Now() - *services::FromProtoTimestamp(Record(plan).commitment().commit_time()))),
      result->seed().substr(0, 16).c_str(), chosen.c_str(),
      selected ? "selected (by the witness's value, not the agency's)" : "not selected");
  std::printf(
      "  left to choose: no value; the seed is fixed once the witness signs. A witness "
      "that signed a second statement for the same round would offer a second value: "
      "its procedure is to sign once per round, and a beacon pulse named at commit "
      "leaves no choice at all\n");
}

}  // namespace
}  // namespace regulation
