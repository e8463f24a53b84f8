// No repeated visits, recusal requests and an enterprise's own draws, through the desks
// over an in-memory store: a second plan committed within the window excludes what the
// first drew (and verify-draw re-checks it from the first bundle); a granted recusal is
// frozen into the plan and honoured by the teams; requests after the commit are refused;
// an enterprise lists only its own draws.

#include <set>
#include <string>

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

}  // namespace
}  // namespace regulation::services
