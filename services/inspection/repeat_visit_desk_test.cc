// No repeated visits, recusal requests and an enterprise's own draws, through the desks
// over an in-memory store: a second plan committed within the window excludes what the
// first drew (and verify-draw re-checks it from the first bundle); a granted recusal is
// frozen into the plan and honoured by the teams; requests after the commit are refused;
// an enterprise lists only its own draws. A window in JOIN mode excludes nobody: the
// targets the first plan drew are joint visits, and both plans' assignments name the other
// plan's team. A window may now be combined with dishonest_list_policy ALWAYS.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/visit.pb.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/roster_json.h"
#include "scheduler/verify_draw.h"
#include "services/inspection/enterprise_draws.h"
#include "services/inspection/recusal_desk.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using testing::Admin;
using testing::Agency;
using ::testing::HasSubstr;

access::Caller Enterprise(const std::string& code) {
  access::Caller c;
  c.roles = {access::Role::kEnterprise};
  c.subject = absl::StrCat("enterprise-", code);
  c.credit_code = code;
  return c;
}

class RepeatVisitDeskTest : public testing::InspectionFixture {
 protected:
  RepeatVisitDeskTest()
      : recusals_(store_.get(), &plans_, &roster_, &clock_),
        archive_(store_.get(), DrawArchive::Options()),
        mine_(store_.get(), &archive_, publications_.get()) {}

  static std::set<std::string> Targets(const v1::Draw& draw) {
    std::set<std::string> out;
    for (const v1::DrawnTarget& t : draw.targets()) out.insert(t.credit_code());
    return out;
  }

  v1::Plan PlanWithWindow(int days, v1::RepeatVisitScope scope = v1::REPEAT_VISIT_SCOPE_DEPARTMENT) {
    return CreatePlan(false, [&](v1::Plan* p) {
      p->set_no_repeat_window_days(days);
      p->set_no_repeat_scope(scope);
    });
  }

  // A plan drawn, then a plan in JOIN mode over every enterprise of the region, so that
  // every target of the first is drawn again as a joint visit.
  struct JoinedPlans {
    v1::Plan first;
    v1::Draw drawn;
    v1::Plan second;
    v1::Draw joined;
  };
  void DrawJoinedPlans(JoinedPlans* out) {
    out->first = CreatePlan();
    ASSERT_OK(Commit(out->first));
    ASSERT_OK_AND_ASSIGN(out->drawn, Draw(out->first));
    clock_.Advance(absl::Hours(24) * 3);
    out->second = CreatePlan(false, [](v1::Plan* p) {
      p->set_no_repeat_window_days(30);
      p->set_no_repeat_mode(v1::REPEAT_VISIT_MODE_JOIN);
      for (v1::ClassQuota& q : *p->mutable_quotas()) q.set_ratio(1.0);
    });
    absl::StatusOr<v1::Commitment> c = Commit(out->second, "", /*allow_unstaffed=*/true);
    ASSERT_OK(c);
    EXPECT_EQ(c->repeat_rounds_considered(), 1);
    EXPECT_EQ(Record(out->second).visit_rules().mode(), "join");
    ASSERT_OK_AND_ASSIGN(out->joined, Draw(out->second, "beacon-2"));
  }

  // Targets both plans' teams staffed, in code order.
  static std::vector<std::pair<v1::Team, v1::Team>> JointlyStaffed(const JoinedPlans& plans) {
    std::map<std::string, v1::Team> first;
    for (const v1::Team& t : plans.drawn.teams()) first[t.credit_code()] = t;
    std::vector<std::pair<v1::Team, v1::Team>> out;
    for (const v1::Team& t : plans.joined.teams()) {
      auto earlier = first.find(t.credit_code());
      if (t.has_joint_visit() && earlier != first.end() &&
          t.staffing() == v1::STAFFING_STATUS_STAFFED &&
          earlier->second.staffing() == v1::STAFFING_STATUS_STAFFED) {
        out.emplace_back(earlier->second, t);
      }
    }
    return out;
  }

  absl::StatusOr<v1::Recusal> AskRecusal(const v1::Plan& plan, const std::string& code,
                                         const std::string& inspector) {
    v1::RequestRecusalRequest r;
    r.set_plan_id(plan.plan_id());
    r.set_inspector_id(inspector);
    r.set_grounds("该执法人员的近亲属在本企业任职");
    return recusals_.Request(Enterprise(code), r);
  }

