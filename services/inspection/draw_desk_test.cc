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
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using testing::Admin;
using testing::Agency;
using ::testing::HasSubstr;
using testing::InspectorCaller;

class DrawDeskTest : public testing::InspectionFixture {};

TEST_F(DrawDeskTest, CommitFreezesEligibleEnterprisesWithTheirClassesAndLogsTheCommitment) {
  v1::Plan plan = CreatePlan();
  absl::StatusOr<v1::Commitment> c = Commit(plan);
  ASSERT_OK(c);
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
  EXPECT_EQ(c->commitment_digest().size(), 64u);
  ASSERT_EQ(c->entropy_sources_size(), 1);
  EXPECT_EQ(c->entropy_sources(0).source_id(), kWitness);
  EXPECT_EQ(c->min_entropy_delay_seconds(), 600);
  EXPECT_EQ(c->staffing().expected_targets() * 2, c->staffing().seats_needed());

  // Logged before any randomness: after the witness's registration, the commitment, with
  // the digest its statements will bind to and the sources.
  ASSERT_EQ(log_.entries().size(), 2u);
  EXPECT_THAT(LoggedBody(0), HasSubstr("\"kind\":\"ENTROPY_SOURCE\""));
  EXPECT_TRUE(c->logged());
  EXPECT_EQ(c->log_index(), 1);
  EXPECT_THAT(LoggedBody(1), HasSubstr("\"kind\":\"COMMITMENT\""));
  EXPECT_THAT(LoggedBody(1), HasSubstr(c->population_digest()));
  EXPECT_THAT(LoggedBody(1), HasSubstr(c->commitment_digest()));
  EXPECT_THAT(LoggedBody(1), HasSubstr("\"source_id\":\"notary-hz\""));
  EXPECT_THAT(LoggedBody(1), HasSubstr("《食品安全法》第一百一十条"));

  // GetPlan shows what the witness signs, and from when.
  absl::StatusOr<v1::Plan> got = plans_.Get(Agency(), plan.plan_id());
  ASSERT_OK(got);
  EXPECT_EQ(got->awaiting_entropy().round(), 0);
  EXPECT_EQ(got->awaiting_entropy().commitment_digest(), c->commitment_digest());
  EXPECT_EQ(*FromProtoTimestamp(got->awaiting_entropy().earliest_statement_time()),
            *FromProtoTimestamp(c->commit_time()) + absl::Minutes(10));
}

// A commitment accepted while the log is down is queued, and says so: log_index 0 is also
// the first record's index. A retry once the log is back reports where it went.
TEST_F(DrawDeskTest, ACommitmentQueuedWhileTheLogIsDownSaysItIsNotLoggedYet) {
  log_.set_available(false);
  const v1::Plan plan = CreatePlan();
  v1::CommitPlanRequest r;
  r.set_plan_id(plan.plan_id());
  r.set_request_id("commit-1");
  r.add_entropy_sources()->set_source_id(kWitness);
  absl::StatusOr<v1::Commitment> queued = desk_.Commit(Agency(), r);
  ASSERT_OK(queued);
  EXPECT_FALSE(queued->logged());
  EXPECT_EQ(log_.entries().size(), 1u);  // the witness's registration only

  log_.set_available(true);
  ASSERT_OK(publications_->Flush());
  absl::StatusOr<v1::Commitment> retried = desk_.Commit(Agency(), r);
  ASSERT_OK(retried);
  EXPECT_TRUE(retried->logged());
  EXPECT_EQ(retried->log_index(), 1);
  ASSERT_EQ(log_.entries().size(), 2u);
  EXPECT_THAT(LoggedBody(1), HasSubstr("\"kind\":\"COMMITMENT\""));
}

// The plan was valid when created, but its item has since moved to another department:
// no request can fix that, so the commit is refused as a precondition, naming the item.
TEST_F(DrawDeskTest, ACommitAfterAnItemMovedDepartmentIsAFailedPrecondition) {
  const v1::Plan plan = CreatePlan();
  AddItem("food-1", "fire", "");
  const absl::Status status = Commit(plan).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(status.message()), HasSubstr("food-1"));
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAFT);
  EXPECT_EQ(log_.entries().size(), 1u);  // nothing after the witness's registration
}

