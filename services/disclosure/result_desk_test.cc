// Results from submission to publication over an in-memory store and log: who may do
// what, the deadline, redaction on the way out, corrections, and retries.

#include "services/disclosure/result_desk.h"

#include "disclosure/embedded_holidays.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/inspection/testing/inspection_fixture.h"

namespace regulation::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::Admin;
using testing::Agency;
using testing::InspectorCaller;

class ResultDeskTest : public testing::InspectionFixture {
 protected:
  ResultDeskTest()
      : calendar_(*disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar())),
        history_(store_.get(), &clock_),
        results_(store_.get(), &plans_, &board_, &history_, publications_.get(), &calendar_, &clock_,
                 {20}) {
    plan_ = CreatePlan();
    EXPECT_TRUE(Commit(plan_).ok());
    absl::StatusOr<v1::Draw> draw = Draw(plan_);
    EXPECT_TRUE(draw.ok());
    team_ = draw->teams(0);
    log_before_ = log_.entries().size();
  }

  v1::SubmitResultRequest Submission(std::string findings = "现场检查未发现问题。") {
    v1::SubmitResultRequest r;
    v1::InspectionResult* result = r.mutable_result();
    result->set_plan_id(plan_.plan_id());
    result->set_credit_code(team_.credit_code());
    result->set_category(v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
    result->set_findings(std::move(findings));
    result->set_follow_up_measures("责令限期改正。");
    *result->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 9, 25));
    return r;
  }

  access::Caller TeamMember() { return InspectorCaller(team_.inspector_ids(0)); }

  absl::StatusOr<v1::InspectionResult> Approve(const std::string& id, std::string request_id = "") {
    v1::ApproveResultRequest r;
    r.set_result_id(id);
    r.set_request_id(std::move(request_id));
    return results_.Approve(Agency(), r);
  }

  disclosure::HolidayCalendar calendar_;
  EventIngestor history_;
  ResultDesk results_;
  v1::Plan plan_;
  v1::Team team_;
  size_t log_before_ = 0;
};

TEST_F(ResultDeskTest, AnAssignedInspectorSubmitsAndTheDeadlineCountsWorkingDays) {
  absl::StatusOr<v1::InspectionResult> r = results_.Submit(TeamMember(), Submission());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->state(), v1::RESULT_STATE_SUBMITTED);
  EXPECT_EQ(r->result_id(), absl::StrCat(plan_.plan_id(), ".", team_.credit_code()));
  // 2026-09-25 (Fri) + 20 working days, across National Day (Oct 1-7 off, Sep 28 and
  // Oct 10 worked): 2026-10-28 by the State Council's schedule... as the calendar says.
  const absl::CivilDay deadline = *FromProtoDate(r->publish_deadline());
  EXPECT_EQ(deadline, calendar_.AddWorkingDays(absl::CivilDay(2026, 9, 25), 20));
  EXPECT_GT(deadline, absl::CivilDay(2026, 9, 25) + 27);  // the holiday week pushed it out
  EXPECT_TRUE(calendar_.IsWorkingDay(deadline));
}

TEST_F(ResultDeskTest, SomeoneNotOnTheTeamCannotSubmit) {
  std::set<std::string> team(team_.inspector_ids().begin(), team_.inspector_ids().end());
  std::string outsider;
  for (int i = 0; i < 12 && outsider.empty(); ++i) {
    if (team.count(absl::StrCat("HZ-M-", i)) == 0) outsider = absl::StrCat("HZ-M-", i);
  }
  absl::Status s = results_.Submit(InspectorCaller(outsider), Submission()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("result.credit_code"));
  s = results_.Submit(Agency(), Submission()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(ResultDeskTest, BadSubmissionsNameTheField) {
  v1::SubmitResultRequest r = Submission();
  r.mutable_result()->set_category(v1::INSPECTION_RESULT_CATEGORY_UNSPECIFIED);
  EXPECT_THAT(results_.Submit(TeamMember(), r).status().message(), HasSubstr("result.category"));
  r = Submission();
  r.mutable_result()->set_credit_code("91330106MA2XXXXXX1");
  EXPECT_THAT(results_.Submit(TeamMember(), r).status().message(), HasSubstr("result.credit_code"));
  r = Submission();
  *r.mutable_result()->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2027, 1, 5));
  absl::Status s = results_.Submit(TeamMember(), r).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("inspection_end_date"));
}