  absl::StatusOr<v1::Recusal> DecideRecusal(const v1::Plan& plan, const std::string& id,
                                            bool grant) {
    v1::DecideRecusalRequest r;
    r.set_plan_id(plan.plan_id());
    r.set_recusal_id(id);
    r.set_grant(grant);
    r.set_reason(grant ? "回避理由成立" : "理由不成立");
    return recusals_.Decide(Agency(), r);
  }

  RecusalDesk recusals_;
  DrawArchive archive_;
  EnterpriseDraws mine_;
};

TEST_F(RepeatVisitDeskTest, ASecondPlanWithinTheWindowExcludesWhatTheFirstDrewAndVerifies) {
  const v1::Plan first = CreatePlan();
  ASSERT_OK(Commit(first));
  absl::StatusOr<v1::Draw> drawn = Draw(first);
  ASSERT_OK(drawn);
  const std::set<std::string> visited = Targets(*drawn);
  ASSERT_FALSE(visited.empty());

  clock_.Advance(absl::Hours(24) * 3);
  const v1::Plan second = PlanWithWindow(30);
  absl::StatusOr<v1::Commitment> c = Commit(second);
  ASSERT_OK(c);
  EXPECT_EQ(c->repeat_rounds_considered(), 1);
  EXPECT_EQ(c->repeat_excluded(), static_cast<int>(visited.size()));
  absl::StatusOr<v1::Draw> again = Draw(second, "beacon-2");
  ASSERT_OK(again);
  for (const std::string& code : Targets(*again)) {
    EXPECT_EQ(visited.count(code), 0u) << code << " visited twice within 30 days";
  }
  // Anyone re-checks the excluded set from the first plan's published bundle.
  scheduler::VerifyContext context;
  context.earlier_bundles = std::vector<std::string>{drawn->bundle_json()};
  scheduler::VerifySummary summary;
  const internal::PlanRecord record = Record(second);
  ASSERT_OK(scheduler::VerifyDraw(again->bundle_json(), Population(second),
                                  *scheduler::ParseRosterJson(record.frozen_roster_json()),
                                  &summary, context));
  EXPECT_TRUE(summary.repeat_checked);
  absl::StatusOr<scheduler::DrawBundle> bundle = scheduler::ParseBundleJson(again->bundle_json());
  ASSERT_OK(bundle);
  ASSERT_TRUE(bundle->plan.no_repeat.has_value());
  ASSERT_EQ(bundle->plan.no_repeat->considered.size(), 1u);
  EXPECT_EQ(bundle->plan.no_repeat->considered[0].bundle_digest, drawn->bundle_digest());
  EXPECT_EQ(bundle->plan.no_repeat->considered[0].plan_id, first.plan_id());
}

TEST_F(RepeatVisitDeskTest, RoundsBeforeTheWindowDoNotCount) {
  const v1::Plan first = CreatePlan();
  ASSERT_OK(Commit(first));
  ASSERT_OK(Draw(first));
  clock_.Advance(absl::Hours(24) * 40);
  const v1::Plan second = PlanWithWindow(30, v1::REPEAT_VISIT_SCOPE_ALL);
  absl::StatusOr<v1::Commitment> c = Commit(second);
  ASSERT_OK(c);
  EXPECT_EQ(c->repeat_rounds_considered(), 0);
  EXPECT_EQ(c->repeat_excluded(), 0);
  // A plan without a window has no rule at all: its digest is what it always was.
  const v1::Plan third = CreatePlan();
  ASSERT_OK(Commit(third));
  EXPECT_FALSE(Record(third).visit_rules().window_days() > 0);
}