TEST_F(DrawDeskTest, TheDrawVerifiesAgainstTheFrozenPopulationAndRoster) {
  v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAWN);
  EXPECT_GT(draw->targets_size(), 0);

  const internal::PlanRecord record = Record(plan);
  scheduler::VerifySummary summary;
  absl::Status verified =
      scheduler::VerifyDraw(draw->bundle_json(), Population(plan),
                            *scheduler::ParseRosterJson(record.frozen_roster_json()), &summary);
  ASSERT_OK(verified);
  EXPECT_TRUE(summary.population_checked);
  EXPECT_TRUE(summary.roster_checked);
  EXPECT_EQ(summary.targets, draw->targets_size());
  EXPECT_EQ(summary.bundle_digest, draw->bundle_digest());

  // The sealed nonce is revealed and matches the commitment.
  EXPECT_EQ(*scheduler::NonceCommitment(draw->nonce()), record.commitment().nonce_commitment());
  // The draw is logged after the commitment, with the statement it used.
  ASSERT_EQ(log_.entries().size(), 3u);
  EXPECT_THAT(LoggedBody(2), HasSubstr(draw->bundle_digest()));
  EXPECT_THAT(LoggedBody(2), HasSubstr("regulation.entropy-statement.v1"));
  ASSERT_EQ(draw->statements_size(), 1);
  EXPECT_EQ(draw->commitment_digest(), record.commitment().commitment_digest());

  // Each target carries the probability its class was drawn with: selected / class size,
  // the class size frozen at commit.
  for (const v1::DrawnTarget& t : draw->targets()) {
    const v1::ClassCutoff& c = draw->cutoffs(t.risk_class() - 1);
    ASSERT_EQ(c.risk_class(), t.risk_class());
    const std::string letter(1, static_cast<char>('A' + t.risk_class() - 1));
    EXPECT_EQ(c.population(), record.commitment().class_sizes().at(letter))
        << "the class size is the one frozen at commit";
    EXPECT_DOUBLE_EQ(t.inclusion_probability(),
                     static_cast<double>(c.selected()) / static_cast<double>(c.population()));
    EXPECT_GT(t.inclusion_probability(), 0);
    EXPECT_LE(t.inclusion_probability(), 1);
  }
}

