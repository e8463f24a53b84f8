// The draw desk over an in-memory store: commit, draw, replace, and what each leaves
// behind (the plan's state, the stored draw and bundle, assignments, the public log).

#include "services/inspection/draw_desk.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scheduler/population_csv.h"
#include "scheduler/roster_json.h"
#include "scheduler/seed.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/verify_draw.h"
#include "services/common/proto_time.h"
#include "services/inspection/plan_freezer.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "storage/memory_store.h"

namespace regulation::services {
namespace {

using ::testing::HasSubstr;
using storage::ColumnFamily;
using testing::Admin;
using testing::Agency;
using testing::InspectorCaller;

class DrawDeskTest : public testing::InspectionFixture {};

TEST_F(DrawDeskTest, CommitFreezesEligibleEnterprisesWithTheirClassesAndLogsTheCommitment) {
  v1::Plan plan = CreatePlan();
  absl::StatusOr<v1::Commitment> c = Commit(plan);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_COMMITTED);

  // Deregistered ones are left out; the never-scored count as B.
  std::map<std::string, int64_t> expected;
  for (int i = 0; i < kEnterprises; ++i) {
    if (i % 7 == 0) continue;
    const int risk_class = i % 10 == 0 ? 2 : 1 + i % 4;
    ++expected[std::string(1, scheduler::RiskClassLetter(risk_class))];
  }
  for (const auto& [letter, size] : expected) EXPECT_EQ(c->class_sizes().at(letter), size) << letter;
  EXPECT_EQ(c->population_digest(), Population(plan).Digests().overall);
  EXPECT_EQ(c->nonce_commitment().size(), 64u);

  // Logged before any randomness: the log's only entry is the commitment.
  ASSERT_EQ(log_.entries().size(), 1u);
  EXPECT_TRUE(c->logged());
  EXPECT_EQ(c->log_index(), 0);
  EXPECT_THAT(LoggedBody(0), HasSubstr("\"kind\":\"COMMITMENT\""));
  EXPECT_THAT(LoggedBody(0), HasSubstr(c->population_digest()));
  EXPECT_THAT(LoggedBody(0), HasSubstr("《食品安全法》第一百一十条"));
}

// A commitment accepted while the log is down is queued, and says so: log_index 0 is also
// the first record's index. A retry once the log is back reports where it went.
TEST_F(DrawDeskTest, ACommitmentQueuedWhileTheLogIsDownSaysItIsNotLoggedYet) {
  log_.set_available(false);
  const v1::Plan plan = CreatePlan();
  v1::CommitPlanRequest r;
  r.set_plan_id(plan.plan_id());
  r.set_request_id("commit-1");
  r.mutable_entropy_source()->set_kind("drand-quicknet");
  r.mutable_entropy_source()->set_reference("round 12345678");
  absl::StatusOr<v1::Commitment> queued = desk_.Commit(Agency(), r);
  ASSERT_TRUE(queued.ok()) << queued.status();
  EXPECT_FALSE(queued->logged());
  EXPECT_TRUE(log_.entries().empty());

  log_.set_available(true);
  ASSERT_TRUE(publications_->Flush().ok());
  absl::StatusOr<v1::Commitment> retried = desk_.Commit(Agency(), r);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(retried->logged());
  EXPECT_EQ(retried->log_index(), 0);
  ASSERT_EQ(log_.entries().size(), 1u);
  EXPECT_THAT(LoggedBody(0), HasSubstr("\"kind\":\"COMMITMENT\""));
}

// The plan was valid when created, but its item has since moved to another department:
// no request can fix that, so the commit is refused as a precondition, naming the item.
TEST_F(DrawDeskTest, ACommitAfterAnItemMovedDepartmentIsAFailedPrecondition) {
  const v1::Plan plan = CreatePlan();
  AddItem("food-1", "fire", "");
  const absl::Status status = Commit(plan).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("food-1"));
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAFT);
  EXPECT_TRUE(log_.entries().empty());
}

