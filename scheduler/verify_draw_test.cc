#include "scheduler/verify_draw.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scheduler/draw.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/entropy/witness_statement.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/ticket.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::ReadTestData;
using ::regulation::scheduler::testing::SpecPopulation;
using ::regulation::scheduler::testing::SpecRoster;
using ::regulation::testing::StatusIs;

class VerifyDrawTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bundle_json_ = ReadTestData("spec_bundle_round0.json");
    bundle_ = *ParseBundleJson(bundle_json_);
    population_ = SpecPopulation();
    roster_ = SpecRoster();
  }

  absl::Status Verify(const DrawBundle& bundle, bool with_population = false,
                      bool with_roster = false) {
    return VerifyDraw(WriteBundleJson(bundle),
                      with_population ? std::optional<FrozenPopulation>(population_) : std::nullopt,
                      with_roster ? std::optional<FrozenRoster>(roster_) : std::nullopt);
  }

  // A population member that is not a target.
  std::string NonTarget(bool ticket_below_largest_cutoff) {
    std::string largest;
    for (const BundleClass& c : bundle_.classes) {
      if (!c.cutoff.empty() && (largest.empty() || CompareTicketStrings(c.cutoff, largest) > 0)) {
        largest = c.cutoff;
      }
    }
    for (size_t i = 0; i < population_.size(); ++i) {
      const std::string code(population_.credit_code(i));
      bool listed = false;
      for (const BundleTarget& t : bundle_.targets) listed = listed || t.credit_code == code;
      const bool below = CompareTicketStrings(FirstFraction(code, bundle_.seed), largest) <= 0;
      if (!listed && below == ticket_below_largest_cutoff) return code;
    }
    ADD_FAILURE() << "no such enterprise";
    return "";
  }

  struct Swap {
    std::string removed;
    int removed_class = 0;
    std::string added;
    size_t rank = 0;
  };

  // Replaces a target (one that holds no cutoff) by an enterprise whose real ticket is
  // below the largest cutoff, keeping ticket order, ranks and teams consistent: only the
  // population (or the removed enterprise) can tell.
  Swap SwapInNonTarget() {
    Swap swap;
    swap.added = NonTarget(true);
    BundleTarget added{swap.added,
                       std::string(population_.region_code(population_.Find(swap.added))),
                       FirstFraction(swap.added, bundle_.seed), 0};
    size_t victim = 0;
    for (size_t i = 0; i < bundle_.targets.size(); ++i) {
      bool holds_cutoff = false;
      for (const BundleClass& c : bundle_.classes)
        holds_cutoff |= c.cutoff == bundle_.targets[i].ticket;
      if (!holds_cutoff) victim = i;
    }
    swap.removed = bundle_.targets[victim].credit_code;
    swap.removed_class = population_.risk_class(population_.Find(swap.removed));
    bundle_.targets.erase(bundle_.targets.begin() + victim);
    bundle_.teams.erase(bundle_.teams.begin() + victim);
    size_t at = 0;
    while (at < bundle_.targets.size() &&
           CompareTicketStrings(bundle_.targets[at].ticket, added.ticket) < 0) {
      ++at;
    }
    bundle_.targets.insert(bundle_.targets.begin() + at, added);
    TeamResult team;
    team.credit_code = swap.added;
    team.reason = "0 of 3 inspectors found; excluded: none";
    bundle_.teams.insert(bundle_.teams.begin() + at, team);
    for (size_t i = 0; i < bundle_.targets.size(); ++i) bundle_.targets[i].rank = i + 1;
    swap.rank = at + 1;
    return swap;
  }

  std::string bundle_json_;
  DrawBundle bundle_;
  FrozenPopulation population_;
  FrozenRoster roster_;
};