TEST_F(DrawDeskTest, AnAuditorsExportedFilesVerifyTheDrawAndATamperedOneDoesNot) {
  v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
  std::string roster_json, population_csv;
  int chunks = 0;
  v1::ExportDrawInputsRequest export_request;
  export_request.set_plan_id(plan.plan_id());
  absl::Status exported = desk_.ExportInputs(Admin(), export_request, [&](const v1::DrawInputsChunk& c) {
    ++chunks;
    roster_json += c.roster_json();
    population_csv += c.population_csv();
    return true;
  });
  ASSERT_OK(exported);
  EXPECT_EQ(chunks, 1);
  absl::StatusOr<scheduler::FrozenPopulation> population =
      scheduler::ParsePopulationCsv(population_csv);
  ASSERT_OK(population);
  absl::StatusOr<scheduler::FrozenRoster> roster = scheduler::ParseRosterJson(roster_json);
  ASSERT_OK(roster);
  EXPECT_OK(scheduler::VerifyDraw(draw->bundle_json(), *population, *roster));

  // One enterprise's class changed in the file: the digest no longer matches.
  std::string tampered = population_csv;
  const size_t comma = tampered.find(",A,");
  ASSERT_NE(comma, std::string::npos);
  tampered[comma + 1] = 'D';
  absl::Status refused =
      scheduler::VerifyDraw(draw->bundle_json(), *scheduler::ParsePopulationCsv(tampered), *roster);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));

  // Nothing to export before the commit.
  v1::Plan draft = CreatePlan();
  export_request.set_plan_id(draft.plan_id());
  EXPECT_THAT(
      desk_.ExportInputs(Admin(), export_request, [](const v1::DrawInputsChunk&) { return true; }),
      StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(DrawDeskTest, EveryTeamMemberGetsTheAssignmentAndOnlyTheirOwn) {
  v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
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
    ASSERT_OK(mine);
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

TEST_F(DrawDeskTest, AnInspectorFiltersTheirOwnAssignmentsByPlanAndSeesNoOnesElse) {
  v1::Plan plan = CreatePlan();
  ASSERT_TRUE(Commit(plan).ok());
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_TRUE(draw.ok()) << draw.status();
  ASSERT_FALSE(draw->teams().empty());
  const std::string inspector = draw->teams(0).inspector_ids(0);
  v1::ListMyAssignmentsRequest request;
  request.set_page_size(1000);
  request.set_plan_id(plan.plan_id());
  absl::StatusOr<v1::ListMyAssignmentsResponse> mine =
      board_.ListMine(InspectorCaller(inspector), request);
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_FALSE(mine->assignments().empty());
  for (const v1::Assignment& a : mine->assignments()) {
    EXPECT_EQ(a.inspector_id(), inspector);
    EXPECT_EQ(a.plan_id(), plan.plan_id());
  }
  request.set_plan_id("no-such-plan");
  mine = board_.ListMine(InspectorCaller(inspector), request);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_TRUE(mine->assignments().empty());
  // A '/' cannot reach past the plan into someone else's keys.
  request.set_plan_id(absl::StrCat(plan.plan_id(), "/../.."));
  EXPECT_EQ(board_.ListMine(InspectorCaller(inspector), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DrawDeskTest, IllegalTransitionsAreFailedPrecondition) {
  v1::Plan plan = CreatePlan();
  EXPECT_THAT(Draw(plan), StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::ClosePlanRequest close;
  close.set_plan_id(plan.plan_id());
  EXPECT_THAT(plans_.Close(Agency(), close), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Commitment> again = Commit(plan);
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("COMMITTED")));
  EXPECT_THAT(Announce(plan, {codes_[1]}), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK(Draw(plan));
  EXPECT_THAT(Draw(plan, "beacon-3"), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(plans_.Close(Agency(), close));
  EXPECT_THAT(Draw(plan), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(DrawDeskTest, ARetriedDrawGetsTheFirstAnswerNotASecondDraw) {
  v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  WaitForEntropy();
  v1::DrawPlanRequest request;
  request.set_plan_id(plan.plan_id());
  request.set_request_id("req-7");
  *request.add_statements() = Statement(plan, 0, "beacon-1", witness_);
  absl::StatusOr<v1::Draw> first = desk_.Draw(Agency(), request);
  ASSERT_OK(first);
  absl::StatusOr<v1::Draw> retry = desk_.Draw(Agency(), request);
  ASSERT_OK(retry);
  EXPECT_EQ(retry->bundle_digest(), first->bundle_digest());
  EXPECT_EQ(Record(plan).draws_size(), 1);
  // The same id with another statement is a different request.
  *request.mutable_statements(0) = Statement(plan, 0, "beacon-2", witness_);
  EXPECT_THAT(desk_.Draw(Agency(), request), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(DrawDeskTest, ACallersOwnNonceMustBeRevealedAndMatch) {
  v1::Plan plan = CreatePlan();
  const std::string nonce(64, 'a');
  ASSERT_OK(Commit(plan, *scheduler::NonceCommitment(nonce)));
  absl::StatusOr<v1::Draw> without = Draw(plan);
  EXPECT_THAT(without, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("nonce")));
  EXPECT_THAT(Draw(plan, "beacon-1", std::string(64, 'b')),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  absl::StatusOr<v1::Draw> draw = Draw(plan, "beacon-1", nonce);
  ASSERT_OK(draw);
  EXPECT_EQ(draw->nonce(), nonce);
}

TEST_F(DrawDeskTest, BadRequestsNameTheField) {
  v1::Plan plan = CreatePlan();
  v1::CommitPlanRequest commit;
  commit.set_plan_id(plan.plan_id());
  absl::Status s = desk_.Commit(Agency(), commit).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("entropy_sources")));
  commit.add_entropy_sources()->set_source_id(kWitness);
  commit.set_nonce_commitment("XYZ");
  s = desk_.Commit(Agency(), commit).status();
  EXPECT_THAT(s.message(), HasSubstr("nonce_commitment"));
  commit.set_nonce_commitment("");
  // regulation.draw.v1's free-text source is refused, saying what to do instead.
  commit.mutable_entropy_source()->set_kind("drand-quicknet");
  s = desk_.Commit(Agency(), commit).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("entropy_source: no longer accepted")));
  EXPECT_THAT(s.message(), HasSubstr("RegisterEntropySource"));
  ASSERT_OK(Commit(plan));

  v1::DrawPlanRequest draw;
  draw.set_plan_id(plan.plan_id());
  s = desk_.Draw(Agency(), draw).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("statements")));
  // A bare value, as v1 took it: refused.
  draw.set_entropy_value("beacon-1");
  s = desk_.Draw(Agency(), draw).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("entropy_value: no longer accepted")));
  draw.clear_entropy_value();
  draw.add_statements()->set_source_id(kWitness);  // no evidence
  s = desk_.Draw(Agency(), draw).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("statements[0]")));
}