TEST_F(DrawDeskTest, TheDrawVerifiesAgainstTheFrozenPopulationAndRoster) {
  v1::Plan plan = CreatePlan();
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_TRUE(draw.ok()) << draw.status();
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAWN);
  EXPECT_GT(draw->targets_size(), 0);

  const internal::PlanRecord record = Record(plan);
  scheduler::VerifySummary summary;
  absl::Status verified =
      scheduler::VerifyDraw(draw->bundle_json(), Population(plan),
                            *scheduler::ParseRosterJson(record.frozen_roster_json()), &summary);
  ASSERT_TRUE(verified.ok()) << verified;
  EXPECT_TRUE(summary.population_checked);
  EXPECT_TRUE(summary.roster_checked);
  EXPECT_EQ(summary.targets, draw->targets_size());
  EXPECT_EQ(summary.bundle_digest, draw->bundle_digest());

  // The sealed nonce is revealed and matches the commitment.
  EXPECT_EQ(*scheduler::NonceCommitment(draw->nonce()), record.commitment().nonce_commitment());
  // The draw is logged after the commitment.
  ASSERT_EQ(log_.entries().size(), 2u);
  EXPECT_THAT(LoggedBody(1), HasSubstr(draw->bundle_digest()));
}

TEST_F(DrawDeskTest, AnAuditorsExportedFilesVerifyTheDrawAndATamperedOneDoesNot) {
  v1::Plan plan = CreatePlan();
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_TRUE(draw.ok());
  std::string roster_json, population_csv;
  int chunks = 0;
  absl::Status exported = desk_.ExportInputs(Admin(), plan.plan_id(), [&](const v1::DrawInputsChunk& c) {
    ++chunks;
    roster_json += c.roster_json();
    population_csv += c.population_csv();
    return true;
  });
  ASSERT_TRUE(exported.ok()) << exported;
  EXPECT_EQ(chunks, 1);
  absl::StatusOr<scheduler::FrozenPopulation> population =
      scheduler::ParsePopulationCsv(population_csv);
  ASSERT_TRUE(population.ok()) << population.status();
  absl::StatusOr<scheduler::FrozenRoster> roster = scheduler::ParseRosterJson(roster_json);
  ASSERT_TRUE(roster.ok()) << roster.status();
  EXPECT_TRUE(scheduler::VerifyDraw(draw->bundle_json(), *population, *roster).ok());

  // One enterprise's class changed in the file: the digest no longer matches.
  std::string tampered = population_csv;
  const size_t comma = tampered.find(",A,");
  ASSERT_NE(comma, std::string::npos);
  tampered[comma + 1] = 'D';
  absl::Status refused =
      scheduler::VerifyDraw(draw->bundle_json(), *scheduler::ParsePopulationCsv(tampered), *roster);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;

  // Nothing to export before the commit.
  v1::Plan draft = CreatePlan();
  EXPECT_EQ(desk_.ExportInputs(Admin(), draft.plan_id(), [](const v1::DrawInputsChunk&) {
    return true;
  }).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DrawDeskTest, EveryTeamMemberGetsTheAssignmentAndOnlyTheirOwn) {
  v1::Plan plan = CreatePlan();
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_TRUE(draw.ok()) << draw.status();
  std::map<std::string, std::set<std::string>> expected;  // inspector -> codes
  for (const v1::Team& team : draw->teams()) {
    ASSERT_EQ(team.staffing(), v1::STAFFING_STATUS_STAFFED) << team.unstaffed_reason();
    EXPECT_EQ(team.inspector_ids_size(), 2);
    for (const std::string& id : team.inspector_ids()) expected[id].insert(team.credit_code());
  }
  for (const auto& [inspector, codes] : expected) {
    v1::ListMyAssignmentsRequest request;
    request.set_page_size(1000);
    absl::StatusOr<v1::ListMyAssignmentsResponse> mine =
        board_.ListMine(InspectorCaller(inspector), request);
    ASSERT_TRUE(mine.ok()) << mine.status();
    std::set<std::string> got;
    for (const v1::Assignment& a : mine->assignments()) {
      EXPECT_EQ(a.inspector_id(), inspector);
      EXPECT_EQ(a.teammate_ids_size(), 1);
      EXPECT_THAT(a.enterprise_name(), HasSubstr("杭州测试企业"));
      EXPECT_FALSE(a.address().empty());
      ASSERT_EQ(a.items_size(), 1);
      EXPECT_EQ(a.items(0).legal_basis(), "《食品安全法》第一百一十条");
      EXPECT_EQ(a.due_date().year(), 2027);
      got.insert(a.credit_code());
    }
    EXPECT_EQ(got, codes) << inspector;
  }
}

TEST_F(DrawDeskTest, IllegalTransitionsAreFailedPrecondition) {
  v1::Plan plan = CreatePlan();
  EXPECT_EQ(Draw(plan).status().code(), absl::StatusCode::kFailedPrecondition);
  v1::ClosePlanRequest close;
  close.set_plan_id(plan.plan_id());
  EXPECT_EQ(plans_.Close(Agency(), close).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Commitment> again = Commit(plan);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("COMMITTED"));
  v1::AnnounceReplacementsRequest announce;
  announce.set_plan_id(plan.plan_id());
  announce.add_credit_codes(codes_[1]);
  announce.set_reason("已注销");
  announce.mutable_entropy_source()->set_kind("drand-quicknet");
  announce.mutable_entropy_source()->set_reference("round 99");
  EXPECT_EQ(desk_.Announce(Agency(), announce).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Draw(plan).ok());
  EXPECT_EQ(Draw(plan, "beacon-3").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(plans_.Close(Agency(), close).ok());
  EXPECT_EQ(Draw(plan).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DrawDeskTest, ARetriedDrawGetsTheFirstAnswerNotASecondDraw) {
  v1::Plan plan = CreatePlan();
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Draw> first = Draw(plan, "beacon-1", "", "req-7");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Draw> retry = Draw(plan, "beacon-1", "", "req-7");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->bundle_digest(), first->bundle_digest());
  EXPECT_EQ(Record(plan).draws_size(), 1);
  // The same id with other entropy is a different request.
  EXPECT_EQ(Draw(plan, "beacon-2", "", "req-7").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(DrawDeskTest, ACallersOwnNonceMustBeRevealedAndMatch) {
  v1::Plan plan = CreatePlan();
  const std::string nonce(64, 'a');
  ASSERT_TRUE(Commit(plan, *scheduler::NonceCommitment(nonce)).ok());
  absl::StatusOr<v1::Draw> without = Draw(plan);
  EXPECT_EQ(without.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(without.status().message(), HasSubstr("nonce"));
  EXPECT_EQ(Draw(plan, "beacon-1", std::string(64, 'b')).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<v1::Draw> draw = Draw(plan, "beacon-1", nonce);
  ASSERT_TRUE(draw.ok()) << draw.status();
  EXPECT_EQ(draw->nonce(), nonce);
}

TEST_F(DrawDeskTest, BadRequestsNameTheField) {
  v1::Plan plan = CreatePlan();
  v1::CommitPlanRequest commit;
  commit.set_plan_id(plan.plan_id());
  absl::Status s = desk_.Commit(Agency(), commit).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("entropy_source.kind"));
  commit.mutable_entropy_source()->set_kind("drand-quicknet");
  commit.set_nonce_commitment("XYZ");
  s = desk_.Commit(Agency(), commit).status();
  EXPECT_THAT(s.message(), HasSubstr("nonce_commitment"));
  commit.set_nonce_commitment("");
  commit.mutable_entropy_source()->set_kind("drand\nquicknet");  // the draw would refuse it
  s = desk_.Commit(Agency(), commit).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("entropy_source.kind"));
  ASSERT_TRUE(Commit(plan).ok());
  s = Draw(plan, "").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("entropy_value"));
}

TEST_F(DrawDeskTest, ChangesAfterTheCommitDoNotChangeTheDraw) {
  v1::Plan plan = CreatePlan();
  absl::StatusOr<v1::Commitment> c = Commit(plan);
  ASSERT_TRUE(c.ok());
  // Every class-A enterprise becomes D, a new enterprise appears, an inspector retires.
  storage::WriteBatch batch;
  for (const std::string& code : codes_) {
    v1::RiskScore score;
    score.set_credit_code(code);
    score.set_risk_class(v1::RISK_CLASS_D);
    batch.Put(ColumnFamily::kScores, code, score.SerializeAsString());
  }
  ASSERT_TRUE(store_->Write(batch).ok());
  AddInspector("HZ-M-99", "samr", "food-safety");
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_TRUE(draw.ok()) << draw.status();
  for (const v1::ClassCutoff& cut : draw->cutoffs()) {
    const std::string letter(1, scheduler::RiskClassLetter(cut.risk_class()));
    EXPECT_EQ(cut.population(), c->class_sizes().at(letter));
  }
  for (const v1::Team& team : draw->teams()) {
    for (const std::string& id : team.inspector_ids()) EXPECT_NE(id, "HZ-M-99");
  }
}

TEST_F(DrawDeskTest, AJointPlanSendsOneTeamWithEveryDepartment) {
  v1::Plan plan = CreatePlan(/*joint=*/true);
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_TRUE(draw.ok()) << draw.status();
  std::set<std::string> visited;
  for (const v1::Team& team : draw->teams()) {
    EXPECT_TRUE(visited.insert(team.credit_code()).second) << "two visits to one target";
    if (team.staffing() != v1::STAFFING_STATUS_STAFFED) {
      EXPECT_FALSE(team.unstaffed_reason().empty());
      continue;
    }
    EXPECT_EQ(team.inspector_ids_size(), 3);
    bool market = false, fire = false;
    for (const std::string& id : team.inspector_ids()) {
      market = market || absl::StartsWith(id, "HZ-M-");
      fire = fire || absl::StartsWith(id, "HZ-F-");
    }
    EXPECT_TRUE(market && fire) << team.credit_code();
  }
}

TEST_F(DrawDeskTest, AReplacementIsAnnouncedThenDrawnWithFreshEntropyAndWithdrawsTheOld) {
  v1::Plan plan = CreatePlan();
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Draw> round0 = Draw(plan);
  ASSERT_TRUE(round0.ok());
  const v1::DrawnTarget gone = round0->targets(0);
  const v1::Team& gone_team = round0->teams(0);
  ASSERT_EQ(gone_team.credit_code(), gone.credit_code());

  v1::DrawReplacementsRequest replace;
  replace.set_plan_id(plan.plan_id());
  replace.set_entropy_value("beacon-2");
  absl::Status unannounced = desk_.Replace(Agency(), replace).status();
  EXPECT_EQ(unannounced.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unannounced.message(), HasSubstr("announce"));

  v1::AnnounceReplacementsRequest announce;
  announce.set_plan_id(plan.plan_id());
  announce.add_credit_codes(gone.credit_code());
  announce.set_reason("已注销");
  *announce.mutable_entropy_source() = Record(plan).commitment().entropy_source();
  absl::Status reused_source = desk_.Announce(Agency(), announce).status();
  EXPECT_EQ(reused_source.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reused_source.message(), HasSubstr("entropy_source"));
  announce.mutable_entropy_source()->set_reference("round 12345999");
  const size_t logged = log_.entries().size();
  absl::StatusOr<v1::ReplacementAnnouncement> announced = desk_.Announce(Agency(), announce);
  ASSERT_TRUE(announced.ok()) << announced.status();
  EXPECT_EQ(announced->round(), 1);
  EXPECT_EQ(announced->nonce_commitment().size(), 64u);
  ASSERT_EQ(log_.entries().size(), logged + 1);  // logged before the entropy exists
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"kind\":\"ANNOUNCEMENT\""));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr(gone.credit_code()));
  EXPECT_EQ(desk_.Announce(Agency(), announce).status().code(),
            absl::StatusCode::kFailedPrecondition);  // one pending round at a time

  replace.set_entropy_value("beacon-1");  // round 0's value: refused
  EXPECT_EQ(desk_.Replace(Agency(), replace).status().code(), absl::StatusCode::kInvalidArgument);
  replace.set_entropy_value("beacon-2");
  replace.add_credit_codes(round0->targets(1).credit_code());  // not the announced one
  EXPECT_THAT(desk_.Replace(Agency(), replace).status().message(), HasSubstr("credit_codes"));
  replace.clear_credit_codes();
  absl::StatusOr<v1::Draw> round1 = desk_.Replace(Agency(), replace);
  ASSERT_TRUE(round1.ok()) << round1.status();
  EXPECT_EQ(round1->round(), 1);
  ASSERT_EQ(round1->targets_size(), 1);
  EXPECT_EQ(round1->targets(0).risk_class(), gone.risk_class());
  std::set<std::string> earlier;
  for (const v1::DrawnTarget& t : round0->targets()) earlier.insert(t.credit_code());
  EXPECT_EQ(earlier.count(round1->targets(0).credit_code()), 0u);
  EXPECT_NE(round1->seed(), round0->seed());
  // The round's own nonce, revealed now, matches what was announced.
  EXPECT_EQ(*scheduler::NonceCommitment(round1->nonce()), announced->nonce_commitment());
  EXPECT_TRUE(scheduler::VerifyDraw(round1->bundle_json(), Population(plan), std::nullopt).ok());

  for (const std::string& id : gone_team.inspector_ids()) {
    v1::ListMyAssignmentsRequest request;
    request.set_page_size(1000);
    absl::StatusOr<v1::ListMyAssignmentsResponse> mine = board_.ListMine(InspectorCaller(id), request);
    ASSERT_TRUE(mine.ok()) << mine.status();
    for (const v1::Assignment& a : mine->assignments()) {
      EXPECT_NE(a.credit_code(), gone.credit_code()) << "assignment not withdrawn";
    }
  }
  // Replacing it twice is refused.
  announce.mutable_entropy_source()->set_reference("round 12346999");
  absl::Status twice = desk_.Announce(Agency(), announce).status();
  EXPECT_EQ(twice.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.message(), HasSubstr("credit_codes[0]"));
}

