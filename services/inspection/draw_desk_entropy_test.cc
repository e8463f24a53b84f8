// The draw desk's rules on outside randomness (docs/draw-spec.md §4): which sources a
// commitment may name, which statements a draw takes, beacons and SM2 witnesses end to
// end; and the staffing forecast at commit with the re-staffing round that follows it.

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/entropy/test_beacon.h"
#include "scheduler/roster_json.h"
#include "scheduler/verify_draw.h"
#include "services/common/proto_time.h"
#include "services/inspection/draw_desk.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using testing::Admin;
using testing::Agency;
using ::testing::HasSubstr;

class DrawDeskEntropyTest : public testing::InspectionFixture {
 protected:
  absl::StatusOr<v1::Commitment> CommitNaming(const v1::Plan& plan,
                                              std::vector<v1::EntropySourceRef> refs) {
    v1::CommitPlanRequest r;
    r.set_plan_id(plan.plan_id());
    for (v1::EntropySourceRef& ref : refs) *r.add_entropy_sources() = std::move(ref);
    return desk_.Commit(Agency(), r);
  }
  static v1::EntropySourceRef Ref(const std::string& id) {
    v1::EntropySourceRef ref;
    ref.set_source_id(id);
    return ref;
  }
  static v1::EntropySourceRef PulseRef(const std::string& id, absl::Time pulse) {
    v1::EntropySourceRef ref = Ref(id);
    *ref.mutable_pulse_time() = ToProtoTimestamp(pulse);
    return ref;
  }
  absl::StatusOr<v1::Draw> DrawWith(const v1::Plan& plan, std::vector<v1::EntropyStatement> s) {
    v1::DrawPlanRequest r;
    r.set_plan_id(plan.plan_id());
    for (v1::EntropyStatement& statement : s) *r.add_statements() = std::move(statement);
    return desk_.Draw(Agency(), r);
  }
  void RegisterUnchecked(const std::string& id) {
    v1::RegisterEntropySourceRequest r;
    r.mutable_source()->set_source_id(id);
    r.mutable_source()->set_kind(v1::ENTROPY_SOURCE_KIND_UNCHECKED);
    r.mutable_source()->set_display_name("福彩开奖");
    r.mutable_source()->set_description("televised lottery, 20:30");
    ASSERT_OK(registry_.Register(Admin(), r));
  }
  void Retire(const std::string& id) {
    v1::RetireEntropySourceRequest r;
    r.set_source_id(id);
    r.set_reason("key compromised");
    ASSERT_OK(registry_.Retire(Admin(), r));
  }
};

void ExpectRefused(const absl::Status& status, absl::string_view code_reason,
                   absl::StatusCode code = absl::StatusCode::kFailedPrecondition) {
  EXPECT_THAT(status, StatusIs(code));
  EXPECT_THAT(std::string(status.message()), HasSubstr(code_reason)) << status;
}

TEST_F(DrawDeskEntropyTest, ACommitmentNamesRegisteredIndependentCheckedSources) {
  const v1::Plan plan = CreatePlan();
  ExpectRefused(CommitNaming(plan, {Ref("agency-own-key")}).status(),
                "source agency-own-key is not registered");
  // The agency's own department cannot be the witness: it holds the nonce, or its server
  // does.
  RegisterWitness("samr-notary", "samr", WitnessKeyFromSeed('\x31'));
  ExpectRefused(CommitNaming(plan, {Ref("samr-notary")}).status(),
                "witness samr-notary belongs to department samr");
  RegisterUnchecked("lottery");
  ExpectRefused(CommitNaming(plan, {Ref("lottery")}).status(), "at least one WITNESS or BEACON",
                absl::StatusCode::kInvalidArgument);
  ExpectRefused(CommitNaming(plan, {Ref(kWitness), Ref(kWitness)}).status(), "named twice",
                absl::StatusCode::kInvalidArgument);
  ExpectRefused(CommitNaming(plan, {PulseRef(kWitness, clock_.Now())}).status(), "not a beacon",
                absl::StatusCode::kInvalidArgument);
  Retire(kWitness);
  ExpectRefused(CommitNaming(plan, {Ref(kWitness)}).status(), "was retired");
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAFT);
}