TEST_F(DrawDeskTest, ChangesAfterTheCommitDoNotChangeTheDraw) {
  v1::Plan plan = CreatePlan();
  absl::StatusOr<v1::Commitment> c = Commit(plan);
  ASSERT_OK(c);
  // Every class-A enterprise becomes D, a new enterprise appears, an inspector retires.
  storage::WriteBatch batch;
  for (const std::string& code : codes_) {
    v1::RiskScore score;
    score.set_credit_code(code);
    score.set_risk_class(v1::RISK_CLASS_D);
    batch.Put(ColumnFamily::kScores, code, score.SerializeAsString());
  }
  ASSERT_OK(store_->Write(batch));
  AddInspector("HZ-M-99", "samr", "food-safety");
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
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
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
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
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> round0 = Draw(plan);
  ASSERT_OK(round0);
  const v1::DrawnTarget gone = round0->targets(0);
  const v1::Team& gone_team = round0->teams(0);
  ASSERT_EQ(gone_team.credit_code(), gone.credit_code());

  absl::Status unannounced = Replace(plan).status();
  EXPECT_THAT(unannounced, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("announce")));

  const size_t logged = log_.entries().size();
  absl::StatusOr<v1::ReplacementAnnouncement> announced = Announce(plan, {gone.credit_code()});
  ASSERT_OK(announced);
  EXPECT_EQ(announced->round(), 1);
  EXPECT_EQ(announced->nonce_commitment().size(), 64u);
  EXPECT_NE(announced->nonce_commitment(), Record(plan).commitment().nonce_commitment());
  EXPECT_NE(announced->commitment_digest(), Record(plan).commitment().commitment_digest());
  ASSERT_EQ(log_.entries().size(), logged + 1);  // logged before the entropy exists
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"kind\":\"ANNOUNCEMENT\""));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr(gone.credit_code()));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr(announced->commitment_digest()));
  EXPECT_THAT(Announce(plan, {gone.credit_code()}),
              StatusIs(absl::StatusCode::kFailedPrecondition));  // one pending round at a time
  absl::StatusOr<v1::Plan> got = plans_.Get(Agency(), plan.plan_id());
  EXPECT_EQ(got->awaiting_entropy().round(), 1);
  EXPECT_EQ(got->awaiting_entropy().commitment_digest(), announced->commitment_digest());

  WaitForEntropy();
  v1::DrawReplacementsRequest replace;
  replace.set_plan_id(plan.plan_id());
  // Round 0's statement, replayed: bound to round 0 and its commitment.
  *replace.add_statements() = round0->statements(0);
  absl::Status replayed = desk_.Replace(Agency(), replace).status();
  EXPECT_THAT(replayed, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(replayed.message(), HasSubstr("notary-hz"));
  *replace.mutable_statements(0) = Statement(plan, 1, "round-1", witness_);
  replace.add_credit_codes(round0->targets(1).credit_code());  // not the announced one
  EXPECT_THAT(desk_.Replace(Agency(), replace).status().message(), HasSubstr("credit_codes"));
  replace.clear_credit_codes();
  absl::StatusOr<v1::Draw> round1 = desk_.Replace(Agency(), replace);
  ASSERT_OK(round1);
  EXPECT_EQ(round1->round(), 1);
  ASSERT_EQ(round1->targets_size(), 1);
  EXPECT_EQ(round1->targets(0).risk_class(), gone.risk_class());
  // A replacement is not part of the sampling design.
  EXPECT_EQ(round1->targets(0).inclusion_probability(), 0);
  EXPECT_GT(gone.inclusion_probability(), 0);
  std::set<std::string> earlier;
  for (const v1::DrawnTarget& t : round0->targets()) earlier.insert(t.credit_code());
  EXPECT_EQ(earlier.count(round1->targets(0).credit_code()), 0u);
  EXPECT_NE(round1->seed(), round0->seed());
  EXPECT_EQ(round1->commitment_digest(), announced->commitment_digest());
  // The round's own nonce, revealed now, matches what was announced.
  EXPECT_EQ(*scheduler::NonceCommitment(round1->nonce()), announced->nonce_commitment());
  EXPECT_OK(scheduler::VerifyDraw(round1->bundle_json(), Population(plan), std::nullopt));
  // And the chain to round 0 holds.
  scheduler::VerifyContext chain;
  chain.previous_bundle = round0->bundle_json();
  absl::Status chained =
      scheduler::VerifyDraw(round1->bundle_json(), std::nullopt, std::nullopt, nullptr, chain);
  EXPECT_OK(chained);

  for (const std::string& id : gone_team.inspector_ids()) {
    v1::ListMyAssignmentsRequest request;
    request.set_page_size(1000);
    absl::StatusOr<v1::ListMyAssignmentsResponse> mine = board_.ListMine(InspectorCaller(id), request);
    ASSERT_OK(mine);
    for (const v1::Assignment& a : mine->assignments()) {
      EXPECT_NE(a.credit_code(), gone.credit_code()) << "assignment not withdrawn";
    }
  }
  // Replacing it twice is refused.
  absl::Status twice = Announce(plan, {gone.credit_code()}).status();
  EXPECT_THAT(twice, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("credit_codes[0]")));
}

