// A targeted plan end to end over an in-memory store and log (docs/api.md "Targeted
// inspections"): created with its listed targets and reasons, committed, its teams drawn
// at random and verified like any draw, assignments handed out, a result submitted,
// approved and published marked with the reason category; and what a bad list gets.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "disclosure/embedded_holidays.h"
#include "disclosure/public_body_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/enterprise.pb.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/roster_json.h"
#include "scheduler/verify_draw.h"
#include "services/disclosure/result_desk.h"
#include "services/inspection/targeted_plan.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using testing::Admin;
using testing::Agency;
using testing::InspectorCaller;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kComplaintRef[] = "TS-2026-000417";

class TargetedPlanTest : public testing::InspectionFixture {
 protected:
  TargetedPlanTest()
      : calendar_(*disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar())),
        history_(store_.get(), &clock_),
        results_(store_.get(), &plans_, &board_, &history_, publications_.get(), &calendar_,
                 &clock_, {20}) {}

  // A targeted plan of samr in Hangzhou over operating enterprises 1, 3 and 5.
  v1::CreatePlanRequest TargetedRequest() {
    v1::CreatePlanRequest r;
    v1::Plan* p = r.mutable_plan();
    p->set_title("投诉举报定向检查");
    p->set_kind(v1::PLAN_KIND_TARGETED);
    p->add_departments("samr");
    p->add_item_ids("food-1");
    p->mutable_population()->set_region_prefix("3301");
    AddTarget(p, codes_[1], v1::TARGET_REASON_COMPLAINT, kComplaintRef);
    AddTarget(p, codes_[3], v1::TARGET_REASON_ALERT, "AL-20261120-0007");
    AddTarget(p, codes_[5], v1::TARGET_REASON_REFERRAL, "浙市监转〔2026〕12号");
    p->mutable_targets(2)->set_reference("ZJ-REF/2026/12");
    p->set_team_size(2);
    p->set_workload_cap(8);
    *p->mutable_due_date() = ToProtoDate(absl::CivilDay(2027, 3, 31));
    return r;
  }

  static void AddTarget(v1::Plan* p, const std::string& code, v1::TargetReason reason,
                        const std::string& reference) {
    v1::TargetedEnterprise* t = p->add_targets();
    t->set_credit_code(code);
    t->set_reason(reason);
    t->set_reference(reference);
  }

  absl::Status CreateError(const v1::CreatePlanRequest& r) {
    return plans_.Create(Agency(), r).status();
  }

  disclosure::HolidayCalendar calendar_;
  EventIngestor history_;
  ResultDesk results_;
};