TEST_F(VerifyDrawTest, AcceptsTheSpecBundlesWithAndWithoutFiles) {
  VerifySummary summary;
  EXPECT_OK(VerifyDraw(bundle_json_, population_, roster_, &summary));
  EXPECT_EQ(summary.targets, 11);
  EXPECT_EQ(summary.staffed + summary.unstaffed, 11);
  EXPECT_TRUE(summary.population_checked);
  EXPECT_TRUE(summary.roster_checked);
  EXPECT_EQ(summary.bundle_digest,
            "bcc4f0d747ebf8c4c887f56aa7e14176056a7ea1b4176c18bd8055551499ab1c");
  EXPECT_EQ(summary.witness_statements, 1);
  EXPECT_EQ(summary.beacon_pulses, 1);
  EXPECT_EQ(summary.unchecked_values, 1);
  EXPECT_OK(VerifyDraw(bundle_json_, std::nullopt, std::nullopt));
  const std::string round1 = ReadTestData("spec_bundle_round1.json");
  EXPECT_OK(VerifyDraw(round1, population_, roster_));
  VerifyContext chain;
  chain.previous_bundle = bundle_json_;
  EXPECT_OK(VerifyDraw(round1, population_, roster_, &summary, chain));
  EXPECT_TRUE(summary.chain_checked);
  EXPECT_EQ(summary.round_kind, "replace");
}

// The statements are the evidence: each edit of one is named.
TEST_F(VerifyDrawTest, EditedWitnessValueFails) {
  std::string& text = bundle_.statements[0].text;
  const size_t at = text.find("value=64:") + 9;
  text[at] = text[at] == 'a' ? 'b' : 'a';
  const absl::Status status = Verify(bundle_);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StartsWith(
      status.message(), "statements: statement of source notary-xihu: signature: does not verify"))
      << status;
}

TEST_F(VerifyDrawTest, EditedWitnessSignatureFails) {
  std::string& signature = bundle_.statements[0].signature_hex;
  signature[10] = signature[10] == '0' ? '1' : '0';
  const absl::Status status = Verify(bundle_);
  EXPECT_TRUE(absl::StrContains(status.message(), "notary-xihu: signature: does not verify"))
      << status;
}

TEST_F(VerifyDrawTest, EditedPulseFails) {
  std::string& pulse = bundle_.statements[1].text;
  const size_t at = pulse.find("\"localRandomValue\"");
  ASSERT_NE(at, std::string::npos);
  const size_t digit = pulse.find('"', at + 19) + 1;
  pulse[digit] = pulse[digit] == 'A' ? 'B' : 'A';
  const absl::Status status = Verify(bundle_);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StartsWith(status.message(), "statements: statement of source test-beacon: "))
      << status;
}

TEST_F(VerifyDrawTest, EditedUncheckedValueFails) {
  bundle_.statements[2].text = "07 12 19 23 31 + 06";
  const absl::Status status = Verify(bundle_);
  EXPECT_TRUE(absl::StrContains(status.message(),
                                "zj-lottery: its value is attested by no witness statement"))
      << status;
}

TEST_F(VerifyDrawTest, DroppedOrReorderedStatementsFail) {
  DrawBundle dropped = bundle_;
  dropped.statements.pop_back();
  EXPECT_TRUE(absl::StrContains(Verify(dropped).message(), "source zj-lottery: no statement"));
  std::swap(bundle_.statements[0], bundle_.statements[1]);
  EXPECT_TRUE(absl::StrContains(Verify(bundle_).message(), "not in the commitment's source order"));
}

TEST_F(VerifyDrawTest, EditedCommitmentFails) {
  bundle_.commitment.min_entropy_delay_seconds = 0;
  const absl::Status status = Verify(bundle_);
  EXPECT_TRUE(absl::StartsWith(status.message(), "commitment digest does not match")) << status;
}

TEST_F(VerifyDrawTest, AStatementOfAnotherRoundFails) {
  // Round 1's witness statement in round 0: signed for another round and commitment.
  const DrawBundle round1 = *ParseBundleJson(ReadTestData("spec_bundle_round1.json"));
  bundle_.statements[0] = round1.statements[0];
  const absl::Status status = Verify(bundle_);
  EXPECT_TRUE(absl::StrContains(status.message(), "notary-xihu: statement.")) << status;
}