TEST_F(RepeatVisitDeskTest, ATargetedPlanCannotHaveAWindow) {
  v1::CreatePlanRequest r;
  r.mutable_plan()->set_kind(v1::PLAN_KIND_TARGETED);
  r.mutable_plan()->set_no_repeat_window_days(400);
  EXPECT_THAT(plans_.Create(Agency(), r).status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RepeatVisitDeskTest, AGrantedRecusalIsFrozenIntoThePlanAndHonouredByTheTeams) {
  const v1::Plan plan = CreatePlan();
  // Enterprise 1 asks that ten of the twelve food inspectors step aside: if it is drawn,
  // its team can only be the other two.
  const std::string code = codes_[1];
  std::set<std::string> recused;
  for (int i = 0; i < 10; ++i) {
    const std::string inspector = absl::StrCat("HZ-M-", i);
    absl::StatusOr<v1::Recusal> asked = AskRecusal(plan, code, inspector);
    ASSERT_OK(asked);
    EXPECT_EQ(asked->state(), v1::RECUSAL_STATE_REQUESTED);
    EXPECT_EQ(asked->recusal_id(), absl::StrFormat("RC-%04d", i + 1));
    ASSERT_OK(DecideRecusal(plan, asked->recusal_id(), i != 9));  // the last one refused
    if (i != 9) recused.insert(inspector);
  }
  // Asking twice for the same inspector while pending or granted is refused.
  EXPECT_THAT(AskRecusal(plan, code, "HZ-M-0").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // An unknown inspector, another enterprise's code.
  EXPECT_THAT(AskRecusal(plan, code, "NOBODY").status(), StatusIs(absl::StatusCode::kNotFound));
  v1::RequestRecusalRequest other;
  other.set_plan_id(plan.plan_id());
  other.set_inspector_id("HZ-M-1");
  other.set_grounds("x");
  other.set_credit_code(codes_[2]);
  EXPECT_THAT(recusals_.Request(Enterprise(code), other).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));

  absl::StatusOr<v1::Commitment> c = Commit(plan);
  ASSERT_OK(c);
  EXPECT_EQ(c->recusals_granted(), 9);
  // After the commit the inputs are fixed: no request, no decision.
  EXPECT_THAT(AskRecusal(plan, code, "HZ-M-11").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("before the plan is committed")));
  EXPECT_THAT(DecideRecusal(plan, "RC-0010", true).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  absl::StatusOr<v1::Draw> drawn = Draw(plan);
  ASSERT_OK(drawn);
  for (const v1::Team& team : drawn->teams()) {
    if (team.credit_code() != code) continue;
    for (const std::string& id : team.inspector_ids()) {
      EXPECT_EQ(recused.count(id), 0u) << id << " was recused";
    }
  }
  // Published by reference: ids, code and inspector, never the grounds.
  EXPECT_THAT(drawn->bundle_json(), HasSubstr("\"recusals\":[{\"request_id\":\"RC-0001\""));
  EXPECT_THAT(drawn->bundle_json(), ::testing::Not(HasSubstr("近亲属")));
  EXPECT_THAT(drawn->bundle_json(), ::testing::Not(HasSubstr("RC-0010")));  // refused
  const internal::PlanRecord record = Record(plan);
  EXPECT_OK(scheduler::VerifyDraw(drawn->bundle_json(), Population(plan),
                                  *scheduler::ParseRosterJson(record.frozen_roster_json())));

  // The enterprise sees its own requests, with the decisions.
  v1::ListRecusalsRequest list;
  absl::StatusOr<v1::ListRecusalsResponse> own = recusals_.List(Enterprise(code), list);
  ASSERT_OK(own);
  EXPECT_EQ(own->recusals_size(), 10);
  absl::StatusOr<v1::ListRecusalsResponse> none = recusals_.List(Enterprise(codes_[2]), list);
  ASSERT_OK(none);
  EXPECT_EQ(none->recusals_size(), 0);
}

TEST_F(RepeatVisitDeskTest, AnEnterpriseListsOnlyItsOwnDraws) {
  const v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> drawn = Draw(plan);
  ASSERT_OK(drawn);
  const std::set<std::string> drawn_codes = Targets(*drawn);
  std::string in, out;
  for (const std::string& code : codes_) {
    if (drawn_codes.count(code) > 0 && in.empty()) in = code;
    if (drawn_codes.count(code) == 0 && out.empty()) out = code;
  }
  ASSERT_FALSE(in.empty());
  ASSERT_FALSE(out.empty());
  v1::ListMyDrawsRequest request;
  request.set_credit_code(out);  // ignored: an enterprise's certificate names its own code
  absl::StatusOr<v1::ListMyDrawsResponse> mine = mine_.List(Enterprise(in), request);
  ASSERT_OK(mine);
  ASSERT_EQ(mine->draws_size(), 1);
  const v1::EnterpriseDraw& d = mine->draws(0);
  EXPECT_EQ(d.plan_id(), plan.plan_id());
  EXPECT_EQ(d.round(), 0);
  EXPECT_EQ(d.round_kind(), "draw");
  EXPECT_EQ(d.bundle_digest(), drawn->bundle_digest());
  EXPECT_GT(d.log_index(), 0);
  // What its self-check needs is there: the ticket under the bundle's seed checks.
  absl::StatusOr<scheduler::OwnTicketCheck> check =
      scheduler::VerifyOwnTicket(drawn->bundle_json(), in, 0);
  ASSERT_OK(check);
  EXPECT_EQ(check->ticket, d.ticket());
  EXPECT_TRUE(check->listed);
  absl::StatusOr<v1::ListMyDrawsResponse> not_drawn = mine_.List(Enterprise(out), request);
  ASSERT_OK(not_drawn);
  EXPECT_EQ(not_drawn->draws_size(), 0);
  // An admin names any code.
  request.set_credit_code(in);
  absl::StatusOr<v1::ListMyDrawsResponse> admin = mine_.List(Admin(), request);
  ASSERT_OK(admin);
  EXPECT_EQ(admin->draws_size(), 1);
}

TEST_F(RepeatVisitDeskTest, AJoinWindowMarksJointVisitsAndBothPlansAssignmentsNameEachOther) {
  JoinedPlans plans;
  ASSERT_NO_FATAL_FAILURE(DrawJoinedPlans(&plans));
  const v1::Plan& first = plans.first;
  const v1::Plan& second = plans.second;
  const v1::Draw* drawn = &plans.drawn;
  const v1::Draw* joined = &plans.joined;
  const std::set<std::string> earlier = Targets(*drawn);
  EXPECT_TRUE(std::includes(Targets(*joined).begin(), Targets(*joined).end(), earlier.begin(),
                            earlier.end()));  // nothing excluded
  std::map<std::string, v1::Team> first_teams;
  for (const v1::Team& t : drawn->teams()) first_teams[t.credit_code()] = t;
  int both_staffed = 0;
  for (const v1::Team& team : joined->teams()) {
    ASSERT_EQ(team.has_joint_visit(), earlier.count(team.credit_code()) > 0) << team.credit_code();
    if (!team.has_joint_visit()) continue;
    EXPECT_EQ(team.joint_visit().plan_id(), first.plan_id());
    EXPECT_EQ(team.joint_visit().round(), 0);
    EXPECT_EQ(team.joint_visit().bundle_digest(), drawn->bundle_digest());
    const v1::Team& partner = first_teams[team.credit_code()];
    if (team.staffing() != v1::STAFFING_STATUS_STAFFED ||
        partner.staffing() != v1::STAFFING_STATUS_STAFFED) {
      continue;
    }
    ++both_staffed;
    // This plan's assignment names the earlier team, its assignments and its due date.
    absl::StatusOr<v1::Assignment> mine =
        board_.Find(team.inspector_ids(0), second.plan_id(), team.credit_code());
    ASSERT_OK(mine);
    EXPECT_EQ(mine->joint_partner().visit().plan_id(), first.plan_id());
    EXPECT_THAT(mine->joint_partner().inspector_ids(),
                ::testing::ElementsAreArray(partner.inspector_ids()));
    EXPECT_EQ(mine->joint_partner().assignment_ids(0),
              absl::StrCat(first.plan_id(), "/", team.credit_code(), "/", partner.inspector_ids(0)));
    EXPECT_EQ(mine->joint_partner().due_date().year(), first.due_date().year());
    // The earlier plan's assignments name this plan's team, once.
    absl::StatusOr<v1::Assignment> theirs =
        board_.Find(partner.inspector_ids(0), first.plan_id(), team.credit_code());
    ASSERT_OK(theirs);
    ASSERT_EQ(theirs->joined_by_size(), 1);
    EXPECT_EQ(theirs->joined_by(0).visit().plan_id(), second.plan_id());
    EXPECT_EQ(theirs->joined_by(0).visit().bundle_digest(), joined->bundle_digest());
    EXPECT_THAT(theirs->joined_by(0).inspector_ids(),
                ::testing::ElementsAreArray(team.inspector_ids()));
    // What a published result of either plan says: a joint visit with the other.
    EXPECT_THAT(*board_.JointPlansOf(first.plan_id(), team.credit_code()),
                ::testing::ElementsAre(second.plan_id()));
    EXPECT_THAT(*board_.JointPlansOf(second.plan_id(), team.credit_code()),
                ::testing::ElementsAre(first.plan_id()));
  }
  EXPECT_GT(both_staffed, 0);
  // The bundle's marks re-check, alone and against the first plan's bundle.
  scheduler::VerifyContext context;
  context.earlier_bundles = std::vector<std::string>{drawn->bundle_json()};
  const internal::PlanRecord record = Record(second);
  EXPECT_OK(scheduler::VerifyDraw(joined->bundle_json(), Population(second),
                                  *scheduler::ParseRosterJson(record.frozen_roster_json()),
                                  nullptr, context));
  // A plan drawn alone has no joint visit.
  for (const v1::Team& t : drawn->teams()) {
    EXPECT_TRUE(board_.JointPlansOf(first.plan_id(), t.credit_code()).ok());
    EXPECT_FALSE(t.has_joint_visit());
  }
}

// A replacement ends a joint visit on both plans' lists: the earlier plan's team is no
// longer told that a withdrawn later team joins it, and a later team whose earlier
// partner was withdrawn visits alone (and its result names no joint visit).
TEST_F(RepeatVisitDeskTest, AReplacedJointTargetEndsTheJointVisitOnBothLists) {
  JoinedPlans plans;
  ASSERT_NO_FATAL_FAILURE(DrawJoinedPlans(&plans));
  const std::vector<std::pair<v1::Team, v1::Team>> pairs = JointlyStaffed(plans);
  ASSERT_GE(pairs.size(), 2u);
  const auto& [first_team, later_team] = pairs[0];
  const std::string code = first_team.credit_code();
  ASSERT_EQ(board_.Find(first_team.inspector_ids(0), plans.first.plan_id(), code)->joined_by_size(), 1);

  // The later plan replaces the target: the earlier team's assignments lose the entry.
  ASSERT_OK(Announce(plans.second, {code}));
  ASSERT_OK(Replace(plans.second));
  EXPECT_THAT(board_.Find(later_team.inspector_ids(0), plans.second.plan_id(), code),
              StatusIs(absl::StatusCode::kNotFound));
  for (const std::string& inspector : first_team.inspector_ids()) {
    absl::StatusOr<v1::Assignment> a = board_.Find(inspector, plans.first.plan_id(), code);
    ASSERT_OK(a);
    EXPECT_EQ(a->joined_by_size(), 0) << inspector;
  }
  EXPECT_THAT(*board_.JointPlansOf(plans.first.plan_id(), code), ::testing::IsEmpty());

  // The earlier plan replaces another joint target: the later team visits alone.
  const auto& [other_first, other_later] = pairs[1];
  const std::string other = other_first.credit_code();
  ASSERT_TRUE(
      board_.Find(other_later.inspector_ids(0), plans.second.plan_id(), other)->has_joint_partner());
  ASSERT_OK(Announce(plans.first, {other}));
  ASSERT_OK(Replace(plans.first));
  for (const std::string& inspector : other_later.inspector_ids()) {
    absl::StatusOr<v1::Assignment> a = board_.Find(inspector, plans.second.plan_id(), other);
    ASSERT_OK(a);
    EXPECT_FALSE(a->has_joint_partner()) << inspector;
  }
  EXPECT_THAT(*board_.JointPlansOf(plans.second.plan_id(), other), ::testing::IsEmpty());
  // The other joint visits are untouched.
  for (size_t i = 2; i < pairs.size(); ++i) {
    const std::string c = pairs[i].first.credit_code();
    EXPECT_THAT(*board_.JointPlansOf(plans.first.plan_id(), c),
                ::testing::ElementsAre(plans.second.plan_id()));
  }
}

TEST_F(RepeatVisitDeskTest, AModeNeedsAWindowAndAWindowCombinesWithAlways) {
  // The fixture's plan, as created, with a mode but no window.
  v1::CreatePlanRequest r;
  v1::Plan* p = r.mutable_plan();
  const v1::Plan valid = CreatePlan();
  p->set_title(valid.title());
  *p->mutable_departments() = valid.departments();
  *p->mutable_item_ids() = valid.item_ids();
  *p->mutable_population() = valid.population();
  *p->mutable_quotas() = valid.quotas();
  p->set_team_size(valid.team_size());
  p->set_workload_cap(valid.workload_cap());
  *p->mutable_due_date() = valid.due_date();
  ASSERT_OK(plans_.Create(Agency(), r));  // the copy is valid
  p->set_no_repeat_mode(v1::REPEAT_VISIT_MODE_JOIN);
  EXPECT_THAT(plans_.Create(Agency(), r).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.no_repeat_mode")));
  p->set_no_repeat_mode(7);
  p->set_no_repeat_window_days(30);
  EXPECT_THAT(plans_.Create(Agency(), r).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.no_repeat_mode")));
  const v1::Plan both = CreatePlan(false, [](v1::Plan* p) {
    p->set_no_repeat_window_days(30);
    p->set_dishonest_list_policy(v1::DISHONEST_LIST_POLICY_ALWAYS);
  });
  EXPECT_FALSE(both.plan_id().empty());  // refused before ("cannot yet be combined")
}

}  // namespace
}  // namespace regulation::services