TEST_F(DrawDeskTest, TheLastTeamIsRotatedOutOfTheNextPlan) {
  v1::Plan first = CreatePlan();
  ASSERT_OK(Commit(first));
  absl::StatusOr<v1::Draw> draw1 = Draw(first);
  ASSERT_OK(draw1);
  std::map<std::string, std::set<std::string>> last;
  for (const v1::Team& t : draw1->teams()) last[t.credit_code()].insert(t.inspector_ids().begin(), t.inspector_ids().end());

  v1::Plan second = CreatePlan();
  ASSERT_OK(Commit(second));
  absl::StatusOr<v1::Draw> draw2 = Draw(second, "another-beacon");
  ASSERT_OK(draw2);
  int overlaps = 0;
  for (const v1::Team& t : draw2->teams()) {
    auto found = last.find(t.credit_code());
    if (found == last.end()) continue;
    ++overlaps;
    for (const std::string& id : t.inspector_ids()) EXPECT_EQ(found->second.count(id), 0u);
  }
  EXPECT_GT(overlaps, 0) << "the two plans share no target: the test checks nothing";
}

TEST_F(DrawDeskTest, APlanOfMoreThanFiveThousandTargetsCommits) {
  // The old per-round cap (5,000) is gone: a plan of any size commits and draws in parts.
  storage::WriteBatch batch;
  for (int i = 0; i < 6000; ++i) {
    v1::Enterprise e;
    e.set_credit_code(scheduler::testing::TestCreditCode(100000 + i, "330106"));
    e.set_region_code("330106");
    e.set_industry_code("F5211");
    e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
    batch.Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
  }
  ASSERT_OK(store_->Write(batch));
  v1::CreatePlanRequest r;
  *r.mutable_plan() = CreatePlan();
  r.mutable_plan()->clear_quotas();
  v1::ClassQuota* q = r.mutable_plan()->add_quotas();
  q->set_risk_class(v1::RISK_CLASS_B);  // never scored: all of them
  q->set_ratio(1.0);
  absl::StatusOr<v1::Plan> plan = plans_.Create(Agency(), r);
  ASSERT_OK(plan);
  absl::StatusOr<v1::Commitment> c = Commit(*plan, "", /*allow_unstaffed=*/true);
  ASSERT_OK(c);
  EXPECT_GT(c->staffing().expected_targets(), 5000);
  EXPECT_EQ(Record(*plan).plan().state(), v1::PLAN_STATE_COMMITTED);
}

}  // namespace
}  // namespace regulation::services