TEST_F(ResultDeskTest, ApprovalPublishesTheRedactedResultOnceEvenWhenRetried) {
  const std::string findings =
      "负责人张某（身份证号330106199001011234，手机13812345678）在场，住址：杭州市西湖区文三路1号。";
  ASSERT_TRUE(results_.Submit(TeamMember(), Submission(findings)).ok());
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  absl::StatusOr<v1::InspectionResult> approved = Approve(id, "approve-1");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state(), v1::RESULT_STATE_PUBLISHED);
  ASSERT_EQ(log_.entries().size(), log_before_ + 1);
  EXPECT_EQ(approved->log_index(), static_cast<int64_t>(log_before_));
  // The leaf names the record and commits to the body stored beside it.
  const std::string& leaf = log_.entries().back();
  EXPECT_THAT(leaf, HasSubstr("kind RESULT\nkey result/" + id + "\n"));
  EXPECT_THAT(leaf, Not(HasSubstr("杭州测试企业")));
  absl::StatusOr<disclosure::StoredBody> stored =
      disclosure::ReadPublicBody(store_.get(), "result/" + id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(disclosure::CheckBody(*disclosure::ParsePublicLeaf(leaf), stored->body, stored->salt).ok());
  const std::string& body = stored->body;
  EXPECT_THAT(body, HasSubstr("\"kind\":\"RESULT\""));
  EXPECT_THAT(body, HasSubstr(team_.credit_code()));
  EXPECT_THAT(body, HasSubstr("杭州测试企业"));
  EXPECT_THAT(body, HasSubstr("发现问题待后续处理"));
  for (const std::string& text : {leaf, body}) {
    EXPECT_THAT(text, Not(HasSubstr("330106199001011234")));
    EXPECT_THAT(text, Not(HasSubstr("13812345678")));
    EXPECT_THAT(text, Not(HasSubstr("文三路")));
    for (const std::string& inspector : team_.inspector_ids()) {
      EXPECT_THAT(text, Not(HasSubstr(inspector)));
    }
  }

  absl::StatusOr<v1::InspectionResult> retried = Approve(id, "approve-1");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->log_index(), approved->log_index());
  EXPECT_EQ(log_.entries().size(), log_before_ + 1);
  EXPECT_EQ(Approve(id, "approve-2").status().code(), absl::StatusCode::kFailedPrecondition);
  // Published: the inspector can no longer change it.
  EXPECT_EQ(results_.Submit(TeamMember(), Submission()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ResultDeskTest, AReturnedResultIsRevisedAndThenApproved) {
  ASSERT_TRUE(results_.Submit(TeamMember(), Submission()).ok());
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  v1::ReturnResultRequest back;
  back.set_result_id(id);
  EXPECT_THAT(results_.Return(Agency(), back).status().message(), HasSubstr("comment"));
  back.set_comment("请补充整改期限");
  absl::StatusOr<v1::InspectionResult> returned = results_.Return(Agency(), back);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::RESULT_STATE_RETURNED);
  EXPECT_EQ(Approve(id).status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<v1::InspectionResult> revised =
      results_.Submit(TeamMember(), Submission("整改期限为三十日。"));
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->state(), v1::RESULT_STATE_SUBMITTED);
  EXPECT_EQ(Approve(id)->state(), v1::RESULT_STATE_PUBLISHED);
}

TEST_F(ResultDeskTest, OverdueListsUnpublishedResultsByWorkingDaysLeft) {
  ASSERT_TRUE(results_.Submit(TeamMember(), Submission()).ok());
  const absl::CivilDay deadline = calendar_.AddWorkingDays(absl::CivilDay(2026, 9, 25), 20);
  v1::ListOverdueRequest request;
  *request.mutable_as_of() = ToProtoDate(calendar_.AddWorkingDays(deadline, 3));
  absl::StatusOr<v1::ListOverdueResponse> late = results_.ListOverdue(Admin(), request);
  ASSERT_TRUE(late.ok()) << late.status();
  ASSERT_EQ(late->results_size(), 1);
  EXPECT_EQ(late->results(0).working_days_left(), -3);

  *request.mutable_as_of() = ToProtoDate(calendar_.AddWorkingDays(deadline, -5));
  EXPECT_EQ(results_.ListOverdue(Admin(), request)->results_size(), 0);
  request.set_within_working_days(5);
  EXPECT_EQ(results_.ListOverdue(Admin(), request)->results_size(), 1);

  ASSERT_TRUE(Approve(absl::StrCat(plan_.plan_id(), ".", team_.credit_code())).ok());
  request.set_within_working_days(250);
  EXPECT_EQ(results_.ListOverdue(Admin(), request)->results_size(), 0);
}