// A bundle forged with a key of the forger's own verifies alone (it is consistent), but
// not against the published registry.
TEST_F(VerifyDrawTest, AForgedKeyFailsAgainstThePublishedRegistry) {
  DrawInputs inputs = testing::SpecRound0Inputs();
  const entropy::WitnessKey forger = *entropy::WitnessKey::FromPrivateBytes(
      entropy::WitnessAlgorithm::kEd25519, std::string(32, '\x07'));
  inputs.commitment.sources[0].public_key = forger.public_key().hex();
  testing::SealCommitment(&inputs);
  const entropy::WitnessStatement old =
      *entropy::ParseWitnessStatementText(inputs.statements[0].text);
  inputs.statements[0] =
      testing::SignStatement(forger, "notary-xihu", inputs, old.value, old.signed_at, old.attested);
  FrozenPopulationSource source(&population_);
  absl::StatusOr<DrawResult> forged = RunDraw(inputs, source, roster_);
  ASSERT_OK(forged);
  EXPECT_OK(VerifyDraw(forged->bundle_json, std::nullopt, std::nullopt));

  std::vector<PublishedSource> registry;
  for (const CommittedSource& c : testing::SpecRound0Inputs().commitment.sources) {
    PublishedSource p;
    p.source_id = c.source_id;
    p.kind = c.kind;
    p.department = c.department;
    p.algorithm = c.algorithm;
    p.public_key = c.public_key;
    p.certificate_pem = c.certificate_pem;
    p.rsa_modulus = c.rsa_modulus;
    p.rsa_exponent = c.rsa_exponent;
    p.register_time = testing::SpecTime("2026-01-05T00:00:00.000000Z");
    registry.push_back(p);
  }
  VerifyContext context;
  context.sources = registry;
  VerifySummary summary;
  EXPECT_OK(VerifyDraw(bundle_json_, std::nullopt, std::nullopt, &summary, context));
  EXPECT_TRUE(summary.sources_checked);
  const absl::Status status =
      VerifyDraw(forged->bundle_json, std::nullopt, std::nullopt, nullptr, context);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(), "sources: notary-xihu: the bundle's key is not the registered one");

  // Registered after the commitment, or retired before it: not usable.
  context.sources->at(0).register_time = testing::SpecTime("2026-03-02T00:00:00.000000Z");
  EXPECT_TRUE(absl::StrContains(
      VerifyDraw(bundle_json_, std::nullopt, std::nullopt, nullptr, context).message(),
      "registered at 2026-03-02T00:00:00.000000Z, after the commitment"));
  context.sources->at(0).register_time = testing::SpecTime("2026-01-05T00:00:00.000000Z");
  context.sources->at(0).retire_time = testing::SpecTime("2026-02-01T00:00:00.000000Z");
  EXPECT_TRUE(absl::StrContains(
      VerifyDraw(bundle_json_, std::nullopt, std::nullopt, nullptr, context).message(),
      "retired at 2026-02-01T00:00:00.000000Z, before the commitment"));
}

// docs/draw-spec.md's v1 example drew round 1 with round 0's nonce and commitment, which
// its own §4 forbids, and verify-draw called it VALID. Rebuilt in v2 the same way, each
// bundle is consistent alone; given both, the chain check refuses it.
TEST_F(VerifyDrawTest, ARoundReusingThePreviousNonceFailsTheChainCheck) {
  const DrawInputs inputs0 = testing::SpecRound0Inputs();
  FrozenPopulationSource source0(&population_);
  absl::StatusOr<DrawResult> round0 = RunDraw(inputs0, source0, roster_);
  ASSERT_OK(round0);
  DrawInputs flawed = testing::SpecRound1Inputs(*round0);
  flawed.nonce_hex = inputs0.nonce_hex;
  flawed.commitment.nonce_commitment = inputs0.commitment.nonce_commitment;
  testing::ResealSpecInputs(&flawed);
  FrozenPopulationSource source1(&population_);
  absl::StatusOr<DrawResult> round1 = RunDraw(flawed, source1, roster_);
  ASSERT_OK(round1);
  EXPECT_OK(VerifyDraw(round1->bundle_json, population_, roster_))
      << "alone, the reuse cannot be seen";
  VerifyContext chain;
  chain.previous_bundle = round0->bundle_json;
  const absl::Status status = VerifyDraw(round1->bundle_json, population_, roster_, nullptr, chain);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(
      absl::StartsWith(status.message(), "chain: round 1 reuses round 0's nonce commitment"))
      << status;
}