TEST_F(TargetedPlanTest, FromListToPublishedResultAndVerifiedDraw) {
  absl::StatusOr<v1::Plan> plan = plans_.Create(Agency(), TargetedRequest());
  ASSERT_OK(plan);
  EXPECT_EQ(plan->kind(), v1::PLAN_KIND_TARGETED);

  // Commit: the population is exactly the listed three, all frozen as class B, and the
  // public commitment lists them with their categories but never the references.
  absl::StatusOr<v1::Commitment> commitment = Commit(*plan);
  ASSERT_OK(commitment);
  EXPECT_EQ(commitment->class_sizes().at("A"), 0);
  EXPECT_EQ(commitment->class_sizes().at("B"), 3);
  EXPECT_EQ(commitment->class_sizes().at("C"), 0);
  EXPECT_EQ(commitment->class_sizes().at("D"), 0);
  EXPECT_EQ(commitment->staffing().expected_targets(), 3);
  const std::string committed = LoggedBody(log_.entries().size() - 1);
  EXPECT_THAT(committed, HasSubstr("\"kind\":\"TARGETED\""));
  EXPECT_THAT(committed, HasSubstr("\"reason\":\"COMPLAINT\""));
  EXPECT_THAT(committed, HasSubstr("\"reason\":\"ALERT\""));
  EXPECT_THAT(committed, HasSubstr(codes_[5]));
  EXPECT_THAT(committed, Not(HasSubstr(kComplaintRef)));
  EXPECT_THAT(committed, Not(HasSubstr("AL-20261120-0007")));

  // Draw: the listed targets, each with its reason, no class and no inclusion
  // probability, teams drawn from the roster.
  absl::StatusOr<v1::Draw> draw = Draw(*plan);
  ASSERT_OK(draw);
  std::set<std::string> drawn;
  for (const v1::DrawnTarget& t : draw->targets()) {
    drawn.insert(t.credit_code());
    EXPECT_EQ(t.risk_class(), v1::RISK_CLASS_UNSPECIFIED);
    EXPECT_EQ(t.inclusion_probability(), 0);
    EXPECT_EQ(t.reason(), t.credit_code() == codes_[1]   ? v1::TARGET_REASON_COMPLAINT
                          : t.credit_code() == codes_[3] ? v1::TARGET_REASON_ALERT
                                                         : v1::TARGET_REASON_REFERRAL);
  }
  EXPECT_EQ(drawn, (std::set<std::string>{codes_[1], codes_[3], codes_[5]}));
  ASSERT_EQ(draw->teams_size(), 3);
  for (const v1::Team& team : draw->teams()) {
    ASSERT_EQ(team.staffing(), v1::STAFFING_STATUS_STAFFED) << team.unstaffed_reason();
    EXPECT_EQ(team.inspector_ids_size(), 2);
  }
  for (const v1::ClassCutoff& c : draw->cutoffs()) EXPECT_EQ(c.selected(), 0);
  EXPECT_THAT(draw->bundle_json(), Not(HasSubstr(kComplaintRef)));

  // verify-draw re-derives the teams from the published bundle and the frozen files, and
  // refuses a bundle whose target list is not the committed one.
  const internal::PlanRecord record = Record(*plan);
  const scheduler::FrozenRoster roster = *scheduler::ParseRosterJson(record.frozen_roster_json());
  EXPECT_OK(scheduler::VerifyDraw(draw->bundle_json(), Population(*plan), roster));
  scheduler::DrawBundle tampered = *scheduler::ParseBundleJson(draw->bundle_json());
  tampered.plan.listed_targets.pop_back();
  EXPECT_THAT(scheduler::VerifyDraw(scheduler::WriteBundleJson(tampered), std::nullopt, std::nullopt),
              StatusIs(absl::StatusCode::kDataLoss));
  tampered = *scheduler::ParseBundleJson(draw->bundle_json());
  tampered.targets.pop_back();
  tampered.teams.pop_back();
  EXPECT_THAT(scheduler::VerifyDraw(scheduler::WriteBundleJson(tampered), Population(*plan), roster),
              StatusIs(absl::StatusCode::kDataLoss));

  // Each team member has the assignment.
  const v1::Team& team = draw->teams(0);
  for (const std::string& id : team.inspector_ids()) {
    EXPECT_OK(board_.Find(id, plan->plan_id(), team.credit_code()));
  }

  // A listed target cannot be replaced by another (that would be a new decision).
  v1::AnnounceReplacementsRequest replace;
  replace.set_plan_id(plan->plan_id());
  replace.add_credit_codes(team.credit_code());
  replace.set_reason("已注销");
  replace.add_entropy_sources()->set_source_id(kWitness);
  EXPECT_THAT(desk_.Announce(Agency(), replace).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("restaff")));

  // Submit, approve, publish: the public record carries the reason category only.
  v1::SubmitResultRequest submit;
  v1::InspectionResult* result = submit.mutable_result();
  result->set_plan_id(plan->plan_id());
  result->set_credit_code(codes_[1]);
  result->set_category(v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
  result->set_findings("投诉反映的问题属实。");
  result->set_follow_up_measures("责令限期改正。");
  *result->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 11, 27));
  const v1::Team* complaint_team = nullptr;
  for (const v1::Team& t : draw->teams()) {
    if (t.credit_code() == codes_[1]) complaint_team = &t;
  }
  ASSERT_NE(complaint_team, nullptr);
  ASSERT_OK(results_.Submit(InspectorCaller(complaint_team->inspector_ids(0)), submit));
  const std::string id = absl::StrCat(plan->plan_id(), ".", codes_[1]);
  v1::PreviewPublicationRequest preview_request;
  preview_request.set_result_id(id);
  absl::StatusOr<v1::PublicationPreview> preview = results_.Preview(Agency(), preview_request);
  ASSERT_OK(preview);
  v1::ApproveResultRequest approve;
  approve.set_result_id(id);
  approve.set_preview_digest(preview->preview_digest());
  absl::StatusOr<v1::InspectionResult> approved = results_.Approve(Agency(), approve);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->state(), v1::RESULT_STATE_PUBLISHED);
  absl::StatusOr<disclosure::StoredBody> body =
      disclosure::ReadPublicBody(store_.get(), "result/" + id);
  ASSERT_OK(body);
  EXPECT_THAT(body->body, HasSubstr("\"target_reason\":\"COMPLAINT\""));
  EXPECT_THAT(body->body, Not(HasSubstr(kComplaintRef)));
}