TEST_F(ResultDeskTest, ACorrectionIsANewRecordPointingAtTheLatestOne) {
  ASSERT_TRUE(results_.Submit(TeamMember(), Submission()).ok());
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  absl::StatusOr<v1::InspectionResult> published = Approve(id);
  ASSERT_TRUE(published.ok());
  const std::string original = log_.entries().back();

  v1::PublishCorrectionRequest c;
  c.set_corrects_index(published->log_index() + 1);
  *c.mutable_result() = Submission("经复核，未发现问题。").result();
  c.mutable_result()->set_result_id(id);
  c.mutable_result()->set_category(v1::NO_PROBLEM_FOUND);
  c.set_reason("录入错误");
  absl::Status wrong = results_.PublishCorrection(Agency(), c).status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong.message(), HasSubstr("corrects_index"));

  c.set_corrects_index(published->log_index());
  absl::StatusOr<v1::PublicRecord> record = results_.PublishCorrection(Agency(), c);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->kind(), v1::PUBLIC_RECORD_KIND_CORRECTION);
  EXPECT_EQ(record->corrects_index(), published->log_index());
  EXPECT_EQ(record->log_index(), published->log_index() + 1);
  EXPECT_EQ(log_.entries().back(), record->leaf());
  EXPECT_TRUE(disclosure::CheckBody(*disclosure::ParsePublicLeaf(record->leaf()),
                                    record->body_json(), record->salt())
                  .ok());
  EXPECT_THAT(record->body_json(), HasSubstr("未发现问题"));
  // Nothing is deleted: the original record is still there, unchanged.
  EXPECT_EQ(log_.entries()[published->log_index()], original);
  EXPECT_EQ(results_.Get(Admin(), id)->log_index(), record->log_index());
}

TEST_F(ResultDeskTest, InspectorsSeeTheirOwnResultsOnly) {
  ASSERT_TRUE(results_.Submit(TeamMember(), Submission()).ok());
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  EXPECT_TRUE(results_.Get(TeamMember(), id).ok());
  std::set<std::string> team(team_.inspector_ids().begin(), team_.inspector_ids().end());
  for (int i = 0; i < 12; ++i) {
    const std::string other = absl::StrCat("HZ-M-", i);
    if (team.count(other) > 0) continue;
    EXPECT_EQ(results_.Get(InspectorCaller(other), id).status().code(),
              absl::StatusCode::kPermissionDenied);
    v1::ListResultsRequest list;
    EXPECT_EQ(results_.List(InspectorCaller(other), list)->results_size(), 0);
    break;
  }
}

// Whether a result exists is itself information: someone who may not see a plan's results
// gets the same refusal for a stored result and for one that does not exist.
TEST_F(ResultDeskTest, ResultIdsCannotBeProbedByThoseWhoMayNotSeeThem) {
  ASSERT_TRUE(results_.Submit(TeamMember(), Submission()).ok());
  const std::string stored = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  const std::string missing = absl::StrCat(plan_.plan_id(), ".91330106MA0H0X8XQ6");
  ASSERT_NE(stored, missing);
  access::Caller other_department = Agency();
  other_department.subject = "hz-fire";
  other_department.department = "fire";
  std::set<std::string> team(team_.inspector_ids().begin(), team_.inspector_ids().end());
  std::string outsider;
  for (int i = 0; i < 12 && outsider.empty(); ++i) {
    if (team.count(absl::StrCat("HZ-M-", i)) == 0) outsider = absl::StrCat("HZ-M-", i);
  }
  ASSERT_FALSE(outsider.empty());
  for (const access::Caller& caller : {other_department, InspectorCaller(outsider)}) {
    for (const std::string& id : {stored, missing}) {
      EXPECT_EQ(results_.Get(caller, id).status().code(), absl::StatusCode::kPermissionDenied)
          << caller.subject << " " << id;
      v1::ReturnResultRequest back;
      back.set_result_id(id);
      back.set_comment("请补充现场照片。");
      EXPECT_EQ(results_.Return(caller, back).status().code(),
                absl::StatusCode::kPermissionDenied)
          << caller.subject << " " << id;
    }
  }
  // Those who may see the plan's results learn that one does not exist.
  EXPECT_EQ(results_.Get(Agency(), missing).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(results_.Get(Admin(), missing).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace regulation::services