TEST_F(VerifyDrawTest, TheChainNeedsTheRightPreviousBundle) {
  const std::string round1 = ReadTestData("spec_bundle_round1.json");
  VerifyContext chain;
  chain.previous_bundle = round1;  // round 1 is not its own previous round
  absl::Status status = VerifyDraw(round1, std::nullopt, std::nullopt, nullptr, chain);
  EXPECT_TRUE(absl::StrContains(status.message(), "the previous bundle is round 1")) << status;

  // A previous bundle edited after the fact does not verify.
  std::string edited = bundle_json_;
  edited.replace(edited.find("\"rank\":1"), 8, "\"rank\":7");
  chain.previous_bundle = edited;
  status = VerifyDraw(round1, std::nullopt, std::nullopt, nullptr, chain);
  EXPECT_TRUE(absl::StartsWith(status.message(), "previous bundle: ")) << status;

  // Round 0 has no previous round.
  chain.previous_bundle = bundle_json_;
  EXPECT_THAT(VerifyDraw(bundle_json_, std::nullopt, std::nullopt, nullptr, chain),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(VerifyDrawTest, AVersion1BundleIsRefusedByName) {
  const absl::Status status =
      VerifyDraw("{\"spec\":\"regulation.draw.v1\",\"plan\":{}}", std::nullopt, std::nullopt);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StrContains(status.message(), "unsupported version \"regulation.draw.v1\""))
      << status;
}

TEST_F(VerifyDrawTest, EditedSeedFails) {
  bundle_.seed[5] = bundle_.seed[5] == '0' ? '1' : '0';
  const absl::Status status = Verify(bundle_);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StartsWith(status.message(), "seed does not match its inputs")) << status;
}

TEST_F(VerifyDrawTest, EditedNonceFails) {
  bundle_.nonce[0] = bundle_.nonce[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(Verify(bundle_).message(), "nonce does not match its commitment");
}

TEST_F(VerifyDrawTest, EditedTicketFails) {
  std::string& ticket = bundle_.targets[2].ticket;
  ticket[ticket.size() - 1] = ticket.back() == '0' ? '1' : '0';
  const absl::Status status = Verify(bundle_);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StartsWith(
      status.message(), "target 3: " + bundle_.targets[2].credit_code + ": ticket does not match"))
      << status;
}

TEST_F(VerifyDrawTest, SwappedTargetWithItsOldTicketFails) {
  bundle_.targets[2].credit_code = NonTarget(true);
  bundle_.teams[2].credit_code = bundle_.targets[2].credit_code;
  const absl::Status status = Verify(bundle_);
  EXPECT_TRUE(absl::StartsWith(status.message(), "target 3: " + bundle_.targets[2].credit_code))
      << status;
}

TEST_F(VerifyDrawTest, SwappedTargetWithItsRealTicketFailsAgainstThePopulation) {
  const Swap swap = SwapInNonTarget();
  EXPECT_OK(Verify(bundle_)) << "the bundle alone cannot see this swap";
  const absl::Status status = Verify(bundle_, /*with_population=*/true);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StrContains(status.message(),
                                absl::StrCat("target ", swap.rank, ": ", swap.added, ": ticket ")))
      << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "is above the class cutoff")) << status;
}

TEST_F(VerifyDrawTest, OwnTicketSeesItsOmission) {
  // The enterprise swapped out checks its own ticket against its class's cutoff, with
  // nothing but the bundle.
  const Swap swap = SwapInNonTarget();
  const std::string forged = WriteBundleJson(bundle_);
  absl::StatusOr<OwnTicketCheck> check = VerifyOwnTicket(forged, swap.removed, swap.removed_class);
  ASSERT_OK(check);
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kSelected);
  EXPECT_FALSE(check->listed);
  EXPECT_FALSE(check->consistent);
  EXPECT_TRUE(absl::StrContains(check->explanation, "INCONSISTENT")) << check->explanation;
}

TEST_F(VerifyDrawTest, EditedCutoffFails) {
  bundle_.classes[1].cutoff = "0.9";
  const absl::Status status = Verify(bundle_);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StartsWith(status.message(),
                               "class B: cutoff 0.9 is not the ticket of a listed target"))
      << status;
}

TEST_F(VerifyDrawTest, CutoffMovedToAnotherTargetFailsAgainstThePopulation) {
  // Class B's cutoff replaced by a larger listed ticket: consistent on its face.
  std::string larger;
  for (const BundleTarget& t : bundle_.targets) {
    if (CompareTicketStrings(t.ticket, bundle_.classes[1].cutoff) > 0) {
      larger = t.ticket;
      break;
    }
  }
  ASSERT_FALSE(larger.empty());
  const std::string original = bundle_.classes[1].cutoff;
  bundle_.classes[1].cutoff = larger;
  EXPECT_OK(Verify(bundle_));
  const absl::Status status = Verify(bundle_, /*with_population=*/true);
  EXPECT_TRUE(absl::StartsWith(status.message(), "class B: cutoff differs")) << status;
}