TEST_F(DrawDeskEntropyTest, OnlyASignedStatementOfTheRightRoundAndTimeIsTaken) {
  const v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  // Signed five minutes after the commitment: before the minimum delay.
  clock_.Advance(absl::Minutes(5));
  ExpectRefused(DrawWith(plan, {Statement(plan, 0, "early", witness_)}).status(),
                "statement.signed_at");
  clock_.Advance(absl::Minutes(6));
  // A key the agency made itself, signing as the witness.
  const scheduler::entropy::WitnessKey own = WitnessKeyFromSeed('\x41');
  ExpectRefused(DrawWith(plan, {Statement(plan, 0, "mine", own)}).status(), "does not verify");
  // A source that is not registered at all.
  ExpectRefused(DrawWith(plan, {Statement(plan, 0, "mine", own, "my-notary")}).status(),
                "my-notary: not a registered entropy source");
  // Dated an hour ahead of the server's clock.
  clock_.Advance(absl::Hours(1));
  const v1::EntropyStatement ahead = Statement(plan, 0, "ahead", witness_);
  clock_.Advance(-absl::Hours(1));
  ExpectRefused(DrawWith(plan, {ahead}).status(), "later than the server's clock");
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_COMMITTED);
  // The witness's own statement, on time.
  absl::StatusOr<v1::Draw> draw = DrawWith(plan, {Statement(plan, 0, "on time", witness_)});
  ASSERT_OK(draw);
}

TEST_F(DrawDeskEntropyTest, ASourceRetiredAfterTheCommitSuppliesNoStatement) {
  const v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  Retire(kWitness);
  WaitForEntropy();
  ExpectRefused(DrawWith(plan, {Statement(plan, 0, "v", witness_)}).status(),
                "the source was retired");
}

TEST_F(DrawDeskEntropyTest, AnSm2WitnessAndAnAttestedLottery) {
  const scheduler::entropy::WitnessKey sm2 = *scheduler::entropy::WitnessKey::FromPrivateBytes(
      scheduler::entropy::WitnessAlgorithm::kSm2Sm3, std::string(32, '\x51'));
  RegisterWitness("notary-sm2", "notary-gs", sm2);
  RegisterUnchecked("lottery");
  const v1::Plan plan = CreatePlan();
  ASSERT_OK(CommitNaming(plan, {Ref("notary-sm2"), Ref("lottery")}));
  WaitForEntropy();
  v1::EntropyStatement lottery;
  lottery.set_source_id("lottery");
  lottery.set_unchecked_value("03 17 22 28 35 + 09");
  // Not attested by the witness: refused.
  ExpectRefused(DrawWith(plan, {Statement(plan, 0, "v", sm2, "notary-sm2"), lottery}).status(),
                "attested by no witness");
  absl::StatusOr<v1::Draw> draw = DrawWith(
      plan, {Statement(plan, 0, "v", sm2, "notary-sm2", "", {{"lottery", "03 17 22 28 35 + 09"}}),
             lottery});
  ASSERT_OK(draw);
  ASSERT_EQ(draw->statements_size(), 2);
  EXPECT_OK(scheduler::VerifyDraw(draw->bundle_json(), std::nullopt, std::nullopt));
}

TEST_F(DrawDeskEntropyTest, ABeaconPulseNamedInAdvance) {
  scheduler::entropy::TestBeacon beacon = *scheduler::entropy::TestBeacon::Create();
  v1::RegisterEntropySourceRequest r;
  v1::RegisteredEntropySource* s = r.mutable_source();
  s->set_source_id("beacon");
  s->set_kind(v1::ENTROPY_SOURCE_KIND_BEACON);
  s->set_display_name("test beacon");
  s->set_algorithm("rsa-pkcs1-sha512");
  s->set_certificate_pem(beacon.certificate_pem());
  s->set_period_seconds(60);
  ASSERT_OK(registry_.Register(Admin(), r));
  const v1::Plan plan = CreatePlan();
  const absl::Time now = clock_.Now();  // a whole minute (the fixture's start)
  // A pulse within the minimum delay could already be known; one off the period never comes.
  ExpectRefused(CommitNaming(plan, {PulseRef("beacon", now + absl::Minutes(10))}).status(),
                "is not after");
  ExpectRefused(CommitNaming(plan, {PulseRef("beacon", now + absl::Seconds(930))}).status(),
                "emits a pulse every 60 s", absl::StatusCode::kInvalidArgument);
  const absl::Time pulse_time = now + absl::Minutes(15);
  ASSERT_OK(CommitNaming(plan, {PulseRef("beacon", pulse_time)}));
  clock_.Set(pulse_time + absl::Seconds(30));
  v1::EntropyStatement early;
  early.set_source_id("beacon");
  early.set_beacon_pulse_json(*beacon.EmitPulse(pulse_time - absl::Minutes(1)));
  ExpectRefused(DrawWith(plan, {early}).status(), "differs from the committed pulse time");
  v1::EntropyStatement pulse;
  pulse.set_source_id("beacon");
  pulse.set_beacon_pulse_json(*beacon.EmitPulse(pulse_time));
  absl::StatusOr<v1::Draw> draw = DrawWith(plan, {pulse});
  ASSERT_OK(draw);
  EXPECT_OK(scheduler::VerifyDraw(draw->bundle_json(), std::nullopt, std::nullopt));
}