TEST_F(DrawDeskTest, TheLastTeamIsRotatedOutOfTheNextPlan) {
  v1::Plan first = CreatePlan();
  ASSERT_TRUE(Commit(first).ok());
  absl::StatusOr<v1::Draw> draw1 = Draw(first);
  ASSERT_TRUE(draw1.ok());
  std::map<std::string, std::set<std::string>> last;
  for (const v1::Team& t : draw1->teams()) last[t.credit_code()].insert(t.inspector_ids().begin(), t.inspector_ids().end());

  v1::Plan second = CreatePlan();
  ASSERT_TRUE(Commit(second).ok());
  absl::StatusOr<v1::Draw> draw2 = Draw(second, "another-beacon");
  ASSERT_TRUE(draw2.ok());
  int overlaps = 0;
  for (const v1::Team& t : draw2->teams()) {
    auto found = last.find(t.credit_code());
    if (found == last.end()) continue;
    ++overlaps;
    for (const std::string& id : t.inspector_ids()) EXPECT_EQ(found->second.count(id), 0u);
  }
  EXPECT_GT(overlaps, 0) << "the two plans share no target: the test checks nothing";
}

TEST_F(DrawDeskTest, APlanTooLargeForOneRoundIsRefusedAtCommitAndStaysADraft) {
  storage::WriteBatch batch;
  for (int i = 0; i < kMaxTargetsPerRound; ++i) {
    v1::Enterprise e;
    e.set_credit_code(scheduler::testing::TestCreditCode(100000 + i, "330106"));
    e.set_region_code("330106");
    e.set_industry_code("F5211");
    e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
    batch.Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
  }
  ASSERT_TRUE(store_->Write(batch).ok());
  v1::CreatePlanRequest r;
  *r.mutable_plan() = CreatePlan();
  r.mutable_plan()->clear_quotas();
  v1::ClassQuota* q = r.mutable_plan()->add_quotas();
  q->set_risk_class(v1::RISK_CLASS_B);  // never scored: all of them
  q->set_ratio(1.0);
  absl::StatusOr<v1::Plan> plan = plans_.Create(Agency(), r);
  ASSERT_TRUE(plan.ok()) << plan.status();
  absl::Status s = Commit(*plan).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("plan.quotas"));
  EXPECT_EQ(Record(*plan).plan().state(), v1::PLAN_STATE_DRAFT);
  EXPECT_TRUE(log_.entries().empty());
}

}  // namespace
}  // namespace regulation::services