TEST_F(VerifyDrawTest, DroppedTargetFails) {
  bundle_.targets.pop_back();
  bundle_.teams.pop_back();
  EXPECT_TRUE(absl::StartsWith(Verify(bundle_).message(), "the bundle lists 10 targets"));
}

TEST_F(VerifyDrawTest, ReorderedTargetsFail) {
  std::swap(bundle_.targets[3], bundle_.targets[4]);
  std::swap(bundle_.teams[3], bundle_.teams[4]);
  bundle_.targets[3].rank = 4;
  bundle_.targets[4].rank = 5;
  EXPECT_TRUE(absl::StrContains(Verify(bundle_).message(), "out of ticket order"));
}

TEST_F(VerifyDrawTest, EditedTeamFailsAgainstTheRoster) {
  size_t staffed = 0;
  while (bundle_.teams[staffed].status != StaffingStatus::kStaffed) ++staffed;
  bundle_.teams[staffed].inspector_ids[0] = "ZJ-T-01";
  EXPECT_OK(Verify(bundle_)) << "shape alone is fine";
  const absl::Status status = Verify(bundle_, false, /*with_roster=*/true);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StartsWith(
      status.message(), absl::StrCat("team ", staffed + 1, " (", bundle_.teams[staffed].credit_code,
                                     "): expected STAFFED by ")))
      << status;
}

TEST_F(VerifyDrawTest, EditedPlanFails) {
  bundle_.plan.workload_cap = 9;
  EXPECT_TRUE(absl::StartsWith(Verify(bundle_).message(), "plan digest does not match the plan"));
}

TEST_F(VerifyDrawTest, WrongFilesAreAPreconditionFailure) {
  FrozenRoster roster = roster_;
  roster.inspectors.pop_back();
  roster_ = roster;
  EXPECT_THAT(Verify(bundle_, false, true), StatusIs(absl::StatusCode::kFailedPrecondition));
  population_ = testing::TestPopulation(40);
  EXPECT_THAT(Verify(bundle_, true, false), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(VerifyDrawTest, NonCanonicalBytesFail) {
  std::string spaced = bundle_json_;
  spaced.insert(1, " ");
  EXPECT_THAT(VerifyDraw(spaced, std::nullopt, std::nullopt),
              StatusIs(absl::StatusCode::kDataLoss));
  std::string escaped = bundle_json_;
  const size_t at = escaped.find("PLAN-2026");
  escaped.replace(at, 1, "\\u0050");
  const absl::Status status = VerifyDraw(escaped, std::nullopt, std::nullopt);
  EXPECT_TRUE(absl::StrContains(status.message(), "not in canonical form")) << status;
  EXPECT_THAT(VerifyDraw("{}", std::nullopt, std::nullopt), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(VerifyDrawTest, OwnTicketOfASelectedEnterprise) {
  const BundleTarget& target = bundle_.targets[0];
  const int risk_class = population_.risk_class(population_.Find(target.credit_code));
  absl::StatusOr<OwnTicketCheck> check =
      VerifyOwnTicket(bundle_json_, target.credit_code, risk_class);
  ASSERT_OK(check);
  EXPECT_TRUE(check->listed);
  EXPECT_EQ(check->rank, 1);
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kSelected);
  EXPECT_TRUE(check->consistent);
  EXPECT_EQ(check->ticket, target.ticket);
  EXPECT_TRUE(absl::StrContains(check->explanation, "listed at rank 1 (consistent)"))
      << check->explanation;
}

TEST_F(VerifyDrawTest, OwnTicketOfAnEnterpriseNotSelected) {
  const std::string code = NonTarget(false);
  absl::StatusOr<OwnTicketCheck> check = VerifyOwnTicket(bundle_json_, code, /*risk_class=*/0);
  ASSERT_OK(check);
  EXPECT_FALSE(check->listed);
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kNotSelected);
  EXPECT_TRUE(check->consistent);
  const int risk_class = population_.risk_class(population_.Find(code));
  check = VerifyOwnTicket(bundle_json_, code, risk_class);
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kNotSelected);
  EXPECT_TRUE(check->consistent);
}

TEST_F(VerifyDrawTest, OwnTicketRejectsBadArguments) {
  EXPECT_THAT(VerifyOwnTicket(bundle_json_, "bad", 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifyOwnTicket(bundle_json_, bundle_.targets[0].credit_code, 7),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scheduler