// The roster cannot staff the plan: the commit says so with the numbers, unless the agency
// accepts it; the unstaffed targets are staffed later, once the roster can, in a
// re-staffing round with its own roster, nonce and statements.
TEST_F(DrawDeskEntropyTest, AShortfallIsRefusedThenAcceptedAndStaffedLater) {
  for (int i = 0; i < 6; ++i) {
    v1::UpsertInspectorRequest r;
    r.mutable_inspector()->CopyFrom(*roster_.GetInspector(absl::StrCat("HZ-F-", i)));
    r.mutable_inspector()->set_status(v1::INSPECTOR_STATUS_UNAVAILABLE);
    ASSERT_OK(roster_.UpsertInspector(Admin(), r));
  }
  const v1::Plan plan = CreatePlan(/*joint=*/true);
  const absl::Status refused = Commit(plan).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("the roster cannot staff")));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("department fire's eligible inspectors "
                                                        "can take 0"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("allow_unstaffed"));
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAFT);

  absl::StatusOr<v1::Commitment> commitment = Commit(plan, "", /*allow_unstaffed=*/true);
  ASSERT_OK(commitment);
  EXPECT_TRUE(commitment->allow_unstaffed());
  EXPECT_THAT(commitment->staffing().short_departments(), ::testing::ElementsAre("fire"));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"allow_unstaffed\":true"));
  absl::StatusOr<v1::Draw> round0 = Draw(plan);
  ASSERT_OK(round0);
  std::vector<std::string> unstaffed;
  for (const v1::Team& team : round0->teams()) {
    EXPECT_EQ(team.staffing(), v1::STAFFING_STATUS_UNSTAFFED);
    if (unstaffed.size() < 4) unstaffed.push_back(team.credit_code());
  }

  // Fire inspectors are back.
  for (int i = 0; i < 6; ++i) AddInspector(absl::StrCat("HZ-F-", i), "fire", "");
  absl::StatusOr<v1::ReplacementAnnouncement> announced = Announce(plan, unstaffed, true);
  ASSERT_OK(announced);
  EXPECT_TRUE(announced->restaff());
  EXPECT_NE(announced->roster_digest(), commitment->roster_digest());
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"restaff\":true"));
  absl::StatusOr<v1::Draw> round1 = Replace(plan, "restaff");
  ASSERT_OK(round1);
  ASSERT_EQ(round1->teams_size(), 4);
  std::set<std::string> staffed;
  for (const v1::Team& team : round1->teams()) {
    EXPECT_EQ(team.staffing(), v1::STAFFING_STATUS_STAFFED) << team.unstaffed_reason();
    staffed.insert(team.credit_code());
  }
  EXPECT_EQ(staffed, std::set<std::string>(unstaffed.begin(), unstaffed.end()));
  EXPECT_EQ(Record(plan).replaced_codes_size(), 0);  // re-staffed, not replaced

  // The round verifies against its own roster (exported for round 1) and chains to round 0.
  std::string roster_json;
  v1::ExportDrawInputsRequest export_request;
  export_request.set_plan_id(plan.plan_id());
  export_request.set_round(1);
  ASSERT_TRUE(desk_
                  .ExportInputs(Admin(), export_request,
                                [&](const v1::DrawInputsChunk& c) {
                                  roster_json += c.roster_json();
                                  return true;
                                })
                  .ok());
  scheduler::VerifyContext chain;
  chain.previous_bundle = round0->bundle_json();
  const absl::Status verified =
      scheduler::VerifyDraw(round1->bundle_json(), Population(plan),
                            *scheduler::ParseRosterJson(roster_json), nullptr, chain);
  EXPECT_OK(verified);

  // Re-staffing a target that is staffed now is refused.
  const absl::Status again = Announce(plan, {unstaffed[0]}, true).status();
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(again.message()), HasSubstr("is staffed"));
}

}  // namespace
}  // namespace regulation::services