TEST_F(TargetedPlanTest, ARandomPlansResultCarriesNoReason) {
  const v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
  // The bundle's plan ends at its due date, as it always did: no "targets" key.
  EXPECT_THAT(draw->bundle_json(), HasSubstr("\"due_date\":\"2027-03-31\"},\"digests\""));
  for (const v1::DrawnTarget& t : draw->targets()) {
    EXPECT_EQ(t.reason(), v1::TARGET_REASON_UNSPECIFIED);
    EXPECT_GT(t.inclusion_probability(), 0);
  }
  const v1::Team& team = draw->teams(0);
  v1::SubmitResultRequest submit;
  v1::InspectionResult* result = submit.mutable_result();
  result->set_plan_id(plan.plan_id());
  result->set_credit_code(team.credit_code());
  result->set_category(v1::NO_PROBLEM_FOUND);
  *result->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 11, 27));
  ASSERT_OK(results_.Submit(InspectorCaller(team.inspector_ids(0)), submit));
  const std::string id = absl::StrCat(plan.plan_id(), ".", team.credit_code());
  v1::PreviewPublicationRequest preview_request;
  preview_request.set_result_id(id);
  absl::StatusOr<v1::PublicationPreview> preview = results_.Preview(Agency(), preview_request);
  ASSERT_OK(preview);
  EXPECT_THAT(preview->body_json(), Not(HasSubstr("target_reason")));
  EXPECT_THAT(LoggedBody(1), Not(HasSubstr("TARGETED")));
}

TEST_F(TargetedPlanTest, ABadListIsRefusedNamingTheField) {
  v1::CreatePlanRequest r = TargetedRequest();
  std::string& code = *r.mutable_plan()->mutable_targets(0)->mutable_credit_code();
  code[17] = code[17] == '0' ? '1' : '0';
  EXPECT_THAT(CreateError(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("plan.targets[0].credit_code")));

  r = TargetedRequest();
  r.mutable_plan()->mutable_targets(2)->set_credit_code(codes_[1]);
  EXPECT_THAT(CreateError(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("plan.targets[2].credit_code")));
  EXPECT_THAT(CreateError(r).message(), HasSubstr("listed twice"));

  r = TargetedRequest();
  r.mutable_plan()->mutable_targets(1)->set_credit_code(
      scheduler::testing::TestCreditCode(9999, "330106"));
  EXPECT_THAT(CreateError(r),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("plan.targets[1].credit_code")));

  // An enterprise registered in Ningbo, outside the plan's Hangzhou region.
  v1::Enterprise ningbo;
  ningbo.set_credit_code(scheduler::testing::TestCreditCode(5000, "330203"));
  ningbo.set_name("宁波测试企业有限公司");
  ningbo.set_region_code("330203");
  ningbo.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  storage::WriteBatch batch;
  batch.Put(storage::ColumnFamily::kEnterprises, ningbo.credit_code(), ningbo.SerializeAsString());
  ASSERT_OK(store_->Write(batch));
  r = TargetedRequest();
  r.mutable_plan()->mutable_targets(0)->set_credit_code(ningbo.credit_code());
  EXPECT_THAT(CreateError(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("plan.targets[0].credit_code")));
  EXPECT_THAT(CreateError(r).message(), HasSubstr("outside the plan's region_prefix"));

  r = TargetedRequest();
  r.mutable_plan()->mutable_targets(1)->clear_reason();
  EXPECT_THAT(CreateError(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("plan.targets[1].reason")));
  r = TargetedRequest();
  r.mutable_plan()->mutable_targets(1)->clear_reference();
  EXPECT_THAT(CreateError(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("plan.targets[1].reference")));
  r = TargetedRequest();
  r.mutable_plan()->mutable_targets(1)->set_reference("张三 13812345678");
  EXPECT_THAT(CreateError(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("plan.targets[1].reference")));

  r = TargetedRequest();
  r.mutable_plan()->clear_targets();
  EXPECT_THAT(CreateError(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.targets")));
  r = TargetedRequest();
  v1::ClassQuota* q = r.mutable_plan()->add_quotas();
  q->set_risk_class(v1::RISK_CLASS_D);
  q->set_ratio(0.5);
  EXPECT_THAT(CreateError(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.quotas")));
  r = TargetedRequest();
  r.mutable_plan()->mutable_population()->add_industry_codes("F52");
  EXPECT_THAT(CreateError(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.population")));
  r = TargetedRequest();
  for (int i = 0; r.plan().targets_size() <= kMaxTargetedEnterprises; ++i) {
    AddTarget(r.mutable_plan(), scheduler::testing::TestCreditCode(20000 + i, "330106"),
              v1::TARGET_REASON_MONITORING, absl::StrCat("M-", i));
  }
  EXPECT_THAT(CreateError(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("plan.targets: a targeted plan lists 1 to 200")));
  // A random plan lists no targets.
  r = TargetedRequest();
  r.mutable_plan()->set_kind(v1::PLAN_KIND_RANDOM);
  EXPECT_THAT(CreateError(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.targets")));
  // Nothing was stored by any of these.
  v1::ListPlansRequest list;
  EXPECT_EQ(plans_.List(Admin(), list)->plans_size(), 0);
}

}  // namespace
}  // namespace regulation::services
